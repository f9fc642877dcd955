package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.storage.JobClock;

/**
 * Keeps this server's claims its own, or gives them up in time. The heartbeat registers the server, refreshes its
 * row and renews the leases of the claims it holds; the lease guard, on a thread of its own so that a heartbeat
 * stuck on a dead connection cannot hold it up, watches the last renewal.
 * <p>
 * A server that cannot renew its leases for nearly the lease timeout (it lost the database), or whose row was
 * removed because others declared it dead, fences itself: it cancels its running jobs, drops their outcomes, and
 * comes back under a new identity, so that nothing it still does can overwrite the work of the server that took
 * its jobs over.
 */
final class Liveness {

    private static final Logger LOG = Logger.getLogger(Liveness.class);
    private static final Duration GUARD_INTERVAL = Duration.ofMillis(200);

    private final HangfireConfig.Server config;
    private final ServerTransactions storage;
    private final ServerIdentity identity;
    private final HeldClaims held;
    private final Dispatcher dispatcher;
    private final OutcomeWriter outcomes;
    private final Instant startedAt = JobClock.now();
    private final ServerLoop heartbeat;
    private final ServerLoop leaseGuard;

    Liveness(HangfireConfig.Server config, ServerTransactions storage, ServerIdentity identity, HeldClaims held,
            Dispatcher dispatcher, OutcomeWriter outcomes) {
        this.config = config;
        this.storage = storage;
        this.identity = identity;
        this.held = held;
        this.dispatcher = dispatcher;
        this.outcomes = outcomes;
        this.heartbeat = ServerLoop.every("heartbeat", config.heartbeatInterval(), this::beat);
        this.leaseGuard = ServerLoop.every("lease guard", GUARD_INTERVAL, this::guardLeases);
    }

    /** Leases must outlive a few missed heartbeats, or a slow heartbeat would make the server fence itself. */
    static void checkTimes(HangfireConfig.Server config) {
        if (config.heartbeatInterval().isNegative() || config.heartbeatInterval().isZero()) {
            throw new IllegalStateException("quarkus.hangfire.server.heartbeat-interval must be longer than zero, not "
                    + config.heartbeatInterval());
        }
        if (config.leaseTimeout().compareTo(config.heartbeatInterval().multipliedBy(3)) < 0) {
            throw new IllegalStateException("quarkus.hangfire.server.lease-timeout (" + config.leaseTimeout()
                    + ") must be at least three times quarkus.hangfire.server.heartbeat-interval ("
                    + config.heartbeatInterval() + "), so that a late heartbeat does not cost the server its jobs");
        }
    }

    /** Registers the server (if the database answers; the heartbeat does it otherwise), then starts both loops. */
    void start() {
        heartbeat.attempt(this::register);
        heartbeat.start();
        leaseGuard.start();
    }

    List<ServerLoop> loops() {
        return List.of(heartbeat, leaseGuard);
    }

    /** Stops renewing: the last step of a shutdown, once the jobs ended or went back to their queues. */
    void stop() {
        heartbeat.stopNow();
        leaseGuard.stopNow();
    }

    private void register() {
        storage.register(identity.id(), dispatcher.queues(), dispatcher.workerCount(), startedAt);
        identity.registeredAt(JobClock.now());
    }

    private boolean beat() {
        if (identity.registered()) {
            Instant renewal = JobClock.now();
            if (storage.heartbeat(identity.id(), held.toRenew(), renewal.plus(config.leaseTimeout()))) {
                identity.renewedAt(renewal);
            } else {
                fence("its server row was removed: another server declared it dead");
            }
        }
        if (!identity.registered()) {
            register();
            LOG.infof("Hangfire server re-registered as %s; it runs jobs again", identity.id());
        }
        return false;
    }

    /**
     * Fences the server before its leases can run out: once they have, another server may claim its jobs, and
     * both would run them. It acts one heartbeat interval early, as the next heartbeat could come too late.
     */
    private boolean guardLeases() {
        Instant renewed = identity.lastRenewal();
        if (identity.registered() && renewed != null && JobClock.now().isAfter(
                renewed.plus(config.leaseTimeout()).minus(config.heartbeatInterval()))) {
            fence("it could not renew its leases since " + renewed + " (lease timeout " + config.leaseTimeout() + ")");
        }
        return false;
    }

    /** Cancels every run, drops every outcome not yet written, and takes a new identity to register. */
    private synchronized void fence(String why) {
        if (!identity.registered()) {
            return;
        }
        String old = identity.id();
        String renewed = identity.replace();
        int cancelled = 0;
        for (RunningJob running : RunningJob.all()) {
            running.cancel(config.interruptCancelledJobs());
            cancelled++;
        }
        int dropped = outcomes.dropAll() + dispatcher.takeAllAhead().size();
        held.releaseAll();
        LOG.warnf("Hangfire server %s lost its jobs: %s. It cancelled %d running job(s) and dropped %d unrecorded"
                + " outcome(s) or unstarted claim(s); other servers run those jobs again once their leases expire. It comes back as %s.",
                old, why, cancelled, dropped, renewed);
    }
}
