package io.quarkiverse.hangfire;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of a job's state history.
 *
 * @param data what the state recorded: for Failed {@code exceptionType}, {@code exceptionMessage} and
 *        {@code stackTrace}; for Succeeded {@code duration} and {@code latency} in milliseconds and
 *        {@code result}; for Processing {@code server}; for Scheduled {@code scheduledAt}
 */
public record StateRecord(JobState state, String reason, Instant createdAt, Map<String, String> data) {
}
