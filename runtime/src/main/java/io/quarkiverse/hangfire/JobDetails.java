package io.quarkiverse.hangfire;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything stored about one job.
 *
 * @param arguments each stored argument as JSON, in parameter order ({@link JobContext} excluded)
 * @param parameters the job parameters, name to JSON value
 * @param history every state the job went through, newest first
 * @param parentId the job this continuation waits for, or null
 * @param continuationOption when a continuation is released, or null
 * @param expireAt when a finished job will be removed, or null
 * @param priority the job's priority within its queue: higher starts first
 * @param uniqueKey the unique key it was created with, or null
 * @param deadline when the job, not started by then, is deleted; or null
 * @param batchId the batch the job belongs to (see {@link JobScheduler#batch}), or null
 */
public record JobDetails(String id, String jobName, String queue, List<String> arguments, JobState state,
        String stateReason, int attempt, Instant createdAt, Instant stateChangedAt, Instant scheduledAt,
        Instant expireAt, String parentId, ContinuationOption continuationOption, Map<String, String> parameters,
        List<StateRecord> history, int priority, String uniqueKey, Instant deadline,
        String batchId) {
}
