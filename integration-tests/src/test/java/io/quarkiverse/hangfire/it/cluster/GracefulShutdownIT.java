package io.quarkiverse.hangfire.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.quarkiverse.hangfire.it.cluster.ClusterDatabase.Execution;
import io.quarkiverse.hangfire.it.cluster.ClusterDatabase.HistoryRow;

/**
 * SIGTERM stops a server gracefully: jobs that finish within the shutdown timeout succeed, the others are
 * cancelled and returned to their queue, and another process runs them later.
 */
class GracefulShutdownIT {

    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(3);
    /** JVM and Quarkus shutdown around the wait for running jobs. */
    static final Duration EXIT_MARGIN = Duration.ofSeconds(5);
    static final long SHORT_MILLIS = 1000;
    /** Far longer than the shutdown timeout, but only on the first attempt. */
    static final long LONG_FIRST_ATTEMPT_MILLIS = 120_000;
    static final long LONG_LATER_MILLIS = 200;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sigtermFinishesShortJobsAndReturnsLongOnesToTheQueue() throws Exception {
        long begin = System.nanoTime();
        try (Cluster cluster = Cluster.create("GracefulShutdownIT")) {
            ClusterDatabase db = cluster.db;
            Map<String, String> settings = cluster.settings();
            settings.put("quarkus.hangfire.server.shutdown-timeout", SHUTDOWN_TIMEOUT.toMillis() + "ms");
            AppProcess first = cluster.start(settings);
            String firstServer = db.serverIdOf(first.pid()).orElseThrow();

            List<Long> shortJobs = first.enqueue(4, List.of(SHORT_MILLIS), null);
            List<Long> longJobs = first.enqueue(3, List.of(LONG_LATER_MILLIS), LONG_FIRST_ATTEMPT_MILLIS);
            int all = shortJobs.size() + longJobs.size();
            assertThat(all).as("every job gets a worker at once").isLessThanOrEqualTo(Cluster.WORKERS);
            await("all jobs running").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> db.executionsByPid().getOrDefault(first.pid(), 0L) == all);

            Duration exit = first.stop(Duration.ofSeconds(60));
            Instant exitedAt = Instant.now();

            Map<Long, String> shortStates = db.statesOf(shortJobs);
            Map<Long, String> longStates = db.statesOf(longJobs);
            List<String> longReasons = new ArrayList<>();
            for (long id : longJobs) {
                List<HistoryRow> history = db.historyOf(id);
                HistoryRow last = history.get(history.size() - 1);
                longReasons.add(last.state() + ": " + last.reason());
            }
            long serverRows = db.count("SELECT COUNT(*) FROM hangfire_server WHERE id = ?", firstServer);
            List<Execution> cancelledRuns = db.executions().stream()
                    .filter(e -> longJobs.contains(e.jobId())).toList();
            System.out.printf("[cluster] GracefulShutdownIT: exit=%.2fs after SIGTERM (shutdown-timeout %ds)"
                    + " short=%s long=%s%n", exit.toMillis() / 1000.0, SHUTDOWN_TIMEOUT.toSeconds(), shortStates.values(),
                    longStates.values());

            assertThat(exit).as("time from SIGTERM to exit").isLessThanOrEqualTo(SHUTDOWN_TIMEOUT.plus(EXIT_MARGIN));
            assertThat(shortStates.values()).as("jobs that finish within the shutdown timeout").containsOnly("SUCCEEDED");
            assertThat(longStates.values()).as("jobs still running at the timeout").containsOnly("ENQUEUED");
            assertThat(longReasons).as("why they are back in the queue").allMatch(r -> r.contains("shut down"), "mention shut down");
            assertThat(db.count("SELECT COUNT(*) FROM hangfire_job WHERE owner IS NOT NULL")).as("claims left").isZero();
            assertThat(serverRows).as("server row of the stopped process").isZero();
            assertThat(cancelledRuns).as("the long jobs' first runs").hasSize(longJobs.size())
                    .allSatisfy(run -> {
                        assertThat(run.endedAt()).as("end of run %d", run.id()).isNotNull().isBefore(exitedAt);
                        assertThat(run.cancelled()).as("run %d cancelled", run.id()).isTrue();
                    });

            // a fresh process runs them; they are short on their second attempt
            AppProcess second = cluster.start(cluster.settings());
            await("long jobs done by the next process").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> db.statesOf(longJobs).values().stream().allMatch("SUCCEEDED"::equals));
            Executions executions = new Executions(db.executions(), Map.of(first.pid(), exitedAt));
            for (long id : longJobs) {
                assertThat(executions.runsOf(id)).extracting(Execution::pid, Execution::attempt)
                        .as("runs of job %d", id)
                        .containsExactly(tuple(first.pid(), 1), tuple(second.pid(), 2));
            }
            assertThat(executions.overlaps()).as("overlapping runs").isEmpty();
            assertThat(db.countsByState()).isEqualTo(Map.of("SUCCEEDED", (long) all));
            System.out.printf("[cluster] GracefulShutdownIT: jobs=%d executions=%d returned-to-queue=%d test=%.1fs%n", all,
                    executions.total, longJobs.size(), (System.nanoTime() - begin) / 1e9);
        }
    }

    /**
     * A backlog of short jobs makes the server claim some ahead of its workers. SIGTERM in the middle leaves no
     * claim behind: the jobs it held are run before it exits, the rest stay in the queue, and the next process
     * runs those. Every job runs exactly once.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sigtermInTheMiddleOfABacklogRunsTheJobsClaimedAheadAndLeavesNoClaim() throws Exception {
        try (Cluster cluster = Cluster.create("GracefulShutdownIT-backlog")) {
            ClusterDatabase db = cluster.db;
            AppProcess first = cluster.start(cluster.settings());
            List<Long> jobs = first.enqueue(600, List.of(20L), null);
            long[] mostHeld = new long[1];
            await("jobs claimed ahead of the workers").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        mostHeld[0] = Math.max(mostHeld[0], db.count("SELECT COUNT(*) FROM hangfire_job WHERE state = 'PROCESSING'"));
                        return mostHeld[0] > Cluster.WORKERS;
                    });
            await("a part done").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> db.count("SELECT COUNT(*) FROM hangfire_job WHERE state = 'SUCCEEDED'") >= 100);

            first.stop(Duration.ofSeconds(60));
            Map<String, Long> afterStop = db.countsByState();
            assertThat(db.count("SELECT COUNT(*) FROM hangfire_job WHERE owner IS NOT NULL")).as("claims left").isZero();
            assertThat(afterStop.keySet()).as("states after the stop").containsAnyOf("SUCCEEDED").isSubsetOf("SUCCEEDED",
                    "ENQUEUED");

            AppProcess second = cluster.start(cluster.settings());
            await("the rest done by the next process").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> db.countsByState().equals(Map.of("SUCCEEDED", (long) jobs.size())));
            Executions executions = new Executions(db.executions(), Map.of());
            for (long id : jobs) {
                assertThat(executions.runsOf(id)).as("runs of job %d", id).hasSize(1)
                        .allSatisfy(run -> assertThat(run.attempt()).isEqualTo(1));
            }
            System.out.printf("[cluster] GracefulShutdownIT: backlog of %d jobs of 20 ms, at most %d held at once by %d"
                    + " workers; after SIGTERM %s; pids %d then %d%n", jobs.size(), mostHeld[0], Cluster.WORKERS, afterStop,
                    first.pid(), second.pid());
        }
    }
}
