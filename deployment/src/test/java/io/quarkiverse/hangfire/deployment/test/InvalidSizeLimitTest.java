package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A size cap of zero would refuse every job: startup fails, naming the setting. */
class InvalidSizeLimitTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(SizeLimitsTest.TextJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:limits-invalid")
            .overrideConfigKey("quarkus.hangfire.limits.max-arguments-size", "0")
            .assertException(t -> assertThat(InvalidJobMethodsTest.rootMessage(t))
                    .contains("quarkus.hangfire.limits.max-arguments-size must be between 1 and 2147483647 bytes, got 0"));

    @Test
    void startupFails() {
        fail("the application should not have started");
    }
}
