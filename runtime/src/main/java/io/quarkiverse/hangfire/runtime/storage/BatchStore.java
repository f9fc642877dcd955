package io.quarkiverse.hangfire.runtime.storage;

import static io.quarkiverse.hangfire.runtime.storage.Rows.bindLongs;
import static io.quarkiverse.hangfire.runtime.storage.Rows.marks;
import static io.quarkiverse.hangfire.runtime.storage.Rows.truncate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.BatchState;
import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.JobSummary;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;

/**
 * The SQL of the {@code batch} table (schema version 4) and of the batch columns of the job rows. A batch row holds
 * counters of its members' states, kept by the state machine with each change (one locking read and one UPDATE per
 * batch and transaction), so that progress and completion never scan the batch's jobs. Lock order: job rows first
 * (as {@link JobStore} says), then batch rows in ascending id order.
 */
@Singleton
public class BatchStore {

    static final String COLUMNS = "id, parent_batch_id, description, state, total, succeeded, deleted, failed,"
            + " awaited_batch_id, continuation_option, created_at, state_changed_at, expire_at";

    private final Transactions transactions;
    private final Tables t;
    private final Duration expiration;

    @Inject
    public BatchStore(Transactions transactions, HangfireConfig config) {
        this.transactions = transactions;
        this.t = transactions.tables();
        this.expiration = config.jobExpiration();
    }

    /** A batch row; {@code expireAt} is set once it reached a final state (schema version 5). */
    public record BatchRow(long id, Long parentBatchId, String description, BatchState state, int total, int succeeded,
            int deleted, int failed, Long awaitedBatchId, ContinuationOption option, Instant createdAt,
            Instant stateChangedAt, Instant expireAt) {

        /** Every member reached Succeeded or Deleted. */
        public boolean allFinished() {
            return succeeded + deleted >= total;
        }

        public BatchRow plus(int[] delta) {
            return new BatchRow(id, parentBatchId, description, state, total + delta[0], succeeded + delta[1],
                    deleted + delta[2], failed + delta[3], awaitedBatchId, option, createdAt, stateChangedAt, expireAt);
        }
    }

    /** Inserts a batch with no members yet and returns its id. */
    public long insert(Connection c, Long parentBatchId, String description, BatchState state, Long awaitedBatchId,
            ContinuationOption option, Instant now) throws SQLException {
        record New(Long parent, String description, BatchState state, Long awaited, ContinuationOption option) {
        }
        Object time = ts(now);
        return Rows.insertReturningIds(c, transactions.dialect(), t.batch, "parent_batch_id, description, state, total,"
                + " succeeded, deleted, failed, awaited_batch_id, continuation_option, created_at, state_changed_at",
                List.of(new New(parentBatchId, description, state, awaitedBatchId, option)), (ps, i, row) -> {
                    Rows.setLong(ps, i++, row.parent());
                    ps.setString(i++, truncate(row.description(), 500));
                    ps.setString(i++, row.state().name());
                    ps.setInt(i++, 0);
                    ps.setInt(i++, 0);
                    ps.setInt(i++, 0);
                    ps.setInt(i++, 0);
                    Rows.setLong(ps, i++, row.awaited());
                    ps.setString(i++, row.option() == null ? null : row.option().name());
                    ps.setObject(i++, time);
                    ps.setObject(i++, time);
                    return i;
                }).get(0);
    }

    /** Locks batch rows in ascending id order. */
    public List<BatchRow> lock(Connection c, Collection<Long> ids) throws SQLException {
        return select(c, " WHERE id IN (" + marks(ids.size()) + ") ORDER BY id FOR UPDATE", ids);
    }

    /** Reads one batch, or null. */
    public BatchRow read(Connection c, long id) throws SQLException {
        List<BatchRow> rows = select(c, " WHERE id = ?", List.of(id));
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The batches nested directly in {@code parentId}, oldest first. */
    public List<BatchRow> children(Connection c, long parentId) throws SQLException {
        return select(c, " WHERE parent_batch_id = ? ORDER BY id", List.of(parentId));
    }

    /** The batches waiting for {@code awaitedId} to finish (continuation batches), oldest first. */
    public List<BatchRow> continuations(Connection c, long awaitedId) throws SQLException {
        return select(c, " WHERE awaited_batch_id = ? ORDER BY id", List.of(awaitedId));
    }

    /** A page of batches, newest first; of one state when {@code state} is not null. */
    public List<BatchRow> page(Connection c, BatchState state, int offset, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM " + t.batch + (state == null ? "" : " WHERE state = ?")
                + " ORDER BY id DESC LIMIT ? OFFSET ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (state != null) {
                ps.setString(i++, state.name());
            }
            ps.setInt(i++, limit);
            ps.setInt(i, offset);
            return readAll(ps);
        }
    }

    private List<BatchRow> select(Connection c, String where, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.batch + where)) {
            bindLongs(ps, 1, ids);
            return readAll(ps);
        }
    }

    private static List<BatchRow> readAll(PreparedStatement ps) throws SQLException {
        List<BatchRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String option = rs.getString(10);
                rows.add(new BatchRow(rs.getLong(1), Rows.nullableLong(rs, 2), rs.getString(3),
                        BatchState.valueOf(rs.getString(4)), rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8),
                        Rows.nullableLong(rs, 9), option == null ? null : ContinuationOption.valueOf(option),
                        Rows.time(rs, 11), Rows.time(rs, 12), Rows.time(rs, 13)));
            }
        }
        return rows;
    }

    /** Writes a locked batch's counters. */
    public void updateCounts(Connection c, BatchRow row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.batch
                + " SET total = ?, succeeded = ?, deleted = ?, failed = ? WHERE id = ?")) {
            ps.setInt(1, row.total());
            ps.setInt(2, row.succeeded());
            ps.setInt(3, row.deleted());
            ps.setInt(4, row.failed());
            ps.setLong(5, row.id());
            ps.executeUpdate();
        }
    }

    /**
     * Moves a batch from {@code from} to {@code to}; false when it was not in {@code from}. A batch reaching a final
     * state expires like a job: after {@code quarkus.hangfire.job-expiration}, once nothing of it remains.
     */
    public boolean changeState(Connection c, long id, BatchState from, BatchState to, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.batch
                + " SET state = ?, state_changed_at = ?, expire_at = ? WHERE id = ? AND state = ?")) {
            ps.setString(1, to.name());
            ps.setObject(2, ts(now));
            ps.setObject(3, to.isFinal() ? ts(now.plus(expiration)) : null);
            ps.setLong(4, id);
            ps.setString(5, from.name());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Locks up to {@code limit} finished batches past their expiration time, earliest first, passing over locked ones
     * (another server's expiration, or a caller attaching to or continuing the batch).
     */
    public List<BatchRow> lockExpired(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.batch
                + " WHERE expire_at < ? ORDER BY expire_at LIMIT ?" + transactions.dialect().forUpdateSkipLocked())) {
            ps.setObject(1, ts(now));
            ps.setInt(2, limit);
            return readAll(ps);
        }
    }

    /**
     * What still belongs to these batches, by batch id: their remaining jobs and nested batches, each with when it
     * expires (null for one that has not finished), and whether a continuation still waits for the batch.
     */
    public Map<Long, Remains> remains(Connection c, Collection<Long> ids) throws SQLException {
        Map<Long, Remains> remains = new HashMap<>();
        if (ids.isEmpty()) {
            return remains;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT batch_id, COUNT(*), COUNT(expire_at), MAX(expire_at) FROM "
                + t.job + " WHERE batch_id IN (" + marks(ids.size()) + ") GROUP BY batch_id")) {
            bindLongs(ps, 1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Remains r = remains.computeIfAbsent(rs.getLong(1), id -> new Remains());
                    r.jobs = rs.getInt(2);
                    r.unfinished = rs.getInt(2) > rs.getInt(3);
                    r.latest = Rows.time(rs, 4);
                }
            }
        }
        for (BatchRow child : select(c, " WHERE parent_batch_id IN (" + marks(ids.size()) + ")", ids)) {
            Remains r = remains.computeIfAbsent(child.parentBatchId(), id -> new Remains());
            r.children.add(child.id());
            if (child.expireAt() == null) {
                r.unfinished = true;
            } else if (r.latest == null || child.expireAt().isAfter(r.latest)) {
                r.latest = child.expireAt();
            }
        }
        // a final batch released what waited for it as it finished; this guards the rows written before that
        String waiting = " WHERE awaited_batch_id IN (" + marks(ids.size()) + ") AND state = ?";
        for (String table : List.of(t.job, t.batch)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT awaited_batch_id FROM " + table + waiting)) {
                int i = bindLongs(ps, 1, ids);
                ps.setString(i, table.equals(t.job) ? JobState.AWAITING.name() : BatchState.AWAITING.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Remains r = remains.computeIfAbsent(rs.getLong(1), id -> new Remains());
                        r.awaited = true;
                        r.unfinished = true;
                    }
                }
            }
        }
        return remains;
    }

    /** What still belongs to a batch; see {@link #remains}. */
    public static final class Remains {
        /** Its jobs not removed yet. */
        public int jobs;
        /** Its nested batches not removed yet. */
        public final List<Long> children = new ArrayList<>();
        /** A job or nested batch has not finished, or a continuation waits for the batch. */
        public boolean unfinished;
        /** A continuation waits for the batch. */
        public boolean awaited;
        /** When the last of its finished jobs and nested batches expires, or null. */
        public Instant latest;
    }

    /** Sets when a finished batch expires. */
    public void postpone(Connection c, long id, Instant expireAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.batch + " SET expire_at = ? WHERE id = ?")) {
            ps.setObject(1, ts(expireAt));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Removes batch rows. */
    public void delete(Connection c, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.batch + " WHERE id IN (" + marks(ids.size())
                + ")")) {
            bindLongs(ps, 1, ids);
            ps.executeUpdate();
        }
    }

    /** The ids of the jobs of these batches in one of {@code states}. */
    public List<Long> jobIds(Connection c, Collection<Long> batchIds, Collection<JobState> states) throws SQLException {
        if (batchIds.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + t.job + " WHERE batch_id IN ("
                + marks(batchIds.size()) + ") AND state IN (" + marks(states.size()) + ") ORDER BY id")) {
            int i = bindLongs(ps, 1, batchIds);
            Rows.bindStrings(ps, i, states.stream().map(Enum::name).toList());
            return Rows.ids(ps);
        }
    }

    /** The Awaiting jobs that wait for any of these batches (continuations of a batch), locked. */
    public List<JobRow> lockAwaitingJobs(Connection c, Collection<Long> batchIds) throws SQLException {
        if (batchIds.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRow.COLUMNS + " FROM " + t.job
                + " WHERE awaited_batch_id IN (" + marks(batchIds.size()) + ") AND state = ? ORDER BY id FOR UPDATE")) {
            int i = bindLongs(ps, 1, batchIds);
            ps.setString(i, JobState.AWAITING.name());
            return JobRow.readAll(ps);
        }
    }

    /**
     * A page of the jobs of a batch in {@code state}, oldest created first: read along the batch index, whose entries of
     * one batch and state are in that order (schema version 8), so it costs its offset and length. The primary key
     * cannot give that order, so no planner walks it through every job looking for the batch's.
     */
    public List<JobSummary> jobs(Connection c, long batchId, JobState state, int offset, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, job_name, queue, state_reason, attempt, created_at,"
                + " state_changed_at, scheduled_at FROM " + t.job + " WHERE " + transactions.dialect().batchJobsInState()
                + " ORDER BY created_at, id LIMIT ? OFFSET ?")) {
            ps.setLong(1, batchId);
            ps.setString(2, state.name());
            ps.setInt(3, limit);
            ps.setInt(4, offset);
            List<JobSummary> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new JobSummary(JobId.format(rs.getLong(1)), rs.getString(2), rs.getString(3), state,
                            rs.getString(4), rs.getInt(5), Rows.time(rs, 6), Rows.time(rs, 7), Rows.time(rs, 8)));
                }
            }
            return rows;
        }
    }

    /**
     * The jobs of no batch that wait (or waited) for a batch: its continuation jobs, oldest first; read along the
     * awaited-batch index and sorted (see {@link #jobs}).
     */
    public List<JobSummary> continuationJobs(Connection c, long batchId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, job_name, queue, state, state_reason, attempt, created_at,"
                + " state_changed_at, scheduled_at FROM " + t.job + " WHERE awaited_batch_id = ? AND batch_id IS NULL"
                + " ORDER BY id + 0 LIMIT ?")) {
            ps.setLong(1, batchId);
            ps.setInt(2, limit);
            List<JobSummary> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new JobSummary(JobId.format(rs.getLong(1)), rs.getString(2), rs.getString(3),
                            JobState.valueOf(rs.getString(4)), rs.getString(5), rs.getInt(6), Rows.time(rs, 7),
                            Rows.time(rs, 8), Rows.time(rs, 9)));
                }
            }
            return rows;
        }
    }

    private Object ts(Instant instant) {
        return transactions.dialect().timestamp(instant);
    }
}
