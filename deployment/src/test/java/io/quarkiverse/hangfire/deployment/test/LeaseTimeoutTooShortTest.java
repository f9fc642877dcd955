package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A lease that a couple of late heartbeats could outlast is refused at startup, naming both settings. */
class LeaseTimeoutTooShortTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(InterruptCancelledJobsTest.SleepingJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:lease")
            .overrideConfigKey("quarkus.hangfire.server.heartbeat-interval", "5s")
            .overrideConfigKey("quarkus.hangfire.server.lease-timeout", "10s")
            .assertException(t -> assertThat(InvalidJobMethodsTest.rootMessage(t))
                    .contains("quarkus.hangfire.server.lease-timeout (PT10S) must be at least three times"
                            + " quarkus.hangfire.server.heartbeat-interval (PT5S)"));

    @Test
    void startupFails() {
        fail("the application should not have started");
    }
}
