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
 * @param hasContinuations whether a continuation (of this job, or a fan-in of it and others) was ever created for it: a
 *        job without one has nothing to release when it finishes (schema version 6)
 */
public record JobRow(long id, String jobName, String queue, String arguments, JobState state, int attempt, int retryCount,
        Long parentId, ContinuationOption continuationOption, String owner, Unlogged unlogged, Instant deadline,
        String uniqueKey, Long batchId, Long awaitedBatchId, boolean hasContinuations) {

    /**
     * A job's latest states that are not in its history yet: a job created Enqueued, whose creation is the row itself,
     * a claim's Processing state, and the Succeeded state of an attempt. The next state change that is not a claim or
     * a success writes them.
     *
     * @param count how many: 1 (the current state), 2 (the creation's Enqueued state, then the current Processing
     *        state; or a claim's Processing state, then the current Succeeded state) or 3 (Enqueued, Processing and
     *        the current Succeeded state)
     * @param reason the current state's reason
     * @param changedAt when the job entered its current state
     * @param createdAt when the job was created (and enqueued, when the creation is not logged)
     * @param claimedAt when the latest claim took the job (its Processing state), or null before any
     * @param data the current state's data while it is not logged (a success's), or null
     */
    public record Unlogged(int count, String reason, Instant changedAt, Instant createdAt, Instant claimedAt, String data) {
    }

    /** The history rows this row stands for, oldest first: none when its history is complete. */
    public java.util.List<JobStore.HistoryRow> unloggedHistory() {
        return unlogged == null ? java.util.List.of()
                : unloggedHistory(id, state, attempt, unlogged.count(), unlogged.reason(), unlogged.changedAt(),
                        unlogged.createdAt(), unlogged.claimedAt(), owner, unlogged.data());
    }

    /**
     * The history rows that a job row with these columns stands for, oldest first: its creation's Enqueued state (when
     * {@code count} covers it), a claim's Processing state with the server that claimed it, and a success with its
     * data. The one place that says what they hold, for the writers and the readers of the history.
     */
    public static java.util.List<JobStore.HistoryRow> unloggedHistory(long id, JobState state, int attempt, int count,
            String reason, Instant changedAt, Instant createdAt, Instant claimedAt, String owner, String data) {
        if (count <= 0) {
            return java.util.List.of();
        }
        if (state == JobState.SUCCEEDED) {
            // a success that the history lacks, after the claim that ran it and, for a first attempt, the creation
            java.util.List<JobStore.HistoryRow> rows = new java.util.ArrayList<>(count);
            if (count >= 3) {
                rows.add(new JobStore.HistoryRow(id, JobState.ENQUEUED, null, createdAt, null));
            }
            if (count >= 2) {
                rows.add(new JobStore.HistoryRow(id, JobState.PROCESSING, null, claimedAt == null ? changedAt : claimedAt,
                        processingData(serverOf(data))));
            }
            rows.add(new JobStore.HistoryRow(id, JobState.SUCCEEDED, reason, changedAt, data));
            return rows;
        }
        // only a creation leaves Enqueued unlogged, and only a claim counts an attempt
        JobState current = count == 1 && attempt == 0 ? JobState.ENQUEUED : JobState.PROCESSING;
        JobStore.HistoryRow newest = new JobStore.HistoryRow(id, current, reason, changedAt,
                current == JobState.PROCESSING ? processingData(owner) : null);
        return count == 1 ? java.util.List.of(newest)
                : java.util.List.of(new JobStore.HistoryRow(id, JobState.ENQUEUED, null, createdAt, null), newest);
    }

    /** What a claim's Processing state records: the server that claimed the job. */
    private static String processingData(String server) {
        return server == null ? null
                : io.quarkiverse.hangfire.runtime.registry.JobArguments.toJson(java.util.Map.of("server", server));
    }

    /** The server that ran a success, as its data names it (the server that claimed the job: it held the claim). */
    @SuppressWarnings("unchecked")
    private static String serverOf(String successData) {
        if (successData == null) {
            return null;
        }
        java.util.Map<String, String> fields = io.quarkiverse.hangfire.runtime.registry.JobArguments.fromJson(successData,
                java.util.Map.class);
        return fields == null ? null : fields.get("server");
    }

    /** A job row as it is inserted, with no claim and its history complete. */
    public JobRow(long id, String jobName, String queue, String arguments, JobState state, int attempt, int retryCount,
            Long parentId, ContinuationOption continuationOption) {
        this(id, jobName, queue, arguments, state, attempt, retryCount, parentId, continuationOption, null, null, null,
                null, null, null, false);
    }

    /** The row as it is once claimed by {@code server}: Processing, with this attempt counted. */
    public JobRow claimed(String server) {
        return new JobRow(id, jobName, queue, arguments, JobState.PROCESSING, attempt + 1, retryCount, parentId,
                continuationOption, server, unlogged, deadline, uniqueKey, batchId, awaitedBatchId, hasContinuations);
    }

    /** The same row in another queue. */
    public JobRow inQueue(String otherQueue) {
        return new JobRow(id, jobName, otherQueue, arguments, state, attempt, retryCount, parentId, continuationOption, owner,
                unlogged, deadline, uniqueKey, batchId, awaitedBatchId, hasContinuations);
    }

    /** Whether {@code owner} still holds this job's claim of {@code attempt}: no one took it back since. */
    public boolean claimedBy(String owner, int claimedAttempt) {
        return state == JobState.PROCESSING && owner.equals(this.owner) && attempt == claimedAttempt;
    }

    static final String COLUMNS = "id, job_name, queue, arguments, state, attempt, retry_count, parent_id, continuation_option,"
            + " owner, history_pending, state_reason, state_changed_at, created_at, deadline, unique_key, batch_id,"
            + " awaited_batch_id, claimed_at, state_data, has_continuations";
    /** How many columns {@link #COLUMNS} reads: a query that reads more puts them after. */
    static final int COLUMN_COUNT = 21;

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
                : new Unlogged(pending, rs.getString(12), Rows.time(rs, 13), Rows.time(rs, 14), Rows.time(rs, 19),
                        rs.getString(20));
        return new JobRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), JobState.valueOf(rs.getString(5)),
                rs.getInt(6), rs.getInt(7), parentId, option == null ? null : ContinuationOption.valueOf(option),
                rs.getString(10), unlogged, Rows.time(rs, 15), rs.getString(16), Rows.nullableLong(rs, 17),
                Rows.nullableLong(rs, 18), rs.getBoolean(21));
    }
}
