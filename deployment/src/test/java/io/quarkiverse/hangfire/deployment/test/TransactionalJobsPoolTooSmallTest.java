package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Transactional jobs hold a connection each while they run: a pool that the workers could empty, leaving the server
 * none to renew its leases, is refused at startup, naming both settings and what would do.
 */
class TransactionalJobsPoolTooSmallTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(LedgerJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:pool")
            .overrideConfigKey("quarkus.datasource.jdbc.max-size", "10")
            .overrideConfigKey("quarkus.hangfire.server.workers", "8")
            .assertException(t -> assertThat(InvalidJobMethodsTest.rootMessage(t))
                    .contains("needs at least 12 connections")
                    .contains("has at most 10")
                    .contains("quarkus.datasource.jdbc.max-size")
                    .contains("quarkus.hangfire.server.workers"));

    @Test
    void startupFails() {
        fail("the application should not have started");
    }

    public static class LedgerJobs {
        @BackgroundJob(transactional = true)
        public void post(long entry) {
        }
    }
}
