package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.JobState;

/**
 * The native SQL of the job tables: every statement the hot path and the state machine run, in one place.
 * All of it is accepted by MySQL 8, MariaDB 10.6, PostgreSQL and H2; what differs lives in {@link Dialect}.
 * Lock order, to keep transactions from deadlocking each other: job rows (ascending id) before queue rows;
 * only the fetcher and the lease watchdog start from queue rows, and they skip locked job rows instead of
 * waiting for them.
 */
@Singleton
public class JobSql {

    /** Rows per multi-row INSERT, well under every driver's parameter limit. */
    private static final int INSERT_CHUNK = 200;

    private final Storage storage;
    private final Tables t;

    @Inject
    public JobSql(Storage storage) {
        this.storage = storage;
        this.t = storage.tables();
    }

    /** A job row to insert, already in its first state. */
    public record NewJobRow(String jobName, String queue, String arguments, JobState state, String reason,
            Instant scheduledAt, Long parentId, ContinuationOption option) {
    }

    /** Inserts a job row already in its first state and returns its id. */
    public long insertJob(Connection c, NewJobRow row, Instant now) throws SQLException {
        return insertJobs(c, List.of(row), now).get(0);
    }

    /**
     * Inserts job rows with multi-row INSERTs and returns their ids in the order of {@code rows}: one key per row,
     * in row order, from the generated keys or the dialect's RETURNING clause.
     */
    public List<Long> insertJobs(Connection c, List<NewJobRow> rows, Instant now) throws SQLException {
        List<Long> ids = new ArrayList<>(rows.size());
        for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
            List<NewJobRow> chunk = rows.subList(from, Math.min(rows.size(), from + INSERT_CHUNK));
            String sql = "INSERT INTO " + t.job + " (job_name, queue, arguments, state, state_reason, state_changed_at,"
                    + " attempt, retry_count, created_at, scheduled_at, expire_at, parent_id, continuation_option) VALUES "
                    + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?, ?, 0, 0, ?, ?, NULL, ?, ?)"));
            String returning = storage.dialect().returningId();
            try (PreparedStatement ps = returning == null ? c.prepareStatement(sql, new String[] { "id" })
                    : c.prepareStatement(sql + returning)) {
                int i = 1;
                for (NewJobRow row : chunk) {
                    ps.setString(i++, row.jobName());
                    ps.setString(i++, row.queue());
                    ps.setString(i++, row.arguments());
                    ps.setString(i++, row.state().name());
                    ps.setString(i++, truncate(row.reason(), 500));
                    ps.setObject(i++, ts(now));
                    ps.setObject(i++, ts(now));
                    ps.setObject(i++, ts(row.scheduledAt()));
                    if (row.parentId() == null) {
                        ps.setNull(i++, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(i++, row.parentId());
                    }
                    ps.setString(i++, row.option() == null ? null : row.option().name());
                }
                int before = ids.size();
                // execute(), not executeQuery(): MySQL Connector/J refuses an INSERT there even with RETURNING
                ps.execute();
                try (ResultSet keys = returning == null ? ps.getGeneratedKeys() : ps.getResultSet()) {
                    while (keys.next()) {
                        ids.add(keys.getLong(1));
                    }
                }
                if (ids.size() - before != chunk.size()) {
                    throw new SQLException("The driver returned " + (ids.size() - before) + " generated key(s) for an"
                            + " INSERT of " + chunk.size() + " job rows");
                }
            }
        }
        return ids;
    }

    /** Locks one job row for a state change; null when there is no such job. */
    public JobRow lockJob(Connection c, long id) throws SQLException {
        List<JobRow> rows = selectJobs(c, List.of(id), " FOR UPDATE");
        return rows.isEmpty() ? null : rows.get(0);
    }

    public boolean exists(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + t.job + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Locks job rows in ascending id order. */
    public List<JobRow> lockJobs(Connection c, Collection<Long> ids) throws SQLException {
        return selectJobs(c, ids, " FOR UPDATE");
    }

    /** Locks job rows in ascending id order without reading them: for writers that already know what they hold. */
    public void lockJobIds(Connection c, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + t.job + " WHERE id IN (" + marks(ids.size())
                + ") ORDER BY id FOR UPDATE")) {
            bindLongs(ps, 1, ids);
            ps.executeQuery().close();
        }
    }

    /** Locks the job rows no other transaction holds, and passes over the rest. */
    public List<JobRow> lockJobsSkipLocked(Connection c, Collection<Long> ids) throws SQLException {
        return selectJobs(c, ids, storage.dialect().forUpdateSkipLocked());
    }

    private List<JobRow> selectJobs(Connection c, Collection<Long> ids, String lock) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + JobRow.COLUMNS + " FROM " + t.job + " WHERE id IN (" + marks(ids.size()) + ") ORDER BY id"
                + lock;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindLongs(ps, 1, ids);
            return readRows(ps);
        }
    }

    /** The continuations still waiting for any of these parents, locked. */
    public List<JobRow> lockAwaitingChildren(Connection c, Collection<Long> parentIds) throws SQLException {
        if (parentIds.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + JobRow.COLUMNS + " FROM " + t.job + " WHERE parent_id IN (" + marks(parentIds.size())
                + ") AND state = ? ORDER BY id FOR UPDATE";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindLongs(ps, 1, parentIds);
            ps.setString(i, JobState.AWAITING.name());
            return readRows(ps);
        }
    }

    /** How the retry counter changes with a state change. */
    public enum RetryCount {
        KEEP, INCREMENT, RESET
    }

    /** Moves a set of jobs to the same state with the same reason. */
    public void updateState(Connection c, Collection<Long> ids, JobState state, String reason, Instant now,
            Instant scheduledAt, Instant expireAt, RetryCount retryCount) throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE ").append(t.job)
                .append(" SET state = ?, state_reason = ?, state_changed_at = ?, scheduled_at = ?, expire_at = ?");
        if (state == JobState.PROCESSING) {
            sql.append(", attempt = attempt + 1");
        }
        if (retryCount == RetryCount.INCREMENT) {
            sql.append(", retry_count = retry_count + 1");
        } else if (retryCount == RetryCount.RESET) {
            sql.append(", retry_count = 0");
        }
        sql.append(" WHERE id IN (").append(marks(ids.size())).append(')');
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setString(1, state.name());
            ps.setString(2, truncate(reason, 500));
            ps.setObject(3, ts(now));
            ps.setObject(4, ts(scheduledAt));
            ps.setObject(5, ts(expireAt));
            bindLongs(ps, 6, ids);
            ps.executeUpdate();
        }
    }

    /** Moves a job to another queue (a job filter elected it); its queue row is written with its next state. */
    public void moveToQueue(Connection c, long id, String queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.job + " SET queue = ? WHERE id = ?")) {
            ps.setString(1, queue);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    public boolean updateExpiration(Connection c, long id, Instant expireAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.job + " SET expire_at = ? WHERE id = ?")) {
            ps.setObject(1, ts(expireAt));
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** One state history row to insert. */
    public record HistoryRow(long jobId, JobState state, String reason, Instant createdAt, String data) {
    }

    public void insertHistory(Connection c, List<HistoryRow> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
            List<HistoryRow> chunk = rows.subList(from, Math.min(rows.size(), from + INSERT_CHUNK));
            String sql = "INSERT INTO " + t.state + " (job_id, state, reason, created_at, data) VALUES "
                    + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?)"));
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (HistoryRow row : chunk) {
                    ps.setLong(i++, row.jobId());
                    ps.setString(i++, row.state().name());
                    ps.setString(i++, truncate(row.reason(), 500));
                    ps.setObject(i++, ts(row.createdAt()));
                    ps.setString(i++, row.data());
                }
                ps.executeUpdate();
            }
        }
    }

    /** One job parameter to insert; {@code value} is JSON. */
    public record ParameterRow(long jobId, String name, String value) {
    }

    /** Inserts parameters of jobs that have none by those names yet (new jobs). */
    public void insertParameters(Connection c, List<ParameterRow> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
            List<ParameterRow> chunk = rows.subList(from, Math.min(rows.size(), from + INSERT_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.parameter + " (job_id, name, param_value) VALUES "
                    + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?)")))) {
                int i = 1;
                for (ParameterRow row : chunk) {
                    ps.setLong(i++, row.jobId());
                    ps.setString(i++, row.name());
                    ps.setString(i++, row.value());
                }
                ps.executeUpdate();
            }
        }
    }

    /** Puts jobs at the end of their queues, unclaimed. */
    public void insertQueueRows(Connection c, List<JobRow> jobs, Instant now) throws SQLException {
        for (int from = 0; from < jobs.size(); from += INSERT_CHUNK) {
            List<JobRow> chunk = jobs.subList(from, Math.min(jobs.size(), from + INSERT_CHUNK));
            String sql = "INSERT INTO " + t.queue + " (job_id, queue, enqueued_at) VALUES "
                    + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?)"));
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (JobRow job : chunk) {
                    ps.setLong(i++, job.id());
                    ps.setString(i++, job.queue());
                    ps.setObject(i++, ts(now));
                }
                ps.executeUpdate();
            }
        }
    }

    public void deleteQueueRows(Connection c, Collection<Long> jobIds) throws SQLException {
        if (jobIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.queue + " WHERE job_id IN (" + marks(jobIds.size())
                + ")")) {
            bindLongs(ps, 1, jobIds);
            ps.executeUpdate();
        }
    }

    /** A job's claim: its queue row id (the claim token) and owner, or null when it has no queue row. */
    public record QueueEntry(long id, long jobId, String queue, String owner, Instant enqueuedAt) {
    }

    public QueueEntry queueEntry(Connection c, long jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, job_id, queue, owner, enqueued_at FROM " + t.queue
                + " WHERE job_id = ?")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? readEntry(rs) : null;
            }
        }
    }

    /** Locks the queue rows of these claims that {@code owner} still holds, and returns them. */
    public List<QueueEntry> lockOwnedEntries(Connection c, Collection<Long> queueRowIds, String owner) throws SQLException {
        if (queueRowIds.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT id, job_id, queue, owner, enqueued_at FROM " + t.queue + " WHERE id IN ("
                + marks(queueRowIds.size()) + ") AND owner = ? ORDER BY id FOR UPDATE";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindLongs(ps, 1, queueRowIds);
            ps.setString(i, owner);
            return readEntries(ps);
        }
    }

    /**
     * Locks up to {@code limit} unclaimed queue rows of one queue after the row {@code afterId}, oldest first,
     * passing over locked ones.
     */
    public List<QueueEntry> lockUnclaimed(Connection c, String queue, long afterId, int limit) throws SQLException {
        String sql = "SELECT id, job_id, queue, owner, enqueued_at FROM " + t.queue
                + " WHERE queue = ? AND owner IS NULL AND id > ? ORDER BY id LIMIT ?" + storage.dialect().forUpdateSkipLocked();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, queue);
            ps.setLong(2, afterId);
            ps.setInt(3, limit);
            return readEntries(ps);
        }
    }

    /** The claims among these that {@code owner} still holds. */
    public Set<Long> ownedClaims(Connection c, Collection<Long> queueRowIds, String owner) throws SQLException {
        Set<Long> owned = new HashSet<>();
        if (queueRowIds.isEmpty()) {
            return owned;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + t.queue + " WHERE owner = ? AND id IN ("
                + marks(queueRowIds.size()) + ")")) {
            ps.setString(1, owner);
            bindLongs(ps, 2, queueRowIds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owned.add(rs.getLong(1));
                }
            }
        }
        return owned;
    }

    public void claim(Connection c, Collection<Long> queueRowIds, String owner, Instant leaseUntil) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.queue + " SET owner = ?, lease_until = ? WHERE id IN ("
                + marks(queueRowIds.size()) + ")")) {
            ps.setString(1, owner);
            ps.setObject(2, ts(leaseUntil));
            bindLongs(ps, 3, queueRowIds);
            ps.executeUpdate();
        }
    }

    /**
     * Extends the leases of these claims, if {@code owner} still holds them. Only claims the server knows it
     * holds are renewed: a claim whose commit it never saw (the connection broke during the commit) expires
     * and goes back to its queue instead of staying claimed forever.
     */
    public void renewLeases(Connection c, String owner, Collection<Long> queueRowIds, Instant leaseUntil) throws SQLException {
        List<Long> ids = new ArrayList<>(queueRowIds);
        for (int from = 0; from < ids.size(); from += INSERT_CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + INSERT_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.queue + " SET lease_until = ? WHERE owner = ? AND id IN ("
                    + marks(chunk.size()) + ")")) {
                ps.setObject(1, ts(leaseUntil));
                ps.setString(2, owner);
                bindLongs(ps, 3, chunk);
                ps.executeUpdate();
            }
        }
    }

    /** Locks claimed queue rows whose lease ran out, passing over locked ones. */
    public List<QueueEntry> lockExpiredLeases(Connection c, Instant now, int limit) throws SQLException {
        String sql = "SELECT id, job_id, queue, owner, enqueued_at FROM " + t.queue
                + " WHERE owner IS NOT NULL AND lease_until < ? ORDER BY id LIMIT ?" + storage.dialect().forUpdateSkipLocked();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, ts(now));
            ps.setInt(2, limit);
            return readEntries(ps);
        }
    }

    /** Locks up to {@code limit} scheduled jobs that are due, earliest first, passing over locked ones. */
    public List<JobRow> lockDueScheduled(Connection c, Instant now, int limit) throws SQLException {
        String sql = "SELECT " + JobRow.COLUMNS + " FROM " + t.job + " WHERE state = ? AND scheduled_at <= ?"
                + " ORDER BY scheduled_at LIMIT ?" + storage.dialect().forUpdateSkipLocked();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, JobState.SCHEDULED.name());
            ps.setObject(2, ts(now));
            ps.setInt(3, limit);
            return readRows(ps);
        }
    }

    /** Locks up to {@code limit} jobs past their expiration time, passing over locked ones. */
    public List<Long> lockExpired(Connection c, Instant now, int limit) throws SQLException {
        String sql = "SELECT id FROM " + t.job + " WHERE expire_at < ? ORDER BY expire_at LIMIT ?"
                + storage.dialect().forUpdateSkipLocked();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, ts(now));
            ps.setInt(2, limit);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    /** Removes jobs with their history, parameters, log lines and queue rows. */
    public void deleteJobs(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        for (String table : List.of(t.state, t.parameter, t.log, t.queue)) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE job_id IN (" + marks(ids.size())
                    + ")")) {
                bindLongs(ps, 1, ids);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.job + " WHERE id IN (" + marks(ids.size()) + ")")) {
            bindLongs(ps, 1, ids);
            ps.executeUpdate();
        }
    }

    private static List<JobRow> readRows(PreparedStatement ps) throws SQLException {
        List<JobRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(JobRow.read(rs));
            }
        }
        return rows;
    }

    private static List<QueueEntry> readEntries(PreparedStatement ps) throws SQLException {
        List<QueueEntry> entries = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                entries.add(readEntry(rs));
            }
        }
        return entries;
    }

    private static QueueEntry readEntry(ResultSet rs) throws SQLException {
        return new QueueEntry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                JobClock.fromDb(rs.getObject(5, java.time.LocalDateTime.class)));
    }

    private Object ts(Instant instant) {
        return storage.dialect().timestamp(instant);
    }

    /** {@code n} comma-separated parameter marks, for an IN list. */
    public static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    static int bindLongs(PreparedStatement ps, int from, Collection<Long> values) throws SQLException {
        int i = from;
        for (long v : values) {
            ps.setLong(i++, v);
        }
        return i;
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
