package io.quarkiverse.hangfire.runtime.server;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claims this server holds: claimed and waiting for a worker, running, or run and waiting for their outcome to
 * be written. The heartbeat renews their leases; a claim is let go once its outcome is written or its run dropped.
 */
final class HeldClaims {

    private final Set<Long> claims = ConcurrentHashMap.newKeySet();

    void add(long claim) {
        claims.add(claim);
    }

    void release(long claim) {
        claims.remove(claim);
    }

    /** Lets every claim go, when the server fenced itself: their leases must run out. */
    void releaseAll() {
        claims.clear();
    }

    /** The claims whose leases the heartbeat renews. */
    Set<Long> toRenew() {
        Set<Long> renew = new HashSet<>(claims);
        // runs of JobScheduler.perform in this instance hold claims of their own
        RunningJob.all().forEach(r -> renew.add(r.claimed().claim()));
        return renew;
    }
}
