package io.quarkiverse.hangfire.runtime.state;

import java.time.Instant;
import java.util.Map;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.storage.JobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore.RetryCount;

/**
 * One job's move to a new state.
 *
 * @param job the job as locked before the move (its {@code state} is the state it leaves)
 * @param data what the new state records in the history
 * @param scheduledAt when a {@link JobState#SCHEDULED} job is due
 * @param traversed a state the job passed through on the way, recorded in the history only (a failed attempt
 *        that is retried is recorded as Failed, then Scheduled), or null
 */
public record Transition(JobRow job, JobState to, String reason, Map<String, String> data, Instant scheduledAt,
        RetryCount retryCount, Traversed traversed) {

    /** A state recorded in the history on the way to another. */
    public record Traversed(JobState state, String reason, Map<String, String> data) {
    }

    public static Transition to(JobRow job, JobState state, String reason) {
        return new Transition(job, state, reason, Map.of(), null, RetryCount.KEEP, null);
    }

    public static Transition toScheduled(JobRow job, Instant at, String reason) {
        return new Transition(job, JobState.SCHEDULED, reason, Map.of("scheduledAt", at.toString()), at, RetryCount.KEEP,
                null);
    }

    /** Deleted on request; null (nothing to do) when the job is deleted already. */
    public static Transition deleteRequested(JobRow job) {
        return job.state() == JobState.DELETED ? null : to(job, JobState.DELETED, "Deleted on request");
    }

    /** Enqueued again on request, from any state. */
    public static Transition requeueRequested(JobRow job) {
        return to(job, JobState.ENQUEUED, "Requeued on request");
    }

    /** Enqueued now on request: only a Scheduled or Awaiting job moves; null for any other. */
    public static Transition enqueueNowRequested(JobRow job) {
        return job.state() == JobState.SCHEDULED || job.state() == JobState.AWAITING
                ? to(job, JobState.ENQUEUED, "Enqueued now on request (was " + job.state() + ")")
                : null;
    }

    /** The same move, of {@code job} as locked now (the same job, read again). */
    public Transition from(JobRow locked) {
        return new Transition(locked, to, reason, data, scheduledAt, retryCount, traversed);
    }

    public Transition withData(Map<String, String> newData) {
        return new Transition(job, to, reason, newData, scheduledAt, retryCount, traversed);
    }

    public Transition withRetryCount(RetryCount change) {
        return new Transition(job, to, reason, data, scheduledAt, change, traversed);
    }

    public Transition through(JobState state, String traversedReason, Map<String, String> traversedData) {
        return new Transition(job, to, reason, data, scheduledAt, retryCount,
                new Traversed(state, traversedReason, traversedData));
    }
}
