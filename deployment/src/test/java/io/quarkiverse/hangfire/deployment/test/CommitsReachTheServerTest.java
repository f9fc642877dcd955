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
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The state machine tells the local server about its commits: with polling and cancellation checks an hour apart,
 * a job enqueued here starts at once, after the commit of the transaction that enqueued it and not before, and a
 * running job deleted here is cancelled at once.
 */
class CommitsReachTheServerTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(LocalJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:commits;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.hangfire.server.poll-interval", "1h")
            .overrideConfigKey("quarkus.hangfire.server.cancellation-check-interval", "1h");

    static final Duration AT_ONCE = Duration.ofSeconds(10);

    @Inject
    JobScheduler jobs;

    @Test
    void aJobEnqueuedHereStartsWithoutWaitingForThePoll() {
        String id = jobs.enqueue(LocalJobs.class, j -> j.quick());
        await().atMost(AT_ONCE).until(() -> state(id) == JobState.SUCCEEDED);
    }

    @Test
    void aJobEnqueuedInATransactionIsStartedByItsCommit() {
        String id = QuarkusTransaction.requiringNew().call(() -> {
            String enqueued = jobs.enqueue(LocalJobs.class, j -> j.quick());
            // a wake-up now would find nothing to claim, and the server would sleep on for an hour
            Thread.sleep(500);
            return enqueued;
        });
        await().atMost(AT_ONCE).until(() -> state(id) == JobState.SUCCEEDED);
    }

    @Test
    void aRunningJobDeletedHereIsCancelledAtOnce() throws Exception {
        String id = jobs.enqueue(LocalJobs.class, j -> j.untilCancelled(null));
        assertThat(LocalJobs.RUNNING.await(AT_ONCE.toSeconds(), TimeUnit.SECONDS)).as("started").isTrue();
        assertThat(jobs.delete(id)).isTrue();
        assertThat(LocalJobs.CANCELLED.await(AT_ONCE.toSeconds(), TimeUnit.SECONDS)).as("cancellation seen").isTrue();
        assertThat(state(id)).isEqualTo(JobState.DELETED);
    }

    private JobState state(String id) {
        return jobs.monitor().job(id).orElseThrow().state();
    }

    public static class LocalJobs {
        static final CountDownLatch RUNNING = new CountDownLatch(1);
        static final CountDownLatch CANCELLED = new CountDownLatch(1);

        @BackgroundJob(retries = 0)
        public void quick() {
        }

        @BackgroundJob(retries = 0)
        public void untilCancelled(JobContext context) throws InterruptedException {
            RUNNING.countDown();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!context.isCancellationRequested() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (context.isCancellationRequested()) {
                CANCELLED.countDown();
            }
        }
    }
}
