package io.quarkiverse.hangfire.runtime.server;

import java.time.Instant;
import java.util.List;

/**
 * The state of this instance's server, for the health checks.
 *
 * @param serverId the id that owns its claims
 * @param registered whether that id has a server row: false before the first registration and after the server
 *        fenced itself (it lost its leases), until it registers again
 * @param lastRenewal when it last renewed its leases, or null
 * @param busyWorkers how many of its workers run a job now
 * @param workers how many it has
 * @param loops its processes
 */
public record ServerStatus(String serverId, boolean registered, Instant lastRenewal, int busyWorkers, int workers,
        List<ServerLoopStatus> loops) {
}
