package io.quarkiverse.hangfire;

/**
 * When a continuation of several parent jobs ({@link JobScheduler#continueWhen}) is released. As for
 * {@link ContinuationOption}, Failed is not final: a failed parent keeps the continuation waiting. A continuation whose
 * condition can no longer be met is deleted, with a reason saying so.
 */
public enum FanIn {
    /** Run once every parent succeeded; deleted as soon as one is deleted. */
    ALL_SUCCEEDED,
    /** Run once every parent reached a final state: succeeded or deleted. */
    ALL_FINAL,
    /** Run once one parent succeeded; deleted when every parent was deleted. */
    ANY_SUCCEEDED;

    /** What a continuation with this condition does with {@code total} parents of which some finished. */
    public Decision decide(int total, int succeeded, int deleted) {
        return switch (this) {
            case ALL_SUCCEEDED -> succeeded >= total ? Decision.RELEASE : deleted > 0 ? Decision.DELETE : Decision.WAIT;
            case ALL_FINAL -> succeeded + deleted >= total ? Decision.RELEASE : Decision.WAIT;
            case ANY_SUCCEEDED -> succeeded > 0 ? Decision.RELEASE : deleted >= total ? Decision.DELETE : Decision.WAIT;
        };
    }

    /** The outcome of {@link #decide}. */
    public enum Decision {
        WAIT,
        RELEASE,
        DELETE
    }
}
