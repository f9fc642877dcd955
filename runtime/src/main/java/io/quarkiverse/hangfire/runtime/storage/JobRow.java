package io.quarkiverse.hangfire.runtime.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.JobState;

/**
 * The columns of a job row that state changes and workers need.
 *
 * @param owner the server that holds the job's claim, while it is Processing
 * @param unlogged the job's latest states that its history does not hold yet, or null when it holds them all
 * @param deadline when the job, not started by then, is deleted instead of run; or null
 * @param uniqueKey the unique key it was created with (held in the unique table while in its window), or null
 * @param batchId the batch the job belongs to, or null
 * @param awaitedBatchId the batch an Awaiting job waits for (a continuation of a batch), or null
 */
public record JobRow(long id, String jobName, String queue, String arguments, JobState state, int attempt, int retryCount,
        Long parentId, ContinuationOption continuationOption, String owner, Unlogged unlogged, Instant deadline,
        String uniqueKey, Long batchId, Long awaitedBatchId) {

    /**
     * A job's latest states that are not in its history yet: a job created Enqueued, whose creation is the row itself,
     * and a claim's Processing state. The next state change that is not a claim writes them.
     *
     * @param count 1 (the current state) or 2 (the creation's Enqueued state, then the current Processing state)
     * @param reason the current state's reason
     * @param changedAt when the job entered its current state
     * @param createdAt when the job was created (and enqueued, when the creation is not logged)
     */
    public record Unlogged(int count, String reason, Instant changedAt, Instant createdAt) {
    }

    /** The history rows this row stands for, oldest first: none when its history is complete. */
    public java.util.List<JobStore.HistoryRow> unloggedHistory() {
        return unlogged == null ? java.util.List.of()
                : unloggedHistory(id, attempt, unlogged.count(), unlogged.reason(), unlogged.changedAt(), unlogged.createdAt(),
                        owner);
    }

    /**
     * The history rows that a job row with these columns stands for, oldest first: its creation's Enqueued state (when
     * {@code count} is 2, or 1 before any attempt) and a claim's Processing state, with the server that claimed it. The
     * one place that says what they hold, for the writers and the readers of the history.
     */
    public static java.util.List<JobStore.HistoryRow> unloggedHistory(long id, int attempt, int count, String reason,
            Instant changedAt, Instant createdAt, String owner) {
        if (count <= 0) {
            return java.util.List.of();
        }
        // only a creation leaves Enqueued unlogged, and only a claim counts an attempt
        JobState state = count == 1 && attempt == 0 ? JobState.ENQUEUED : JobState.PROCESSING;
        JobStore.HistoryRow current = new JobStore.HistoryRow(id, state, reason, changedAt,
                state == JobState.PROCESSING && owner != null
                        ? io.quarkiverse.hangfire.runtime.registry.JobArguments.toJson(java.util.Map.of("server", owner))
                        : null);
        return count == 1 ? java.util.List.of(current)
                : java.util.List.of(new JobStore.HistoryRow(id, JobState.ENQUEUED, null, createdAt, null), current);
    }

    /** A job row as it is inserted, with no claim and its history complete. */
    public JobRow(long id, String jobName, String queue, String arguments, JobState state, int attempt, int retryCount,
            Long parentId, ContinuationOption continuationOption) {
        this(id, jobName, queue, arguments, state, attempt, retryCount, parentId, continuationOption, null, null, null,
                null, null, null);
    }

    /** The row as it is once claimed by {@code server}: Processing, with this attempt counted. */
    public JobRow claimed(String server) {
        return new JobRow(id, jobName, queue, arguments, JobState.PROCESSING, attempt + 1, retryCount, parentId,
                continuationOption, server, unlogged, deadline, uniqueKey, batchId, awaitedBatchId);
    }

    /** The same row in another queue. */
    public JobRow inQueue(String otherQueue) {
        return new JobRow(id, jobName, otherQueue, arguments, state, attempt, retryCount, parentId, continuationOption, owner,
                unlogged, deadline, uniqueKey, batchId, awaitedBatchId);
    }

    /** Whether {@code owner} still holds this job's claim of {@code attempt}: no one took it back since. */
    public boolean claimedBy(String owner, int claimedAttempt) {
        return state == JobState.PROCESSING && owner.equals(this.owner) && attempt == claimedAttempt;
    }

    static final String COLUMNS = "id, job_name, queue, arguments, state, attempt, retry_count, parent_id, continuation_option,"
            + " owner, history_pending, state_reason, state_changed_at, created_at, deadline, unique_key, batch_id,"
            + " awaited_batch_id";
    /** How many columns {@link #COLUMNS} reads: a query that reads more puts them after. */
    static final int COLUMN_COUNT = 18;

    static java.util.List<JobRow> readAll(java.sql.PreparedStatement ps) throws SQLException {
        java.util.List<JobRow> rows = new java.util.ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(read(rs));
            }
        }
        return rows;
    }

    static JobRow read(ResultSet rs) throws SQLException {
        long parent = rs.getLong(8);
        Long parentId = rs.wasNull() ? null : parent;
        String option = rs.getString(9);
        int pending = rs.getInt(11);
        Unlogged unlogged = pending == 0 ? null
                : new Unlogged(pending, rs.getString(12), Rows.time(rs, 13), Rows.time(rs, 14));
        return new JobRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), JobState.valueOf(rs.getString(5)),
                rs.getInt(6), rs.getInt(7), parentId, option == null ? null : ContinuationOption.valueOf(option),
                rs.getString(10), unlogged, Rows.time(rs, 15), rs.getString(16), Rows.nullableLong(rs, 17),
                Rows.nullableLong(rs, 18));
    }
}
