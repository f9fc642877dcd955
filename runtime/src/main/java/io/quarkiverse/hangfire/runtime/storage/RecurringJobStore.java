package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.RecurringJobInfo;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;

/**
 * The SQL of the recurring job rows: a definition (job, arguments, cron, zone, queue, misfire), whether it is
 * paused, its next occurrence and the last job it created.
 */
@Singleton
public class RecurringJobStore {

    private static final String DEFINITION_COLUMNS = "id, job_name, arguments, cron, time_zone, queue, misfire";

    /** A stored recurring job's definition. */
    public record Definition(String id, String jobName, String arguments, String cron, String zone, String queue,
            Misfire misfire) {
    }

    /** A recurring job that is due, with the occurrence it is due for. */
    public record Due(Definition definition, Instant at) {
    }

    /** The schedule of a stored recurring job, as its update needs it. */
    public record Schedule(String cron, String zone, boolean paused) {
    }

    private final Transactions transactions;
    private final Tables t;

    @Inject
    public RecurringJobStore(Transactions transactions) {
        this.transactions = transactions;
        this.t = transactions.tables();
    }

    /** Locks the recurring job's row and returns its schedule; null when there is none. */
    public Schedule lockSchedule(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT cron, time_zone, paused FROM " + t.recurring
                + " WHERE id = ? FOR UPDATE")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Schedule(rs.getString(1), rs.getString(2), rs.getBoolean(3)) : null;
            }
        }
    }

    /** Locks the recurring job's row and returns its definition; null when there is none. */
    public Definition lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DEFINITION_COLUMNS + " FROM " + t.recurring
                + " WHERE id = ? FOR UPDATE")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        }
    }

    /**
     * Adds a recurring job, not paused, due next at {@code next}, unless one with its id exists; either way the row is
     * then there to be locked ({@link #lockSchedule}). Written before any read of the row, so that two transactions
     * adding the same new id hold no lock the other needs: a locking read of a missing row takes a gap lock on InnoDB,
     * and two such readers then each wait for the other's gap to insert (a deadlock, which the database resolves by
     * failing one transaction, the caller's own when the caller holds one). Here the second waits for the first to
     * commit, and finds its row.
     */
    public void addIfAbsent(Connection c, Definition d, Instant next, Instant now) throws SQLException {
        Dialect dialect = transactions.dialect();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.recurring + " (" + DEFINITION_COLUMNS
                + ", paused, next_execution, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + dialect.onDuplicateKeyLockRow("id"))) {
            ps.setString(1, d.id());
            int i = bindDefinition(ps, 2, d);
            ps.setBoolean(i++, false);
            ps.setObject(i++, ts(next));
            ps.setObject(i++, ts(now));
            ps.setObject(i, ts(now));
            dialect.insertIfAbsent(ps);
        }
    }

    /** Updates a recurring job's definition; with a {@code next} occurrence, also moves it there and clears its error. */
    public void update(Connection c, Definition d, Instant next, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.recurring + " SET job_name = ?, arguments = ?, cron = ?,"
                + " time_zone = ?, queue = ?, misfire = ?, updated_at = ?"
                + (next != null ? ", next_execution = ?, error = NULL" : "") + " WHERE id = ?")) {
            int i = bindDefinition(ps, 1, d);
            ps.setObject(i++, ts(now));
            if (next != null) {
                ps.setObject(i++, ts(next));
            }
            ps.setString(i, d.id());
            ps.executeUpdate();
        }
    }

    public boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.recurring + " WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Pauses or resumes a recurring job, with its next occurrence (null while paused). */
    public void setPaused(Connection c, String id, boolean paused, Instant next, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.recurring
                + " SET paused = ?, next_execution = ?, updated_at = ? WHERE id = ?")) {
            ps.setBoolean(1, paused);
            ps.setObject(2, ts(next));
            ps.setObject(3, ts(now));
            ps.setString(4, id);
            ps.executeUpdate();
        }
    }

    /** Locks up to {@code limit} recurring jobs that are due, earliest first, passing over locked ones. */
    public List<Due> lockDue(Connection c, Instant now, int limit) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DEFINITION_COLUMNS + ", next_execution FROM " + t.recurring
                + " WHERE paused = ? AND next_execution <= ? ORDER BY next_execution LIMIT ?"
                + transactions.dialect().forUpdateSkipLocked())) {
            ps.setBoolean(1, false);
            ps.setObject(2, ts(now));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(read(rs), Rows.time(rs, 8)));
                }
            }
        }
        return due;
    }

    /**
     * Moves a recurring job to its next occurrence (null: none) with the error that stopped it (or null); with a
     * {@code lastJob}, also records the job it created last and that job's occurrence.
     */
    public void advance(Connection c, String id, Instant next, String error, Instant lastExecution, Long lastJob, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.recurring + " SET next_execution = ?, error = ?, updated_at = ?"
                + (lastJob != null ? ", last_execution = ?, last_job_id = ?" : "") + " WHERE id = ?")) {
            int i = 1;
            ps.setObject(i++, ts(next));
            ps.setString(i++, error);
            ps.setObject(i++, ts(now));
            if (lastJob != null) {
                ps.setObject(i++, ts(lastExecution));
                ps.setLong(i++, lastJob);
            }
            ps.setString(i, id);
            ps.executeUpdate();
        }
    }

    /** Records a job created on request, outside the schedule, as the recurring job's last. */
    public void recordTriggered(Connection c, String id, long jobId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.recurring
                + " SET last_execution = ?, last_job_id = ?, updated_at = ? WHERE id = ?")) {
            ps.setObject(1, ts(now));
            ps.setLong(2, jobId);
            ps.setObject(3, ts(now));
            ps.setString(4, id);
            ps.executeUpdate();
        }
    }

    /** The stored recurring jobs, or only the one with {@code id} when it is not null, by id. */
    public List<RecurringJobInfo> list(Connection c, String id) throws SQLException {
        List<RecurringJobInfo> jobs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.job_name, r.arguments, r.cron, r.time_zone, r.queue,"
                + " r.misfire, r.paused, r.next_execution, r.last_execution, r.last_job_id, j.state, r.error, r.created_at"
                + " FROM " + t.recurring + " r LEFT JOIN " + t.job + " j ON j.id = r.last_job_id"
                + (id == null ? "" : " WHERE r.id = ?") + " ORDER BY r.id")) {
            if (id != null) {
                ps.setString(1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long lastJob = rs.getLong(11);
                    String lastJobId = rs.wasNull() ? null : Long.toString(lastJob);
                    String lastState = rs.getString(12);
                    jobs.add(new RecurringJobInfo(rs.getString(1), rs.getString(2), JobArguments.split(rs.getString(2), rs.getString(3)),
                            rs.getString(4), rs.getString(5), rs.getString(6), Misfire.valueOf(rs.getString(7)),
                            rs.getBoolean(8), Rows.time(rs, 9), Rows.time(rs, 10), lastJobId,
                            lastState == null ? null : JobState.valueOf(lastState), rs.getString(13), Rows.time(rs, 14)));
                }
            }
        }
        return jobs;
    }

    /** Binds the definition's columns after the id, in the order of {@link #DEFINITION_COLUMNS}. */
    private static int bindDefinition(PreparedStatement ps, int from, Definition d) throws SQLException {
        int i = from;
        ps.setString(i++, d.jobName());
        ps.setString(i++, d.arguments());
        ps.setString(i++, d.cron());
        ps.setString(i++, d.zone());
        ps.setString(i++, d.queue());
        ps.setString(i++, d.misfire().name());
        return i;
    }

    private static Definition read(ResultSet rs) throws SQLException {
        return new Definition(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), Misfire.valueOf(rs.getString(7)));
    }

    private Object ts(Instant instant) {
        return transactions.dialect().timestamp(instant);
    }
}
