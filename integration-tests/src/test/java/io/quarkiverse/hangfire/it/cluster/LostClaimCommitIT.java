package io.quarkiverse.hangfire.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The answer to the COMMIT of a claim is lost (the proxy resets the connection right after relaying that
 * COMMIT): the database committed the claim (jobs Processing, owned by this server), while the server believes
 * the fetch failed and never runs them. Their lease must not keep them from being run: they have to succeed
 * within a few lease timeouts. (They did not while the heartbeat renewed every lease its server owned; it
 * now renews only the claims the server knows it holds, so these expire and go back to their queue.) Every other job
 * is transactional, and ends with exactly one row in {@code it_effect}.
 */
class LostClaimCommitIT {

    static final int JOBS = 200;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void jobsOfAClaimWhoseCommitAnswerWasLostStillRun() throws Exception {
        try (Cluster cluster = Cluster.create("LostClaimCommitIT")) {
            ClusterDatabase db = cluster.db;
            DatabaseProxy proxy = cluster.proxy();
            AppProcess app = cluster.start(cluster.settings(db.urlThrough(proxy.address())));
            String server = db.serverIdOf(app.pid()).orElseThrow();

            // the claim's UPDATE of the job rows, then its COMMIT
            CompletableFuture<Void> fault = proxy.loseAnswerToCommitAfter("UPDATE hangfire_job SET owner");
            // every other job is transactional: it inserts one row into it_effect in its transaction
            List<Long> transactional = JobsDatabase.everyNth(app.enqueue(JOBS, List.of(20L), null, 2, false), 2);
            fault.get(30, TimeUnit.SECONDS);

            try {
                await("every job Succeeded").atMost(Cluster.LEASE_TIMEOUT.multipliedBy(4)).pollInterval(Duration.ofMillis(500))
                        .until(() -> db.countsByState().equals(Map.of("SUCCEEDED", (long) JOBS)));
            } finally {
                System.out.printf("[cluster] LostClaimCommitIT: states=%s claims-held-by-%s=%s%n", db.countsByState(), server,
                        db.jobsClaimedBy(server));
            }
            assertThat(new Executions(db.executions(), Map.of()).overlaps()).isEmpty();
            Map<Long, List<Long>> rows = JobsDatabase.prepare(JobsDatabase.Kind.MARIADB, cluster).effectPidsByJob();
            assertThat(rows).as("transactional jobs with rows in it_effect").containsOnlyKeys(transactional);
            assertThat(rows).allSatisfy((job, pids) -> assertThat(pids).as("rows of job %d", job).hasSize(1));
        }
    }
}
