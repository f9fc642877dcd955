package io.quarkiverse.hangfire.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.quarkiverse.hangfire.it.cluster.ClusterDatabase.HistoryRow;

/**
 * Two servers share the database; one is killed with SIGKILL in the middle of a few thousand jobs. No job may
 * be lost, none may run twice at the same time, and the jobs the dead server held go back to their queue
 * within the lease timeout.
 */
class CrashIT {

    static final int JOBS = 3000;
    /** A few milliseconds to tens of milliseconds, spread over the jobs. */
    static final List<Long> SLEEPS = List.of(2L, 5L, 10L, 20L, 40L);
    /** Lease timeout, then at most one heartbeat interval until a survivor's lease check, and some slack. */
    static final Duration RECOVERY_BOUND = Cluster.LEASE_TIMEOUT.plus(Cluster.HEARTBEAT_INTERVAL).plusSeconds(3);

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killedServerLosesNoJobAndNoJobRunsTwiceAtOnce() throws Exception {
        long begin = System.nanoTime();
        try (Cluster cluster = Cluster.create("CrashIT")) {
            ClusterDatabase db = cluster.db;
            Cluster.Crash crash = cluster.startTwoForACrash();
            AppProcess survivor = crash.survivor();
            AppProcess victim = crash.victim();
            String victimServer = crash.victimServer();

            survivor.enqueue(JOBS, SLEEPS, null);
            Instant killedAt = crash.killVictimMidway();
            Map<String, Long> statesAtKill = db.countsByState();
            // its last transactions are settled by now, and its leases cannot have run out yet
            Thread.sleep(500);
            Set<Long> held = db.jobsClaimedBy(victimServer);

            await("every job Succeeded").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> db.countsByState().equals(Map.of("SUCCEEDED", (long) JOBS)));
            assertThat(db.count("SELECT COUNT(*) FROM hangfire_job WHERE state IN ('ENQUEUED', 'PROCESSING') OR owner IS NOT NULL"))
                    .as("jobs left in a queue").isZero();
            assertThat(survivor.isAlive()).as("survivor alive").isTrue();

            // the jobs the victim held went back to their queue, once each, soon enough
            List<HistoryRow> returned = db.history("ENQUEUED", victimServer);
            Set<Long> returnedJobs = new TreeSet<>();
            returned.forEach(row -> returnedJobs.add(row.jobId()));
            assertThat(held).as("jobs the victim held at the kill").isNotEmpty();
            assertThat(returnedJobs).as("jobs returned to their queue from the dead server").isEqualTo(held);
            assertThat(returned).as("one return per held job").hasSize(held.size());
            Duration recovery = Duration.ZERO;
            for (HistoryRow row : returned) {
                assertThat(row.reason()).contains("stopped renewing its lease");
                List<HistoryRow> history = db.historyOf(row.jobId());
                HistoryRow before = history.get(history.indexOf(row) - 1);
                assertThat(before.state()).as("state before the return of job %d", row.jobId()).isEqualTo("PROCESSING");
                assertThat(before.data()).as("server of that Processing").contains(victimServer);
                Duration took = Duration.between(killedAt, row.createdAt());
                recovery = took.compareTo(recovery) > 0 ? took : recovery;
            }
            assertThat(recovery).as("from the kill to the last job returned to its queue").isLessThanOrEqualTo(RECOVERY_BOUND);
            await("dead server row removed").atMost(Duration.ofSeconds(10))
                    .until(() -> db.count("SELECT COUNT(*) FROM hangfire_server WHERE id = ?", victimServer) == 0);

            Executions executions = new Executions(db.executions(), Map.of(victim.pid(), killedAt));
            List<Long> runTwice = executions.jobsRunMoreThanOnce();
            List<String> overlaps = executions.overlaps();
            double seconds = (System.nanoTime() - begin) / 1e9;
            System.out.printf("[cluster] CrashIT: jobs=%d executions=%d run-more-than-once=%d overlapping=%d"
                    + " held-by-killed=%d cut-short-by-kill=%d recovery=%.2fs (bound %ds) states-at-kill=%s test=%.1fs%n",
                    JOBS, executions.total, runTwice.size(), overlaps.size(), held.size(), executions.cutShort().size(),
                    recovery.toMillis() / 1000.0, RECOVERY_BOUND.toSeconds(), statesAtKill, seconds);

            assertThat(executions.jobs()).as("jobs that ran").isEqualTo(JOBS);
            assertThat(overlaps).as("runs of one job that overlap in time").isEmpty();
            assertThat(executions.stillRunning()).as("runs without an end in a live process").isEmpty();
            assertThat(held).as("a job runs again only if the dead server held it").containsAll(runTwice);
            assertThat(db.jobsSucceededMoreThanOnce()).as("jobs whose success was recorded twice").isZero();
        }
    }
}
