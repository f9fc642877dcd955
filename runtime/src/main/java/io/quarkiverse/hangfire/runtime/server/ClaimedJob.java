package io.quarkiverse.hangfire.runtime.server;

import java.time.Instant;

import io.quarkiverse.hangfire.runtime.storage.JobRow;

/**
 * A job this instance claimed.
 *
 * @param job the job row as it is after the claim: Processing, attempt counted
 * @param claim the id of its queue row, which identifies this claim: a requeued job gets a new one
 * @param enqueuedAt when it entered its queue, for the pickup latency
 */
public record ClaimedJob(JobRow job, long claim, Instant enqueuedAt) {
}
