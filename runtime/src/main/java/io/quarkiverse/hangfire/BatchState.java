package io.quarkiverse.hangfire;

/**
 * The state of a batch (see {@link JobScheduler#batch}). As in Hangfire Pro, a failed job is not final: a batch with a
 * failed job stays {@link #STARTED}, its continuations waiting, until the job is retried to success or deleted
 * ({@link JobScheduler#requeueBatch}, {@link JobScheduler#delete}).
 */
public enum BatchState {
    /** A continuation batch whose antecedent batch has not finished: its jobs wait. */
    AWAITING,
    /** Created, or released by its antecedent: some of its jobs or nested batches have not finished. */
    STARTED,
    /** Every job and nested batch reached Succeeded or Deleted (final). */
    SUCCEEDED,
    /** Deleted with {@link JobScheduler#deleteBatch} (final): its unfinished jobs were deleted. */
    DELETED;

    /** Succeeded or Deleted: the batch never changes state again. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == DELETED;
    }

    /** The job state a continuation option compares this final state with. */
    public JobState asJobState() {
        return switch (this) {
            case SUCCEEDED -> JobState.SUCCEEDED;
            case DELETED -> JobState.DELETED;
            default -> throw new IllegalStateException("Batch state " + this + " is not final");
        };
    }
}
