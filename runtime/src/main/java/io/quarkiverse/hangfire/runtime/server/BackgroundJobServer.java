package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.recurring.RecurringJobManager;
import io.quarkiverse.hangfire.runtime.state.Transition;

/**
 * The background job server of this instance: a set of named processes, each a {@link ServerLoop} with one
 * purpose, that this class starts and stops in order. Started and stopped by {@link ServerLifecycle}.
 * <ul>
 * <li>{@link Liveness}: heartbeat and lease renewal, and the lease guard that fences a server that lost them;</li>
 * <li>{@link CancellationCheck}: stops runs whose job was deleted or requeued elsewhere;</li>
 * <li>{@link OutcomeWriter}: records the workers' outcomes in batches;</li>
 * <li>{@link Dispatcher}: claims jobs (and a few ahead while they are short) and runs them on the workers;</li>
 * <li>maintenance: {@link DelayedJobScheduler}, {@link RecurringJobScheduler}, {@link ServerWatchdog},
 * {@link ExpirationManager}, {@link CounterAggregator}.</li>
 * </ul>
 */
public final class BackgroundJobServer {

    private static final Logger LOG = Logger.getLogger(BackgroundJobServer.class);

    private final HangfireConfig.Server config;
    private final ServerSignals signals;
    private final ServerIdentity identity;
    private final ServerTransactions storage;
    private final OutcomeWriter outcomes;
    private final Dispatcher dispatcher;
    private final Liveness liveness;
    private final ServerLoop cancellationCheck;
    /** Stopped first at shutdown: they need no running jobs. */
    private final List<ServerLoop> maintenance;

    BackgroundJobServer(HangfireConfig.Server config, ServerTransactions storage, JobPerformer performer, ServerSignals signals,
            RecurringJobManager recurring) {
        Liveness.checkTimes(config);
        this.config = config;
        this.signals = signals;
        this.storage = storage;
        this.identity = new ServerIdentity(signals);
        HeldClaims held = new HeldClaims();
        this.outcomes = new OutcomeWriter(storage, identity, held);
        this.dispatcher = new Dispatcher(config, storage, performer, identity, held, outcomes);
        this.liveness = new Liveness(config, storage, identity, held, dispatcher, outcomes);
        this.cancellationCheck = ServerLoop.every("cancellation check", config.cancellationCheckInterval(),
                new CancellationCheck(storage, identity, dispatcher, config.interruptCancelledJobs()));
        this.maintenance = List.of(
                ServerLoop.every("delayed job scheduler", config.schedulerInterval(), new DelayedJobScheduler(storage)),
                ServerLoop.every("recurring job scheduler", config.schedulerInterval(), new RecurringJobScheduler(recurring)),
                ServerLoop.every("dead server watchdog", config.heartbeatInterval(),
                        new ServerWatchdog(storage, config.leaseTimeout())),
                ServerLoop.every("expiration", config.expirationCheckInterval(),
                        new ExpirationManager(storage, config.expirationBatchSize())),
                ServerLoop.every("statistics aggregation", config.counterAggregationInterval(), new CounterAggregator(storage)));
    }

    /** How the server and each of its processes are doing. */
    ServerStatus status() {
        List<ServerLoopStatus> loops = new ArrayList<>();
        liveness.loops().forEach(l -> loops.add(l.status()));
        loops.add(cancellationCheck.status());
        loops.add(outcomes.loop().status());
        loops.add(dispatcher.loop().status());
        maintenance.forEach(l -> loops.add(l.status()));
        return new ServerStatus(identity.id(), identity.registered(), identity.lastRenewal(), dispatcher.busyWorkers(),
                dispatcher.workerCount(), loops);
    }

    /** Registers the server and starts its processes, those that keep claims alive before those that make claims. */
    void start() {
        liveness.start();
        cancellationCheck.start();
        outcomes.start();
        dispatcher.start();
        signals.attach(dispatcher);
        maintenance.forEach(ServerLoop::start);
        LOG.infof("Hangfire server %s started: %d workers on queues %s", identity.id(), dispatcher.workerCount(),
                dispatcher.queues());
    }

    /**
     * Stops claiming and maintenance, lets running jobs and those claimed ahead finish within the shutdown timeout
     * (still renewing their leases and writing their outcomes), then cancels the rest, returns them to their
     * queues, writes the last outcomes, stops renewing and removes the server row.
     */
    void stop() {
        maintenance.forEach(ServerLoop::requestStop);
        dispatcher.stopClaiming();
        // a maintenance round still in progress ends on its own, as a shutdown would cut it anyway
        maintenance.forEach(ServerLoop::interrupt);
        // the workers run the jobs claimed ahead too: at most a moment's work
        if (!dispatcher.awaitIdleWorkers(config.shutdownTimeout())) {
            returnUnfinishedJobs();
        }
        outcomes.stop();
        signals.detach(dispatcher);
        cancellationCheck.stopNow();
        liveness.stop();
        dispatcher.stopWorkers();
        try {
            storage.removeServer(identity.id());
        } catch (RuntimeException e) {
            LOG.debugf("Could not remove server row %s: %s", identity.id(), e);
        }
        LOG.infof("Hangfire server %s stopped", identity.id());
    }

    /** Cancels the jobs still running after the shutdown timeout and returns them, and those not started, to their queues. */
    private void returnUnfinishedJobs() {
        String serverId = identity.id();
        List<ServerTransactions.Outcome> back = new ArrayList<>();
        for (ClaimedJob job : dispatcher.takeAllAhead()) {
            back.add(new ServerTransactions.Outcome(job, Transition.to(job.job(), JobState.ENQUEUED, "Server " + serverId
                    + " shut down before the job started (shutdown timeout " + config.shutdownTimeout()
                    + "); returned to its queue")));
        }
        for (RunningJob running : RunningJob.all()) {
            running.cancel(true);
            back.add(new ServerTransactions.Outcome(running.claimed(), Transition.to(running.claimed().job(),
                    JobState.ENQUEUED, "Server " + serverId + " shut down before the job finished (shutdown timeout "
                            + config.shutdownTimeout() + "); returned to its queue")));
        }
        LOG.warnf("Hangfire server %s: %d job(s) still running or not started after the shutdown timeout of %s were"
                + " cancelled and returned to their queues", serverId, back.size(), config.shutdownTimeout());
        // a moment for the cancelled jobs to stop before another server can pick them up
        dispatcher.awaitIdleWorkers(Duration.ofSeconds(1));
        outcomes.addAll(back);
    }
}
