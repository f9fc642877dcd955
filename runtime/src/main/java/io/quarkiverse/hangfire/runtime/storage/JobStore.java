package io.quarkiverse.hangfire.runtime.storage;

import static io.quarkiverse.hangfire.runtime.storage.Rows.bindLongs;
import static io.quarkiverse.hangfire.runtime.storage.Rows.marks;
import static io.quarkiverse.hangfire.runtime.storage.Rows.truncate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.JobState;

/**
 * The SQL of the job rows and their state history: what the state machine, the API and the server's
 * maintenance run on them. All of it is accepted by MySQL 8, MariaDB 10.6, PostgreSQL and H2; what differs lives
 * in {@link Dialect}. Lock order, to keep transactions from deadlocking each other: job rows in ascending id order;
 * the claims and the lease watchdog ({@link QueueStore}) lock them in another order, and so skip locked rows
 * instead of waiting for them.
 */
@Singleton
public class JobStore {

    /** The columns a new job row is inserted with, in the order {@link #insertJobs} binds them. */
    private static final String INSERT_COLUMNS = "job_name, queue, arguments, state, state_reason, state_changed_at,"
            + " attempt, retry_count, created_at, scheduled_at, expire_at, parent_id, continuation_option, enqueued_at,"
            + " history_pending, priority, deadline, unique_key, batch_id, awaited_batch_id, waiting_queue";
    private static final String HISTORY_COLUMNS = "job_id, state, reason, created_at, data";

    private final Transactions transactions;
    private final Tables t;

    @Inject
    public JobStore(Transactions transactions) {
        this.transactions = transactions;
        this.t = transactions.tables();
    }

    /**
     * A job row to insert, already in its first state. Built by one constructor: the columns that most jobs leave
     * empty come in two groups, {@link Flow} and {@link BatchLink}, each with its empty value, so that a new column is
     * added to one record here and to {@link #insertJobs}.
     *
     * @param logged whether its history gets the first state's row in the same transaction; if not, the row itself
     *        stands for it until the next state change writes it
     */
    public record NewJobRow(String jobName, String queue, String arguments, JobState state, String reason,
            Instant scheduledAt, Long parentId, ContinuationOption option, boolean logged, Flow flow, BatchLink batch) {

        /**
         * The flow control columns.
         *
         * @param priority higher starts first (stored as the slot {@code -priority}, lower first)
         * @param deadline when the job, not started by then, is deleted; or null
         * @param uniqueKey the unique key it holds, or null
         */
        public record Flow(int priority, Instant deadline, String uniqueKey) {

            /** Default priority, no deadline, no unique key. */
            public static final Flow NONE = new Flow(0, null, null);
        }

        /**
         * The batch columns.
         *
         * @param batchId the batch the job belongs to, or null
         * @param awaitedBatchId the batch an Awaiting job waits for, or null
         */
        public record BatchLink(Long batchId, Long awaitedBatchId) {

            /** Of no batch, waiting for none. */
            public static final BatchLink NONE = new BatchLink(null, null);

            /** A member of batch {@code batchId} (null: of none). */
            public static BatchLink memberOf(Long batchId) {
                return new BatchLink(batchId, null);
            }
        }

        /** The row as {@link #insertJobs} wrote it with {@code id} at {@code now}. */
        public JobRow inserted(long id, Instant now) {
            return new JobRow(id, jobName, queue, arguments, state, 0, 0, parentId, option, null,
                    logged ? null : new JobRow.Unlogged(1, reason, now, now, null, null), flow.deadline(), flow.uniqueKey(),
                    batch.batchId(), batch.awaitedBatchId(), false);
        }
    }

    /** Inserts a job row already in its first state and returns its id. */
    public long insertJob(Connection c, NewJobRow row, Instant now) throws SQLException {
        return insertJobs(c, List.of(row), now).get(0);
    }

    /**
     * Inserts job rows with multi-row INSERTs and returns their ids in the order of {@code rows}. The parents of the
     * continuations among them are marked as having continuations: the caller holds their locks (see
     * {@link JobRow#hasContinuations}).
     */
    public List<Long> insertJobs(Connection c, List<NewJobRow> rows, Instant now) throws SQLException {
        java.util.Set<Long> parents = null;
        for (NewJobRow row : rows) {
            if (row.parentId() != null) {
                (parents == null ? parents = new java.util.TreeSet<>() : parents).add(row.parentId());
            }
        }
        if (parents != null) {
            markHasContinuations(c, parents);
        }
        Object created = ts(now);
        return Rows.insertReturningIds(c, transactions.dialect(), t.job, INSERT_COLUMNS, rows, (ps, i, row) -> {
            ps.setString(i++, row.jobName());
            ps.setString(i++, row.queue());
            ps.setString(i++, row.arguments());
            ps.setString(i++, row.state().name());
            ps.setString(i++, truncate(row.reason(), 500));
            ps.setObject(i++, created);
            ps.setInt(i++, 0);
            ps.setInt(i++, 0);
            ps.setObject(i++, created);
            ps.setObject(i++, ts(row.scheduledAt()));
            ps.setObject(i++, null);
            Rows.setLong(ps, i++, row.parentId());
            ps.setString(i++, row.option() == null ? null : row.option().name());
            ps.setObject(i++, row.state() == JobState.ENQUEUED ? created : null);
            ps.setInt(i++, row.logged() ? 0 : 1);
            ps.setInt(i++, -row.flow().priority());
            ps.setObject(i++, ts(row.flow().deadline()));
            ps.setString(i++, row.flow().uniqueKey());
            Rows.setLong(ps, i++, row.batch().batchId());
            Rows.setLong(ps, i++, row.batch().awaitedBatchId());
            ps.setString(i++, row.state() == JobState.ENQUEUED ? row.queue() : null);
            return i;
        });
    }

    /**
     * Records that continuations wait for these jobs, whose locks the caller holds: their completion then looks for
     * what to release. Never cleared; a job without the mark releases nothing when it finishes.
     */
    public void markHasContinuations(Connection c, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        // a parent marked already is left alone: no new row version for a second continuation
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.job + " SET has_continuations = ? WHERE id IN ("
                + marks(ids.size()) + ") AND has_continuations = ?")) {
            ps.setBoolean(1, true);
            int next = bindLongs(ps, 2, ids);
            ps.setBoolean(next, false);
            ps.executeUpdate();
        }
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
        return selectJobs(c, ids, transactions.dialect().forUpdateSkipLocked());
    }

    private List<JobRow> selectJobs(Connection c, Collection<Long> ids, String lock) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + JobRow.COLUMNS + " FROM " + t.job + " WHERE id IN (" + marks(ids.size()) + ") ORDER BY id"
                + lock;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindLongs(ps, 1, ids);
            return JobRow.readAll(ps);
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
            return JobRow.readAll(ps);
        }
    }

    /** How the retry counter changes with a state change. */
    public enum RetryCount {
        KEEP, INCREMENT, RESET
    }

    /**
     * Moves a set of jobs to the same state with the same reason, their history complete (the caller writes what it
     * lacked). An Enqueued job goes to the end of its queue; a job leaves its claim, if it had one. Claims are
     * {@link QueueStore#claim}'s.
     */
    public void updateState(Connection c, Collection<Long> ids, JobState state, String reason, Instant now,
            Instant scheduledAt, Instant expireAt, RetryCount retryCount) throws SQLException {
        if (state == JobState.PROCESSING) {
            throw new IllegalArgumentException("A job becomes Processing through a claim");
        }
        // an Enqueued job waits in its queue from now; any other leaves the claim index as it is (waiting_queue stays
        // null for a job that does not wait, and enqueued_at is read only while it does)
        StringBuilder sql = new StringBuilder("UPDATE ").append(t.job)
                .append(" SET state = ?, state_reason = ?, state_changed_at = ?, scheduled_at = ?, expire_at = ?,")
                .append(state == JobState.ENQUEUED ? " enqueued_at = ?, waiting_queue = queue," : " waiting_queue = NULL,")
                .append(" owner = NULL, lease_until = NULL, history_pending = 0, state_data = NULL");
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
            int next = 6;
            if (state == JobState.ENQUEUED) {
                ps.setObject(next++, ts(now));
            }
            bindLongs(ps, next, ids);
            ps.executeUpdate();
        }
    }

    /**
     * Moves claimed jobs to Succeeded without writing their history: each row keeps its success's data ({@code data},
     * by job id) and counts one more state the history lacks (see {@link JobRow.Unlogged}), so that a job that succeeds
     * at its first attempt inserts no history row at all. The jobs leave their claim and expire at {@code expireAt}.
     */
    public void succeedUnlogged(Connection c, Map<Long, String> data, String reason, Instant now, Instant expireAt)
            throws SQLException {
        List<Long> all = new ArrayList<>(data.keySet());
        for (int from = 0; from < all.size(); from += Rows.CHUNK) {
            List<Long> ids = all.subList(from, Math.min(all.size(), from + Rows.CHUNK));
            // one statement for the whole batch, each row its own data
            StringBuilder sql = new StringBuilder("UPDATE ").append(t.job).append(" SET state = ?, state_reason = ?,"
                    + " state_changed_at = ?, scheduled_at = NULL, expire_at = ?, waiting_queue = NULL, owner = NULL,"
                    + " lease_until = NULL, history_pending = history_pending + 1, state_data = CASE id");
            for (int i = 0; i < ids.size(); i++) {
                sql.append(" WHEN ? THEN ?");
            }
            sql.append(" END WHERE id IN (").append(marks(ids.size())).append(')');
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setString(i++, JobState.SUCCEEDED.name());
                ps.setString(i++, truncate(reason, 500));
                ps.setObject(i++, ts(now));
                ps.setObject(i++, ts(expireAt));
                for (Long id : ids) {
                    ps.setLong(i++, id);
                    ps.setString(i++, data.get(id));
                }
                bindLongs(ps, i, ids);
                ps.executeUpdate();
            }
        }
    }

    /** Moves a job to another queue (a job filter elected it): the queue is a column of the job row. */
    public void moveToQueue(Connection c, long id, String queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.job + " SET queue = ?,"
                + " waiting_queue = CASE WHEN state = 'ENQUEUED' THEN ? END WHERE id = ?")) {
            ps.setString(1, queue);
            ps.setString(2, queue);
            ps.setLong(3, id);
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
        Rows.insert(c, t.state, HISTORY_COLUMNS, rows, (ps, i, row) -> {
            ps.setLong(i++, row.jobId());
            ps.setString(i++, row.state().name());
            ps.setString(i++, truncate(row.reason(), 500));
            ps.setObject(i++, ts(row.createdAt()));
            ps.setString(i++, row.data());
            return i;
        });
    }

    /** Locks up to {@code limit} scheduled jobs that are due, earliest first, passing over locked ones. */
    public List<JobRow> lockDueScheduled(Connection c, Instant now, int limit) throws SQLException {
        String sql = "SELECT " + JobRow.COLUMNS + " FROM " + t.job + " WHERE state = ? AND scheduled_at <= ?"
                + " ORDER BY scheduled_at LIMIT ?" + transactions.dialect().forUpdateSkipLocked();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, JobState.SCHEDULED.name());
            ps.setObject(2, ts(now));
            ps.setInt(3, limit);
            return JobRow.readAll(ps);
        }
    }

    /**
     * Locks up to {@code limit} jobs that wait to start (Enqueued, Scheduled, Awaiting) and whose deadline passed,
     * passing over locked ones.
     */
    public List<JobRow> lockPastDeadline(Connection c, Instant now, int limit) throws SQLException {
        String sql = "SELECT " + JobRow.COLUMNS + " FROM " + t.job + " WHERE " + transactions.dialect().pastDeadline()
                + " LIMIT ?" + transactions.dialect().forUpdateSkipLocked();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, ts(now));
            ps.setInt(2, limit);
            return JobRow.readAll(ps);
        }
    }

    /** Locks up to {@code limit} jobs past their expiration time, passing over locked ones; their states by id. */
    public Map<Long, JobState> lockExpired(Connection c, Instant now, int limit) throws SQLException {
        String sql = "SELECT id, state FROM " + t.job + " WHERE expire_at < ? ORDER BY expire_at LIMIT ?"
                + transactions.dialect().forUpdateSkipLocked();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, ts(now));
            ps.setInt(2, limit);
            Map<Long, JobState> expired = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    expired.put(rs.getLong(1), JobState.valueOf(rs.getString(2)));
                }
            }
            return expired;
        }
    }

    /** Removes jobs with everything attached to them: history, parameters and log lines. */
    public void deleteJobs(Connection c, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        for (String table : List.of(t.state, t.parameter, t.log, t.unique, t.fanIn)) {
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

    private Object ts(Instant instant) {
        return transactions.dialect().timestamp(instant);
    }
}
