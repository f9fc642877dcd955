package io.quarkiverse.hangfire;

import java.time.Instant;

/**
 * How many jobs reached a state in one UTC hour or day.
 *
 * @param start the start of the hour or day
 */
public record CountPoint(Instant start, long count) {
}
