package io.quarkiverse.hangfire.runtime.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

/**
 * Cancels the runs whose job was deleted or requeued by another instance since it was claimed, and drops such jobs
 * claimed ahead before they start. Changes made in this instance reach {@link ServerSignals} after their commit and
 * need no check.
 */
final class CancellationCheck implements ServerLoop.Round {

    private static final Logger LOG = Logger.getLogger(CancellationCheck.class);

    private final ServerTransactions storage;
    private final ServerIdentity identity;
    private final Dispatcher dispatcher;
    private final boolean interrupt;

    CancellationCheck(ServerTransactions storage, ServerIdentity identity, Dispatcher dispatcher, boolean interrupt) {
        this.storage = storage;
        this.identity = identity;
        this.dispatcher = dispatcher;
        this.interrupt = interrupt;
    }

    @Override
    public boolean run() {
        List<Long> claims = new ArrayList<>();
        for (RunningJob running : RunningJob.all()) {
            if (running.stop() == RunningJob.Stop.NONE) {
                claims.add(running.claimed().claim());
            }
        }
        claims.addAll(dispatcher.aheadClaims());
        if (claims.isEmpty() || !identity.registered()) {
            return false;
        }
        Set<Long> owned = storage.ownedClaims(identity.id(), claims);
        for (long claim : claims) {
            if (!owned.contains(claim) && !dispatcher.dropAhead(claim)) {
                RunningJob running = RunningJob.byClaim(claim);
                if (running != null) {
                    LOG.debugf("Job %s was taken out of Processing elsewhere; cancelling its run", running.jobId());
                    running.cancel(interrupt);
                }
            }
        }
        return false;
    }
}
