package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.Recurring;
import io.quarkus.test.QuarkusUnitTest;

/** Every invalid @Recurring is reported in one failed build, naming the method, the id and the problem. */
class InvalidRecurringTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(BadRecurring.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:recurring")
            .assertException(t -> assertThat(InvalidJobMethodsTest.rootMessage(t))
                    .contains("BadRecurring#badCron() has @Recurring(id = \"bad-cron\"): The cron expression '0 61 * * *'"
                            + " is invalid: the hour 61 is outside 0-23")
                    .contains("BadRecurring#neverFires() has @Recurring(id = \"BadRecurring.neverFires\"): The cron"
                            + " expression '0 0 0 31 2 *' never fires")
                    .contains("BadRecurring#badZone() has @Recurring(id = \"bad-zone\"): Unknown time zone 'Moon/Base'")
                    .contains("BadRecurring#withArguments() has @Recurring(id = \"with-arguments\") but takes arguments")
                    .contains("BadRecurring#duplicate() has @Recurring(id = \"bad-cron\"), an id already used by")
                    .contains("BadRecurring#badQueue() has @Recurring(id = \"bad-queue\") with the queue name 'Q!'"));

    @Test
    void buildFails() {
        fail("the build should have failed");
    }

    public static class BadRecurring {
        @BackgroundJob
        @Recurring(id = "bad-cron", cron = "0 61 * * *")
        public void badCron() {
        }

        @BackgroundJob
        @Recurring(cron = "0 0 0 31 2 *")
        public void neverFires() {
        }

        @BackgroundJob
        @Recurring(id = "bad-zone", cron = "@daily", zone = "Moon/Base")
        public void badZone() {
        }

        @BackgroundJob
        @Recurring(id = "with-arguments", cron = "@daily")
        public void withArguments(long customerId, JobContext context) {
        }

        @BackgroundJob
        @Recurring(id = "fine", cron = "@hourly")
        @Recurring(id = "bad-cron", cron = "@daily")
        public void duplicate(JobContext context) {
        }

        @BackgroundJob
        @Recurring(id = "bad-queue", cron = "${some.cron}", queue = "Q!")
        public void badQueue() {
        }
    }
}
