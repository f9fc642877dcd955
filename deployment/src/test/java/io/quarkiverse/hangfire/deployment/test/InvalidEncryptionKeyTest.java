package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A key that is not 32 bytes of base64 fails startup, naming its configuration key and never showing its value. */
class InvalidEncryptionKeyTest {

    // 16 bytes: an AES-128 key, which is refused
    private static final String SHORT_KEY = "c2l4dGVlbiBieXRlIGtleQ==";

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(SensitiveWithoutKeyTest.PaymentJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:sensitive-badkey")
            .overrideConfigKey("quarkus.hangfire.encryption.keys.\"2026-q4\"", SHORT_KEY)
            .assertException(t -> assertThat(InvalidJobMethodsTest.rootMessage(t))
                    .contains("quarkus.hangfire.encryption.keys.\"2026-q4\" decodes to 16 bytes; an AES-256 key is 32 bytes")
                    .doesNotContain(SHORT_KEY));

    @Test
    void startupFails() {
        fail("the application should not have started");
    }
}
