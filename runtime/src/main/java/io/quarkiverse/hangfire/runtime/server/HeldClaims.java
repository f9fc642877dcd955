package io.quarkiverse.hangfire.runtime.server;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claims this server holds: claimed and waiting for a worker, running, or run and waiting for their outcome to
 * be written. The heartbeat renews their leases; a claim is let go once its outcome is written or its run dropped.
 */
final class HeldClaims {

    /** The attempt of each held claim, by job: a claim is let go only for the attempt it was held for. */
    private final Map<Long, Integer> claims = new ConcurrentHashMap<>();

    void add(ClaimedJob claim) {
        claims.put(claim.claim(), claim.attempt());
    }

    void release(ClaimedJob claim) {
        claims.remove(claim.claim(), claim.attempt());
    }

    /** Lets every claim go, when the server fenced itself: their leases must run out. */
    void releaseAll() {
        claims.clear();
    }

    /** The claims whose leases the heartbeat renews. */
    Set<Long> toRenew() {
        Set<Long> renew = new HashSet<>(claims.keySet());
        // runs of JobScheduler.perform in this instance hold claims of their own
        RunningJob.all().forEach(r -> renew.add(r.claimed().claim()));
        return renew;
    }
}
