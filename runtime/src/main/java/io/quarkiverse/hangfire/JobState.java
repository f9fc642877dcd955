package io.quarkiverse.hangfire;

/**
 * The states a job moves through. Every change is recorded in the job's history.
 */
public enum JobState {
    /** Waiting in its queue for a worker. */
    ENQUEUED,
    /** Waiting for a point in time (a delayed job or a retry), then enqueued. */
    SCHEDULED,
    /** A continuation waiting for its parent job to reach the state it depends on. */
    AWAITING,
    /** Claimed by a server and running on one of its workers. */
    PROCESSING,
    /** Ran to completion. Final: expires after the configured time. */
    SUCCEEDED,
    /** Its attempts failed and it was not retried. Stays until someone acts on it. */
    FAILED,
    /** Deleted by a user or by a policy. Final: expires after the configured time. */
    DELETED;

    /** Final states expire; a job leaves them only when someone requeues it. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == DELETED;
    }
}
