package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A CSRF key too short to sign with is refused at startup, naming the key and its length but not its value. */
class DashboardCsrfKeyTooShortTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(InterruptCancelledJobsTest.SleepingJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:csrf-key")
            .overrideConfigKey("quarkus.hangfire.dashboard.csrf-key", "secret-but-short")
            .assertException(t -> assertThat(InvalidJobMethodsTest.rootMessage(t))
                    .contains("quarkus.hangfire.dashboard.csrf-key is 16 bytes long; it needs at least 32")
                    .doesNotContain("secret-but-short"));

    @Test
    void startupFails() {
        fail("the application should not have started");
    }
}
