package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.test.QuarkusUnitTest;

/** With interrupt-cancelled-jobs, deleting a job blocked in a sleep interrupts it at once. */
class InterruptCancelledJobsTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(SleepingJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:interrupt;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.hangfire.server.interrupt-cancelled-jobs", "true");

    @Inject
    JobScheduler jobs;

    @Test
    void aDeletedJobBlockedInASleepIsInterrupted() throws Exception {
        String id = jobs.enqueue(SleepingJobs.class, j -> j.sleep());
        assertThat(SleepingJobs.STARTED.await(30, TimeUnit.SECONDS)).isTrue();
        long deleted = System.nanoTime();
        jobs.delete(id);
        assertThat(SleepingJobs.INTERRUPTED.await(5, TimeUnit.SECONDS)).as("interrupted").isTrue();
        System.out.printf("interrupted %d ms after the delete%n", (System.nanoTime() - deleted) / 1_000_000);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(15))
                .until(() -> jobs.monitor().job(id).orElseThrow().state() == JobState.DELETED);
    }

    public static class SleepingJobs {
        static final CountDownLatch STARTED = new CountDownLatch(1);
        static final CountDownLatch INTERRUPTED = new CountDownLatch(1);

        @BackgroundJob(retries = 0)
        public void sleep() {
            STARTED.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                INTERRUPTED.countDown();
            }
        }
    }
}
