package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;

/**
 * The values job methods returned: stored as JSON under {@code result} in the data of the job's Succeeded state (kept in
 * the job's row until its next state change writes it to the history), read back here for the monitor and for
 * continuations.
 */
@Singleton
public class JobResults {

    /** The most results {@link #ofBatch} reads: a continuation of a larger batch reads them in other ways. */
    public static final int MAX_BATCH_RESULTS = 10_000;

    private final Transactions transactions;
    private final Tables t;

    @Inject
    public JobResults(Transactions transactions) {
        this.transactions = transactions;
        this.t = transactions.tables();
    }

    /** The JSON of the result of a job's last success, or null when it has none. */
    public String of(Connection c, long jobId) throws SQLException {
        // a success the history lacks is in the job's row (see JobRow.Unlogged)
        try (PreparedStatement ps = c.prepareStatement("SELECT state_data FROM " + t.job + " WHERE id = ? AND state = ?"
                + " AND history_pending > 0")) {
            ps.setLong(1, jobId);
            ps.setString(2, JobState.SUCCEEDED.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return result(rs.getString(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM " + t.state + " WHERE job_id = ? AND state = ?"
                + " ORDER BY id DESC LIMIT 1")) {
            ps.setLong(1, jobId);
            ps.setString(2, JobState.SUCCEEDED.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? result(rs.getString(1)) : null;
            }
        }
    }

    /** The JSON results of the succeeded jobs of a batch (not of its nested batches), by job id, oldest job first. */
    public Map<Long, String> ofBatch(Connection c, long batchId) throws SQLException {
        Map<Long, String> results = new TreeMap<>();
        // the successes the history lacks are in the jobs' rows (see JobRow.Unlogged), the others in the history
        try (PreparedStatement ps = c.prepareStatement("SELECT id, state_data FROM " + t.job + " WHERE batch_id = ?"
                + " AND state = ? AND history_pending > 0 ORDER BY id LIMIT ?")) {
            ps.setLong(1, batchId);
            ps.setString(2, JobState.SUCCEEDED.name());
            ps.setInt(3, MAX_BATCH_RESULTS + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    results.put(rs.getLong(1), result(rs.getString(2)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT s.job_id, s.data FROM " + t.state + " s JOIN " + t.job
                + " j ON j.id = s.job_id WHERE j.batch_id = ? AND j.state = ? AND j.history_pending = 0 AND s.state = ?"
                + " ORDER BY s.job_id, s.id LIMIT ?")) {
            ps.setLong(1, batchId);
            ps.setString(2, JobState.SUCCEEDED.name());
            ps.setString(3, JobState.SUCCEEDED.name());
            ps.setInt(4, MAX_BATCH_RESULTS + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // the last success of a job run twice wins
                    results.put(rs.getLong(1), result(rs.getString(2)));
                }
            }
        }
        if (results.size() > MAX_BATCH_RESULTS) {
            throw new IllegalStateException("Batch " + batchId + " has more than " + MAX_BATCH_RESULTS
                    + " results; read them in pages from the jobs' own storage instead");
        }
        results.values().removeIf(java.util.Objects::isNull);
        return results;
    }

    @SuppressWarnings("unchecked")
    private static String result(String data) {
        if (data == null) {
            return null;
        }
        Map<String, String> fields = JobArguments.fromJson(data, Map.class);
        return fields == null ? null : fields.get("result");
    }

    public Transactions transactions() {
        return transactions;
    }
}
