package io.quarkiverse.hangfire.it;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.StateRecord;

/**
 * Waiting for and reading job states (generous bounds, because tests assert outcomes, not speed), and reading or
 * changing the stored rows directly, as the tests that check what is stored do.
 */
final class JobAssertions {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private JobAssertions() {
    }

    static String key(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static JobDetails details(JobScheduler jobs, String id) {
        return jobs.monitor().job(id).orElseThrow(() -> new AssertionError("job " + id + " not found"));
    }

    static JobDetails awaitState(JobScheduler jobs, String id, JobState state) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> jobs.monitor().job(id).map(JobDetails::state).orElse(null) == state);
        return details(jobs, id);
    }

    /** The states of the history, oldest first. */
    static List<JobState> historyStates(JobDetails details) {
        return details.history().stream().map(StateRecord::state).collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), l -> { java.util.Collections.reverse(l); return l; }));
    }

    /** The first column of every row {@code query} returns, as text. */
    static List<String> column(DataSource dataSource, String query, Object... parameters) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = bound(c, query, parameters);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** The first column of the one row {@code query} returns, as text; fails when it returns none. */
    static String single(DataSource dataSource, String query, Object... parameters) throws SQLException {
        List<String> values = column(dataSource, query, parameters);
        if (values.isEmpty()) {
            throw new AssertionError("no row for " + query + " with " + List.of(parameters));
        }
        return values.get(0);
    }

    /** Runs {@code statement}; returns how many rows it changed. */
    static int update(DataSource dataSource, String statement, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = bound(c, statement, parameters)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement bound(Connection c, String sql, Object... parameters) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            ps.setObject(i + 1, parameters[i]);
        }
        return ps;
    }
}
