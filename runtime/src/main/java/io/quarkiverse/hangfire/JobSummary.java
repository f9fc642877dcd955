package io.quarkiverse.hangfire;

import java.time.Instant;

/**
 * A job as shown in a list.
 *
 * @param stateChangedAt when the job entered its current state
 * @param scheduledAt when a scheduled job is due, otherwise null
 */
public record JobSummary(String id, String jobName, String queue, JobState state, String stateReason,
        int attempt, Instant createdAt, Instant stateChangedAt, Instant scheduledAt) {
}
