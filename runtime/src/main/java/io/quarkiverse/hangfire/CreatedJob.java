package io.quarkiverse.hangfire;

/**
 * What a creating call with {@link JobOptions} did.
 *
 * @param jobId the id of the job created, or, when a job with the same unique key held it, of that job
 * @param created whether this call created the job; false when it returned the job that holds its unique key
 */
public record CreatedJob(String jobId, boolean created) {
}
