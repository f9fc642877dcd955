package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.StateRecord;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Transactional jobs commit their own writes with their success and roll them back when they fail or lose their
 * claim; the writes of an attempt whose fencing token is no longer current are refused. "Another server takes the job
 * over" is done here as that server's claim would do it: the job row gets another owner and the next attempt number,
 * in the database, while the attempt runs.
 */
@QuarkusTest
class ExactlyOnceTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Effects effects;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aTransactionalJobCommitsItsWritesWithItsSuccess() {
        String key = key("tx-commit");
        String id = jobs.enqueue(EffectJobs.class, j -> j.insert(key, null));
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(effects.of(key)).singleElement().satisfies(e -> {
            assertThat(e.jobId()).isEqualTo(Long.parseLong(id));
            assertThat(e.token()).as("fencing token of the first attempt").isEqualTo(done.attempt()).isEqualTo(1);
        });
    }

    @Test
    void aFailedTransactionalJobRollsBackItsWritesAndRecordsTheFailure() {
        String key = key("tx-fail");
        String id = jobs.enqueue(EffectJobs.class, j -> j.insertThenFail(key, null));
        JobDetails failed = awaitState(jobs, id, JobState.FAILED);
        assertThat(effects.of(key)).as("rows of the failed attempt").isEmpty();
        StateRecord failure = failed.history().get(0);
        assertThat(failure.state()).isEqualTo(JobState.FAILED);
        assertThat(failure.data()).containsEntry("exceptionMessage", "failed after its insert");
    }

    @Test
    void aTransactionalJobWhoseClaimWasTakenOverRollsBackAndOnlyTheNextAttemptCommits() throws Exception {
        String key = key("tx-zombie");
        EffectJobs.Gate gate = EffectJobs.gate(key);
        String id = jobs.enqueue(EffectJobs.class, j -> j.insertThenWait(key, null));
        assertThat(gate.arrived().await(30, TimeUnit.SECONDS)).as("attempt 1 inserted its row and waits").isTrue();
        takeOver(id);
        gate.open().countDown();

        // attempt 1 cannot commit; the claim of "another server" expires unrenewed and attempt 3 runs here
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(3);
        assertThat(effects.of(key)).as("rows of the job").singleElement()
                .satisfies(e -> assertThat(e.token()).as("token of the attempt that committed").isEqualTo(3));
        assertThat(done.history()).anySatisfy(s -> assertThat(s.reason()).contains("another-server"));
    }

    @Test
    void theLateWriteOfAnAttemptWhoseTokenIsNoLongerCurrentIsRefused() throws Exception {
        String key = key("fenced-log");
        EffectJobs.Gate gate = EffectJobs.gate(key);
        String id = jobs.enqueue(EffectJobs.class, j -> j.waitThenLog(key, null));
        assertThat(gate.arrived().await(30, TimeUnit.SECONDS)).isTrue();
        takeOver(id);
        gate.open().countDown();

        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(3);
        assertThat(EffectJobs.REFUSED).as("refused writes").contains(key + ":1").doesNotContain(key + ":3");
        assertThat(logLines(id)).as("the job's log: attempt, line")
                .containsExactly("3: written after the gate by attempt 3");
    }

    /**
     * What another server's claim of the job writes, its name as owner and the next attempt, with a lease that has run
     * out already (as if that server died at once), so that the watchdog here gives the job back within a heartbeat.
     */
    private void takeOver(String id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE " + prefix()
                + "job SET owner = 'another-server', attempt = attempt + 1, lease_until = created_at"
                + " WHERE id = ? AND state = 'PROCESSING'")) {
            ps.setLong(1, Long.parseLong(id));
            assertThat(ps.executeUpdate()).as("job %s taken over while Processing", id).isEqualTo(1);
        }
    }

    private List<String> logLines(String id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT attempt, line FROM "
                + prefix() + "job_log WHERE job_id = ? ORDER BY id")) {
            ps.setLong(1, Long.parseLong(id));
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getInt(1) + ": " + rs.getString(2));
                }
            }
            return lines;
        }
    }

    private static String prefix() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.hangfire.table-prefix", String.class).orElse("hangfire_");
    }
}
