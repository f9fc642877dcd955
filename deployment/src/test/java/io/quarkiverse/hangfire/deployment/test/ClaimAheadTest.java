package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.QuarkusUnitTest;

/**
 * With a backlog of short jobs the server claims some ahead of its workers. They are Processing while they wait,
 * and one deleted before it started never runs.
 */
class ClaimAheadTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(AheadJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:ahead;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.hangfire.server.workers", "1");

    @Inject
    JobScheduler jobs;

    @Test
    void jobsClaimedAheadWaitAsProcessingAndOneDeletedMeanwhileNeverRuns() throws Exception {
        // short jobs first: the server learns that its jobs take a moment
        List<String> warmUp = jobs.enqueueAll(AheadJobs.class, IntStream.range(0, 20).boxed().toList(), (j, n) -> j.quick(n));
        await().atMost(Duration.ofSeconds(30)).until(() -> warmUp.stream().allMatch(id -> state(id) == JobState.SUCCEEDED));

        // the only worker takes the gate; the quick jobs behind it are claimed ahead while it blocks
        String[] gate = new String[1];
        List<String> behind = QuarkusTransaction.requiringNew().call(() -> {
            gate[0] = jobs.enqueue(AheadJobs.class, j -> j.gate());
            return jobs.enqueueAll(AheadJobs.class, IntStream.range(100, 105).boxed().toList(), (j, n) -> j.quick(n));
        });
        try {
            assertThat(AheadJobs.GATE_STARTED.await(30, TimeUnit.SECONDS)).as("gate started").isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> behind.stream().allMatch(id -> state(id) == JobState.PROCESSING));
            assertThat(AheadJobs.RAN).as("quick jobs run while the only worker is at the gate").doesNotContain(100, 101, 102,
                    103, 104);

            assertThat(jobs.delete(behind.get(2))).isTrue();
        } finally {
            AheadJobs.GATE_OPEN.countDown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> state(gate[0]) == JobState.SUCCEEDED
                && List.of(0, 1, 3, 4).stream().allMatch(i -> state(behind.get(i)) == JobState.SUCCEEDED));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> !AheadJobs.RAN.contains(102) && state(behind.get(2)) == JobState.DELETED);
        assertThat(AheadJobs.RAN).contains(100, 101, 103, 104);
    }

    private JobState state(String id) {
        return jobs.monitor().job(id).orElseThrow().state();
    }

    public static class AheadJobs {
        static final Set<Integer> RAN = ConcurrentHashMap.newKeySet();
        static final CountDownLatch GATE_STARTED = new CountDownLatch(1);
        static final CountDownLatch GATE_OPEN = new CountDownLatch(1);

        @BackgroundJob(retries = 0)
        public void quick(int n) {
            RAN.add(n);
        }

        @BackgroundJob(retries = 0)
        public void gate() throws InterruptedException {
            GATE_STARTED.countDown();
            GATE_OPEN.await(60, TimeUnit.SECONDS);
        }
    }
}
