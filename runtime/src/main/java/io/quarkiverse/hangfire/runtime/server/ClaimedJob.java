package io.quarkiverse.hangfire.runtime.server;

import java.time.Instant;

import io.quarkiverse.hangfire.runtime.storage.JobRow;

/**
 * A job this instance claimed.
 *
 * @param job the job row as it is after the claim: Processing, attempt counted
 * @param enqueuedAt when it entered its queue, for the pickup latency
 */
public record ClaimedJob(JobRow job, Instant enqueuedAt) {

    /** The claimed job's id: the claim is the job's, for the attempt it counted ({@link #attempt}). */
    public long claim() {
        return job.id();
    }

    /** The attempt this claim counted: a job claimed again (after a requeue, say) has a higher one. */
    public int attempt() {
        return job.attempt();
    }
}
