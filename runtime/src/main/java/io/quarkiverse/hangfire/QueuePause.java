package io.quarkiverse.hangfire;

import java.time.Instant;

/**
 * A queue that no server claims jobs from now.
 *
 * @param queue the queue's name
 * @param pausedBy who paused it: the dashboard's user, or the application instance that called the API
 * @param pausedAt when it was paused
 * @param until when the pause lifts itself, or null when it lasts until resumed
 */
public record QueuePause(String queue, String pausedBy, Instant pausedAt, Instant until) {
}
