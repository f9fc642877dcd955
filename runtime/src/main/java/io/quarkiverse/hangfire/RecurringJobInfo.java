package io.quarkiverse.hangfire;

import java.time.Instant;
import java.util.List;

/**
 * A recurring job as stored.
 *
 * @param arguments each stored argument as JSON
 * @param nextExecution the next occurrence, or null while paused
 * @param lastExecution the occurrence of the last job created, or null
 * @param lastJobId the last job created, or null
 * @param lastJobState that job's state, or null when it expired or none was created
 * @param error why the last occurrence could not create a job, or null
 */
public record RecurringJobInfo(String id, String jobName, List<String> arguments, String cron, String zone, String queue,
        Misfire misfire, boolean paused, Instant nextExecution, Instant lastExecution, String lastJobId,
        JobState lastJobState, String error, Instant createdAt) {
}
