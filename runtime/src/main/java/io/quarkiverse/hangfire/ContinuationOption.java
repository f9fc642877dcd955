package io.quarkiverse.hangfire;

/**
 * When a continuation created with {@link JobScheduler#continueWith} is released. A continuation whose
 * condition can no longer be met (its parent reached the other final state) is deleted, with a reason
 * saying so, which in turn releases its own continuations that wait for deletion.
 */
public enum ContinuationOption {
    /** Run after the parent succeeded (the default). */
    ON_SUCCEEDED,
    /** Run after the parent reached any final state: succeeded or deleted. A failed parent is not final. */
    ON_ANY_FINAL_STATE,
    /** Run after the parent was deleted: a compensating or cleanup action. */
    ON_DELETED;

    /** Whether a parent that reached {@code parentState} releases a continuation with this option. */
    public boolean isSatisfiedBy(JobState parentState) {
        return switch (this) {
            case ON_SUCCEEDED -> parentState == JobState.SUCCEEDED;
            case ON_ANY_FINAL_STATE -> parentState.isFinal();
            case ON_DELETED -> parentState == JobState.DELETED;
        };
    }
}
