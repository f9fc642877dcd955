package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.registry.SizeLimits;

/** Named JSON values attached to jobs: the SQL of the parameter rows, one per job and name. */
@Singleton
public class JobParameters {

    private static final int MAX_NAME = 100;
    private static final String INSERT_COLUMNS = "job_id, name, param_value";

    @Inject
    Transactions transactions;

    @Inject
    JobStore jobs;

    @Inject
    SizeLimits limits;

    @Inject
    QueueStore claims;

    /** One job parameter to insert; {@code value} is JSON. */
    public record ParameterRow(long jobId, String name, String value) {
    }

    /** Inserts parameters of jobs that have none by those names yet (new jobs), with multi-row INSERTs. */
    public void insert(Connection c, List<ParameterRow> rows) throws SQLException {
        Rows.insert(c, transactions.tables().parameter, INSERT_COLUMNS, rows, (ps, i, row) -> {
            ps.setLong(i++, row.jobId());
            ps.setString(i++, row.name());
            ps.setString(i++, row.value());
            return i;
        });
    }

    public <V> Optional<V> get(String jobId, String name, Class<V> type) {
        long id = JobId.parse(jobId);
        String json = transactions.inTransaction(c -> {
            if (!jobs.exists(c, id)) {
                throw new JobNotFoundException(jobId);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT param_value FROM " + transactions.tables().parameter
                    + " WHERE job_id = ? AND name = ?")) {
                ps.setLong(1, id);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        return json == null ? Optional.empty() : Optional.ofNullable(JobArguments.fromJson(json, type));
    }

    /** Writes in the caller's transaction, or in one of its own. */
    public void set(String jobId, String name, Object value) {
        long id = checkedId(jobId, name);
        // checked before the transaction: a refused value must not doom the caller's transaction
        String json = value == null ? null : checkedJson(jobId, id, name, value);
        transactions.inTransaction(c -> write(c, jobId, id, name, json));
    }

    /**
     * Writes and commits at once, what a running job says about itself (it must not wait for the job to end), while
     * {@code attempt} is the job's current one. Returns false, writing nothing, when it is not: the job was claimed
     * again since (see {@link QueueStore#lockCurrentAttempt}).
     */
    public boolean setForAttempt(String jobId, int attempt, String name, Object value) {
        long id = checkedId(jobId, name);
        String json = value == null ? null : checkedJson(jobId, id, name, value);
        return transactions.inNewTransaction(c -> {
            if (!claims.lockCurrentAttempt(c, id, attempt)) {
                return false;
            }
            write(c, jobId, id, name, json);
            return true;
        });
    }

    private static long checkedId(String jobId, String name) {
        checkName(name);
        return JobId.parse(jobId);
    }

    /** Sets or (with a null {@code json}) removes the parameter; the job row's lock serialises its writers. */
    private Void write(Connection c, String jobId, long id, String name, String json) throws SQLException {
        if (jobs.lockJob(c, id) == null) {
            throw new JobNotFoundException(jobId);
        }
        String table = transactions.tables().parameter;
        if (json == null) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE job_id = ? AND name = ?")) {
                ps.setLong(1, id);
                ps.setString(2, name);
                ps.executeUpdate();
            }
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET param_value = ? WHERE job_id = ? AND name = ?")) {
            ps.setString(1, json);
            ps.setLong(2, id);
            ps.setString(3, name);
            if (ps.executeUpdate() > 0) {
                return null;
            }
        }
        insert(c, List.of(new ParameterRow(id, name, json)));
        return null;
    }

    /**
     * The parameters a job filter gave a job about to be created, as the rows to insert with it once its id is known;
     * checked as {@link #set} checks them, before anything is stored. Null values are left out.
     */
    public java.util.function.LongFunction<List<ParameterRow>> forNewJob(String jobName,
            java.util.Map<String, Object> values) {
        java.util.Map<String, String> json = new java.util.LinkedHashMap<>();
        values.forEach((name, value) -> {
            checkName(name);
            if (value != null) {
                String encoded = JobArguments.toRoundTripJson(value, "The value of job parameter '" + name + "'");
                limits.checkParameter("(new)", () -> jobName, name, encoded);
                json.put(name, encoded);
            }
        });
        return id -> json.entrySet().stream().map(e -> new ParameterRow(id, e.getKey(), e.getValue())).toList();
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("A job parameter name must have 1 to " + MAX_NAME
                    + " characters and no control characters: '" + name + "'");
        }
    }

    /** The value as JSON, refused if it does not read back as the same value or is over the size limit. */
    private String checkedJson(String jobId, long id, String name, Object value) {
        String json = JobArguments.toRoundTripJson(value, "The value of job parameter '" + name + "' of job " + jobId);
        limits.checkParameter(jobId, () -> jobName(jobId, id), name, json);
        return json;
    }

    /** The job's name, for a message about it. */
    private String jobName(String jobId, long id) {
        return transactions.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT job_name FROM " + transactions.tables().job
                    + " WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new JobNotFoundException(jobId);
                    }
                    return rs.getString(1);
                }
            }
        });
    }
}
