package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.historyStates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.StateRecord;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A job that succeeds writes no history row (schema version 5): its row stands for its Enqueued, Processing and
 * Succeeded states until it changes state again, which writes them. What is shown before and after is the same.
 */
@QuarkusTest
class SuccessHistoryTest {

    @Inject
    JobScheduler jobs;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aSuccessIsShownFromTheRowAndWrittenWhenTheJobMovesOn() throws SQLException {
        String id = jobs.enqueue(TestJobs.class, j -> j.sum(20, 22));
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);

        assertThat(historyRows(id)).as("history rows of a job that succeeded at its first attempt").isEmpty();
        assertThat(historyStates(done)).containsExactly(JobState.ENQUEUED, JobState.PROCESSING, JobState.SUCCEEDED);
        StateRecord succeeded = done.history().get(0);
        StateRecord processing = done.history().get(1);
        StateRecord enqueued = done.history().get(2);
        assertThat(succeeded.data()).containsEntry("result", "42").containsKeys("duration", "latency", "server");
        assertThat(processing.data()).containsEntry("server", succeeded.data().get("server"));
        assertThat(enqueued.createdAt()).isBeforeOrEqualTo(processing.createdAt());
        assertThat(processing.createdAt()).isBeforeOrEqualTo(succeeded.createdAt());
        assertThat(jobs.monitor().result(id, Integer.class)).contains(42);

        // a requeue writes the states the row stood for, then its own; the second run keeps its success in the row
        assertThat(jobs.requeue(id)).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> historyStates(jobs.monitor().job(id).orElseThrow())
                .equals(List.of(JobState.ENQUEUED, JobState.PROCESSING, JobState.SUCCEEDED, JobState.ENQUEUED,
                        JobState.PROCESSING, JobState.SUCCEEDED)));
        JobDetails again = jobs.monitor().job(id).orElseThrow();
        assertThat(historyRows(id)).containsExactly("ENQUEUED", "PROCESSING", "SUCCEEDED", "ENQUEUED");
        // the first run's states, now read from the history, are what the row showed
        assertThat(again.history().subList(3, 6)).isEqualTo(done.history());
        assertThat(again.history().get(0).data()).containsEntry("result", "42");
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(jobs.monitor().result(id, Integer.class)).contains(42);

        // and deleting it writes the second run's states before the Deleted one
        assertThat(jobs.delete(id)).isTrue();
        assertThat(historyRows(id)).containsExactly("ENQUEUED", "PROCESSING", "SUCCEEDED", "ENQUEUED", "PROCESSING",
                "SUCCEEDED", "DELETED");
        assertThat(jobs.monitor().job(id).orElseThrow().history().subList(1, 7)).isEqualTo(again.history());
    }

    /** The states of the job's history rows, oldest first. */
    private List<String> historyRows(String id) throws SQLException {
        List<String> states = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT state FROM hangfire_job_state WHERE job_id = ? ORDER BY id")) {
            ps.setLong(1, Long.parseLong(id));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.add(rs.getString(1));
                }
            }
        }
        return states;
    }
}
