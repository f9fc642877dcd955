package io.quarkiverse.hangfire;

import java.time.Instant;
import java.util.List;

/**
 * A background job server registered in the database: one per application instance that runs jobs.
 *
 * @param id {@code host:pid:random}; a server that lost its jobs comes back under a new id
 * @param queues the queues it serves, highest priority first
 * @param workers how many jobs it runs at once
 */
public record ServerInfo(String id, List<String> queues, int workers, Instant startedAt, Instant lastHeartbeat) {
}
