package io.quarkiverse.hangfire.runtime.server;

import java.time.Instant;

/**
 * Who this server is in the database: the id that owns its claims, whether that id has a server row, and when the
 * leases were last renewed. {@link Liveness} changes it; the other processes only read it. No claims are made while
 * the id is not registered: nobody would renew their leases.
 */
final class ServerIdentity {

    private final ServerSignals signals;
    private volatile boolean registered;
    /** The start of the last successful renewal. */
    private volatile Instant lastRenewal;

    ServerIdentity(ServerSignals signals) {
        this.signals = signals;
    }

    String id() {
        return signals.serverId();
    }

    boolean registered() {
        return registered;
    }

    Instant lastRenewal() {
        return lastRenewal;
    }

    /** The id's server row was inserted at {@code at}. */
    void registeredAt(Instant at) {
        lastRenewal = at;
        registered = true;
    }

    void renewedAt(Instant at) {
        lastRenewal = at;
    }

    /**
     * Gives up the id, whose claims may already belong to others, for a new one to register: the late outcomes of
     * the old one then fail the owner check. Returns the new id.
     */
    String replace() {
        registered = false;
        return signals.renewIdentity();
    }
}
