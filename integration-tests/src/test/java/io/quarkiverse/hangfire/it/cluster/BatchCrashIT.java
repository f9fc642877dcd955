package io.quarkiverse.hangfire.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A batch of 2,000 jobs runs on two servers; one is killed with SIGKILL midway. The batch must still end Succeeded,
 * its counters must say so exactly (each job's final state counted once, though the jobs the dead server held ran
 * again), and its continuation must be released and run exactly once, although the last jobs of the batch finish on
 * two servers at nearly the same moment.
 */
class BatchCrashIT {

    static final int JOBS = 2000;
    static final List<Long> SLEEPS = List.of(2L, 5L, 10L, 20L);

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aBatchSucceedsAndReleasesItsContinuationOnceDespiteAKilledServer() throws Exception {
        long begin = System.nanoTime();
        try (Cluster cluster = Cluster.create("BatchCrashIT")) {
            ClusterDatabase db = cluster.db;
            Cluster.Crash crash = cluster.startTwoForACrash();

            List<Long> created = crash.survivor().batch(JOBS, SLEEPS);
            long batch = created.get(0);
            long continuation = created.get(1);
            crash.killVictimMidway();
            long succeededAtKill = db.count("SELECT succeeded FROM hangfire_batch WHERE id = ?", batch);

            await("batch Succeeded").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> db.count("SELECT COUNT(*) FROM hangfire_batch WHERE id = ? AND state = 'SUCCEEDED'", batch) == 1);
            await("continuation Succeeded").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> db.count("SELECT COUNT(*) FROM hangfire_job WHERE id = ? AND state = 'SUCCEEDED'",
                            continuation) == 1);

            assertThat(db.count("SELECT total FROM hangfire_batch WHERE id = ?", batch)).isEqualTo(JOBS);
            assertThat(db.count("SELECT succeeded FROM hangfire_batch WHERE id = ?", batch)).as("counted successes")
                    .isEqualTo(JOBS);
            assertThat(db.count("SELECT deleted + failed FROM hangfire_batch WHERE id = ?", batch)).isZero();
            assertThat(db.count("SELECT COUNT(*) FROM hangfire_job WHERE batch_id = ? AND state = 'SUCCEEDED'", batch))
                    .as("jobs of the batch that succeeded").isEqualTo(JOBS);
            long continuationRuns = db.count("SELECT COUNT(*) FROM it_execution WHERE job_id = ?", continuation);
            long continuationReleases = db.count("SELECT COUNT(*) FROM hangfire_job_state WHERE job_id = ? AND state = 'ENQUEUED'",
                    continuation);
            long rerun = db.count("SELECT COUNT(*) FROM (SELECT job_id FROM it_execution WHERE job_id <> ? GROUP BY job_id"
                    + " HAVING COUNT(*) > 1) t", continuation);
            double seconds = (System.nanoTime() - begin) / 1e9;
            System.out.printf("[cluster] BatchCrashIT: jobs=%d succeeded-at-kill=%d jobs-run-again=%d continuation-runs=%d"
                    + " continuation-releases=%d test=%.1fs%n", JOBS, succeededAtKill, rerun, continuationRuns,
                    continuationReleases, seconds);
            assertThat(succeededAtKill).as("the kill came midway").isLessThan(JOBS);
            assertThat(continuationReleases).as("the continuation was released once").isEqualTo(1);
            assertThat(continuationRuns).as("the continuation ran once").isEqualTo(1);
            assertThat(db.jobsSucceededMoreThanOnce()).as("jobs whose success was recorded twice").isZero();
            assertThat(crash.survivor().isAlive()).isTrue();
        }
    }
}
