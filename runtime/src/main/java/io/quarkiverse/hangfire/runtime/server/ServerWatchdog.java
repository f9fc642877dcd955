package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.runtime.storage.JobClock;

/**
 * Cleans up after servers that died: returns the jobs whose lease ran out to their queues, removes the rows of
 * servers that stopped heartbeating, and frees the mutex and concurrency slots of jobs no longer claimed. Every
 * server runs it; the jobs and rows it locks are skipped by the others.
 */
final class ServerWatchdog implements ServerLoop.Round {

    private static final Logger LOG = Logger.getLogger(ServerWatchdog.class);
    private static final int BATCH = 1000;

    private final ServerLoop.Round steps;

    ServerWatchdog(ServerTransactions storage, Duration leaseTimeout) {
        this.steps = ServerLoop.inTurn(
                () -> storage.requeueExpiredLeases(BATCH) == BATCH,
                () -> {
                    for (String dead : storage.removeDeadServers(JobClock.now().minus(leaseTimeout))) {
                        LOG.warnf("Hangfire server %s declared dead: no heartbeat for %s", dead, leaseTimeout);
                    }
                    return false;
                },
                () -> {
                    storage.sweepLocks();
                    return false;
                });
    }

    @Override
    public boolean run() throws InterruptedException {
        return steps.run();
    }
}
