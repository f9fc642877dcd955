package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;

/**
 * How one process of the server is doing.
 *
 * @param process its name, as its thread and log lines say ({@code heartbeat}, {@code job fetch}, ...)
 * @param interval its interval (for a busy loop, the pause after a failed round)
 * @param roundRunningFor how long its round in progress has been working (not waiting for work); zero between rounds
 * @param alive whether its thread runs
 * @param failing whether its last round failed (the database did not answer)
 */
public record ServerLoopStatus(String process, Duration interval, Duration roundRunningFor, boolean alive,
        boolean failing) {

    /** Stuck: its round has worked longer than {@code factor} intervals and {@code floor}, or its thread died. */
    public boolean stuck(int factor, Duration floor) {
        Duration limit = interval.multipliedBy(factor);
        return !alive || roundRunningFor.compareTo(limit.compareTo(floor) > 0 ? limit : floor) > 0;
    }
}
