package io.quarkiverse.hangfire;

import java.time.Instant;
import java.util.Map;

/**
 * A committed state change of one job, told to {@link JobFilter#onStateApplied} and fired as a CDI event after the
 * commit, for {@code @ObservesAsync} observers. A job's creation is a change too, with {@code from} null.
 *
 * @param jobId the job's id
 * @param jobName its name, as in {@link BackgroundJob#name()}
 * @param queue its queue (after the change)
 * @param from the state it left, or null when it was just created
 * @param to the state it entered
 * @param reason why, as its history says (may be null)
 * @param data what the new state records (for Failed: {@code exceptionType}, {@code exceptionMessage},
 *        {@code stackTrace}); never null
 * @param at when the change was committed (as the committing thread saw it right after)
 */
public record JobStateChanged(String jobId, String jobName, String queue, JobState from, JobState to, String reason,
        Map<String, String> data, Instant at) {
}
