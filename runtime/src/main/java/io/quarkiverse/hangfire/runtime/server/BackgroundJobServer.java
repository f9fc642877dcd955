package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.recurring.RecurringStore;
import io.quarkiverse.hangfire.runtime.state.Transition;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.LoopConnection;

/**
 * The background job server of this instance: a fetcher that claims jobs for idle workers (and, when jobs are
 * short, a few ahead of them), workers on a managed executor, a writer that records outcomes in batches, a
 * heartbeat that keeps this server and its leases alive, and maintenance loops (scheduled jobs, dead servers,
 * expiration, statistics). Started and stopped by {@link ServerLifecycle}.
 * <p>
 * A server that cannot renew its leases for nearly the lease timeout (it lost the database, or its row was
 * removed because others declared it dead) fences itself: it cancels its running jobs, drops their outcomes,
 * and comes back under a new identity, so that nothing it still does can overwrite the work of the server
 * that took its jobs over.
 */
public final class BackgroundJobServer {

    private static final Logger LOG = Logger.getLogger(BackgroundJobServer.class);
    private static final int OUTCOME_BATCH = 200;
    private static final int MAINTENANCE_BATCH = 1000;
    private static final long GUARD_MILLIS = 200;
    private static final int RECURRING_BATCH = 200;
    /** How long the outcome writer waits to gather the outcomes of other workers into one transaction. */
    private static final long GATHER_MICROS = 2000;
    /**
     * How long a job claimed ahead may wait for a worker, at the average run time of recent jobs. This bounds
     * how many jobs one server holds that it has not started, which another, idle server could have run.
     */
    private static final long AHEAD_HORIZON_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final HangfireConfig.Server config;
    private final ServerStorage storage;
    private final JobPerformer performer;
    private final ServerSignals signals;
    private final RecurringStore recurring;
    private final List<String> queues;
    private final int workerCount;
    private final Instant startedAt = JobClock.now();

    /** Guards {@link #idleWorkers} and {@link #ahead}; the fetcher waits on it for room to claim. */
    private final Object dispatch = new Object();
    private int idleWorkers;
    /** Jobs claimed ahead of the workers, oldest first: a worker that finishes a job takes the next from here. */
    private final ArrayDeque<ClaimedJob> ahead = new ArrayDeque<>();
    /** Moving average of a job's run time on a worker, in nanoseconds; negative until a job ran. */
    private volatile long averageRunNanos = -1;
    private final Object wakeMonitor = new Object();
    private boolean wakeRequested;
    private final BlockingQueue<ServerStorage.Outcome> outcomes = new LinkedBlockingQueue<>();
    /** The claims this server holds: claimed, running or waiting for their outcome to be written. */
    private final Set<Long> held = ConcurrentHashMap.newKeySet();

    private volatile boolean fetching = true;
    /** Whether the last claim got all it asked for: more jobs are probably waiting. */
    private boolean backlog;
    private volatile boolean recording = true;
    /** This server's identity, the owner of its claims; replaced when it fences itself. */
    private volatile String serverId;
    /** False from a fence until the new identity is registered: no claims meanwhile. */
    private volatile boolean registered;
    /** When the leases were last renewed (the start of the last successful heartbeat). */
    private volatile Instant lastRenewal;
    private ManagedExecutor workers;
    private Thread fetcher;
    private Thread outcomeWriter;
    /** Heartbeat, cancellation checks and the lease guard: they run until the very end of a shutdown. */
    private ScheduledExecutorService liveness;
    /** Scheduler, dead-server watchdog, expiration, statistics: stopped first at shutdown. */
    private ScheduledExecutorService maintenance;

    /** The connections the fetcher and the outcome writer keep while they are busy. */
    private final LoopConnection fetchConnection = new LoopConnection();
    private final LoopConnection outcomeConnection = new LoopConnection();

    private final OutageLog fetchLog = new OutageLog("job fetch");
    private final OutageLog outcomeLog = new OutageLog("outcome recording");
    private final OutageLog schedulerLog = new OutageLog("scheduler");
    private final OutageLog heartbeatLog = new OutageLog("heartbeat");
    private final OutageLog watchdogLog = new OutageLog("dead server watchdog");
    private final OutageLog cancellationLog = new OutageLog("cancellation check");
    private final OutageLog expirationLog = new OutageLog("expiration");
    private final OutageLog statisticsLog = new OutageLog("statistics aggregation");

    BackgroundJobServer(HangfireConfig.Server config, ServerStorage storage, JobPerformer performer, ServerSignals signals,
            RecurringStore recurring) {
        this.config = config;
        this.recurring = recurring;
        this.storage = storage;
        this.performer = performer;
        this.signals = signals;
        this.serverId = signals.serverId();
        this.queues = List.copyOf(config.queues());
        this.workerCount = HangfireConfig.effectiveWorkers(config);
        this.idleWorkers = workerCount;
        checkTimes(config);
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

    void start() {
        workers = ManagedExecutor.builder().maxAsync(workerCount).maxQueued(workerCount)
                .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();
        try {
            register();
        } catch (RuntimeException e) {
            // the heartbeat registers it once the database answers
            heartbeatLog.failed(e);
        }
        fetcher = thread("hangfire-fetcher", this::fetchLoop);
        outcomeWriter = thread("hangfire-outcomes", this::outcomeLoop);
        liveness = Executors.newScheduledThreadPool(2, named("hangfire-liveness"));
        every(liveness, config.heartbeatInterval(), this::heartbeat);
        every(liveness, config.cancellationCheckInterval(), this::checkCancellations);
        every(liveness, Duration.ofMillis(GUARD_MILLIS), this::guardLeases);
        maintenance = Executors.newScheduledThreadPool(2, named("hangfire-maintenance"));
        every(maintenance, config.schedulerInterval(), this::enqueueDueScheduled);
        every(maintenance, config.heartbeatInterval(), this::watchDeadServers);
        every(maintenance, config.expirationCheckInterval(), this::removeExpired);
        every(maintenance, config.counterAggregationInterval(), this::aggregateStatistics);
        signals.attach(this);
        fetcher.start();
        outcomeWriter.start();
        LOG.infof("Hangfire server %s started: %d workers on queues %s", serverId, workerCount, queues);
    }

    /**
     * Stops fetching, lets running jobs and those claimed ahead finish within the shutdown timeout (still renewing
     * their leases), then cancels the rest, returns them to their queues, and removes the server row.
     */
    void stop() {
        fetching = false;
        signals.detach(this);
        wakeFetcher();
        synchronized (dispatch) {
            dispatch.notifyAll();
        }
        join(fetcher, Duration.ofSeconds(1));
        if (fetcher.isAlive()) {
            // in the middle of a claim
            fetcher.interrupt();
            join(fetcher, Duration.ofSeconds(5));
        }
        maintenance.shutdownNow();
        // the workers run the jobs claimed ahead too: at most a moment's work (AHEAD_HORIZON_NANOS)
        boolean finished = awaitIdleWorkers(config.shutdownTimeout());
        if (!finished) {
            List<ServerStorage.Outcome> back = new ArrayList<>();
            for (ClaimedJob job : takeAllAhead()) {
                back.add(new ServerStorage.Outcome(job, Transition.to(job.job(), JobState.ENQUEUED, "Server " + serverId
                        + " shut down before the job started (shutdown timeout " + config.shutdownTimeout()
                        + "); returned to its queue")));
            }
            for (RunningJob running : RunningJob.all()) {
                running.cancel(true);
                back.add(new ServerStorage.Outcome(running.claimed(), Transition.to(running.claimed().job(),
                        JobState.ENQUEUED, "Server " + serverId + " shut down before the job finished (shutdown timeout "
                                + config.shutdownTimeout() + "); returned to its queue")));
            }
            LOG.warnf("Hangfire server %s: %d job(s) still running or not started after the shutdown timeout of %s were"
                    + " cancelled and returned to their queues", serverId, back.size(), config.shutdownTimeout());
            // a moment for the cancelled jobs to stop before another server can pick them up
            awaitIdleWorkers(Duration.ofSeconds(1));
            outcomes.addAll(back);
        }
        recording = false;
        join(outcomeWriter, Duration.ofSeconds(10));
        writeOutcomes(null, drain(Integer.MAX_VALUE));
        liveness.shutdownNow();
        workers.shutdownNow();
        try {
            storage.removeServer(serverId);
        } catch (RuntimeException e) {
            LOG.debugf("Could not remove server row %s: %s", serverId, e);
        }
        LOG.infof("Hangfire server %s stopped", serverId);
    }

    void wakeFetcher() {
        synchronized (wakeMonitor) {
            wakeRequested = true;
            wakeMonitor.notifyAll();
        }
    }

    private void fetchLoop() {
        try {
            fetchJobs();
        } finally {
            fetchConnection.release();
        }
    }

    private void fetchJobs() {
        long pollMillis = Math.max(1, config.pollInterval().toMillis());
        while (fetching) {
            if (!registered) {
                // fenced, or not registered yet: claims would carry an identity nobody renews
                sleep(Math.max(pollMillis, 200));
                continue;
            }
            int wanted;
            synchronized (dispatch) {
                try {
                    while ((wanted = wanted()) == 0 && fetching) {
                        dispatch.wait();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!fetching) {
                return;
            }
            synchronized (wakeMonitor) {
                wakeRequested = false;
            }
            List<ClaimedJob> claimed;
            try {
                claimed = storage.claim(fetchConnection, serverId, queues, wanted, JobClock.now().plus(config.leaseTimeout()));
                fetchLog.succeeded();
            } catch (RuntimeException e) {
                fetchLog.failed(e);
                claimed = List.of();
            }
            claimed.forEach(job -> held.add(job.claim()));
            List<ClaimedJob> toStart = new ArrayList<>();
            synchronized (dispatch) {
                backlog = claimed.size() == wanted;
                ahead.addAll(claimed);
                while (idleWorkers > 0 && !ahead.isEmpty()) {
                    idleWorkers--;
                    toStart.add(ahead.poll());
                }
            }
            for (ClaimedJob job : toStart) {
                workers.execute(() -> work(job));
            }
            if (claimed.size() < wanted) {
                // the queues are drained: sleep until a local enqueue wakes us or the poll interval passes
                fetchConnection.release();
                synchronized (wakeMonitor) {
                    if (!wakeRequested && fetching) {
                        try {
                            wakeMonitor.wait(fetchLog.isFailing() ? Math.max(pollMillis, 1000) : pollMillis);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        }
    }

    /**
     * How many jobs to claim now (under {@link #dispatch}): one per idle worker, and while the queues have a
     * backlog of short jobs, enough to refill the jobs claimed ahead once they run down to half. Zero means wait.
     */
    private int wanted() {
        int limit = backlog ? aheadLimit() : 0;
        int refill = limit > 0 && ahead.size() <= limit / 2 ? limit - ahead.size() : 0;
        return Math.min(config.fetchBatchSize(), Math.max(0, idleWorkers - ahead.size()) + refill);
    }

    /**
     * How many jobs may wait here for a worker: as many as the workers finish within {@link #AHEAD_HORIZON_NANOS}
     * at the recent average run time, at most a fetch batch. Jobs of a second or more are never claimed ahead.
     */
    private int aheadLimit() {
        long average = averageRunNanos;
        if (average < 0) {
            return 0;
        }
        long fit = workerCount * AHEAD_HORIZON_NANOS / Math.max(1, average);
        return (int) Math.min(config.fetchBatchSize(), fit);
    }

    /** A worker: runs its job, then the jobs claimed ahead while there are any, then goes idle. */
    private void work(ClaimedJob first) {
        ClaimedJob job = first;
        try {
            while (job != null) {
                long started = System.nanoTime();
                run(job);
                long took = System.nanoTime() - started;
                long average = averageRunNanos;
                averageRunNanos = average < 0 ? took : average + (took - average) / 8;
                job = nextOrIdle();
            }
        } catch (RuntimeException | Error e) {
            synchronized (dispatch) {
                goIdle();
            }
            throw e;
        }
    }

    /** The next job claimed ahead, or null after counting this worker idle. */
    private ClaimedJob nextOrIdle() {
        synchronized (dispatch) {
            ClaimedJob next = registered ? ahead.poll() : null;
            if (next == null) {
                goIdle();
            } else {
                // the jobs claimed ahead may have run down to the refill mark
                dispatch.notifyAll();
            }
            return next;
        }
    }

    /** Counts a worker idle (under {@link #dispatch}) and lets the fetcher, or a stop waiting for idle workers, see it. */
    private void goIdle() {
        idleWorkers++;
        dispatch.notifyAll();
    }

    private void run(ClaimedJob job) {
        Transition outcome = performer.perform(job);
        if (outcome != null) {
            outcomes.add(new ServerStorage.Outcome(job, outcome));
        } else {
            held.remove(job.claim());
        }
    }

    private List<ClaimedJob> takeAllAhead() {
        synchronized (dispatch) {
            List<ClaimedJob> all = new ArrayList<>(ahead);
            ahead.clear();
            return all;
        }
    }

    /**
     * Drops a job claimed ahead that was taken out of Processing here or elsewhere before it started; returns
     * whether it was waiting here.
     */
    boolean dropAhead(long claim) {
        boolean dropped;
        synchronized (dispatch) {
            dropped = ahead.removeIf(job -> job.claim() == claim);
        }
        if (dropped) {
            held.remove(claim);
        }
        return dropped;
    }

    private void outcomeLoop() {
        try {
            recordOutcomes();
        } finally {
            outcomeConnection.release();
        }
    }

    private void recordOutcomes() {
        while (recording || !outcomes.isEmpty()) {
            List<ServerStorage.Outcome> batch;
            try {
                ServerStorage.Outcome first = outcomes.poll();
                if (first == null) {
                    outcomeConnection.release();
                    first = outcomes.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                }
                batch = new ArrayList<>();
                batch.add(first);
                if (outcomes.size() < OUTCOME_BATCH - 1) {
                    // a moment for the outcomes of the other workers, so that one transaction records them together
                    TimeUnit.MICROSECONDS.sleep(GATHER_MICROS);
                }
                outcomes.drainTo(batch, OUTCOME_BATCH - 1);
            } catch (InterruptedException e) {
                return;
            }
            if (!writeOutcomes(outcomeConnection, batch)) {
                // keep them: an outcome is only dropped once the database has it
                outcomes.addAll(batch);
                sleep(1000);
            }
        }
    }

    /** Records a batch of outcomes on {@code loop} (null: a borrowed connection); false when it failed. */
    private boolean writeOutcomes(LoopConnection loop, List<ServerStorage.Outcome> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        try {
            storage.complete(loop, serverId, batch);
            batch.forEach(o -> held.remove(o.claimed().claim()));
            outcomeLog.succeeded();
            return true;
        } catch (RuntimeException e) {
            outcomeLog.failed(e);
            return false;
        }
    }

    private List<ServerStorage.Outcome> drain(int max) {
        List<ServerStorage.Outcome> batch = new ArrayList<>();
        outcomes.drainTo(batch, max);
        return batch;
    }

    private void enqueueDueScheduled() {
        try {
            int moved;
            do {
                moved = storage.enqueueDueScheduled(MAINTENANCE_BATCH);
            } while (moved == MAINTENANCE_BATCH && fetching);
            while (recurring.enqueueDue(RECURRING_BATCH) == RECURRING_BATCH && fetching) {
                // more recurring jobs due
            }
            schedulerLog.succeeded();
        } catch (RuntimeException e) {
            schedulerLog.failed(e);
        }
    }

    private void register() {
        storage.register(serverId, queues, workerCount, startedAt);
        lastRenewal = JobClock.now();
        registered = true;
    }

    private void heartbeat() {
        try {
            if (registered) {
                Instant renewal = JobClock.now();
                Set<Long> claims = new HashSet<>(held);
                // runs of JobScheduler.perform in this instance hold claims of their own
                RunningJob.all().forEach(r -> claims.add(r.claimed().claim()));
                if (storage.heartbeat(serverId, claims, renewal.plus(config.leaseTimeout()))) {
                    lastRenewal = renewal;
                } else {
                    fence("its server row was removed: another server declared it dead");
                }
            }
            if (!registered) {
                register();
                LOG.infof("Hangfire server re-registered as %s; it runs jobs again", serverId);
            }
            heartbeatLog.succeeded();
        } catch (RuntimeException e) {
            heartbeatLog.failed(e);
        }
    }

    /**
     * Fences the server before its leases can run out: once they have, another server may claim its jobs, and
     * both would run them. It acts one heartbeat interval early, as the next heartbeat could come too late.
     */
    private void guardLeases() {
        Instant renewed = lastRenewal;
        if (registered && renewed != null && JobClock.now().isAfter(
                renewed.plus(config.leaseTimeout()).minus(config.heartbeatInterval()))) {
            fence("it could not renew its leases since " + renewed + " (lease timeout " + config.leaseTimeout() + ")");
        }
    }

    /** Cancels every run, drops every outcome not yet written, and takes a new identity to register. */
    private synchronized void fence(String why) {
        if (!registered) {
            return;
        }
        registered = false;
        String old = serverId;
        serverId = signals.renewIdentity();
        int cancelled = 0;
        for (RunningJob running : RunningJob.all()) {
            running.cancel(config.interruptCancelledJobs());
            cancelled++;
        }
        int dropped = outcomes.size() + takeAllAhead().size();
        outcomes.clear();
        held.clear();
        LOG.warnf("Hangfire server %s lost its jobs: %s. It cancelled %d running job(s) and dropped %d unrecorded"
                + " outcome(s) or unstarted claim(s); other servers run those jobs again once their leases expire. It comes back as %s.",
                old, why, cancelled, dropped, serverId);
    }

    /** Cancels the runs whose job was deleted or requeued by another instance since it was claimed. */
    private void checkCancellations() {
        List<Long> claims = new ArrayList<>();
        for (RunningJob running : RunningJob.all()) {
            if (running.stop() == RunningJob.Stop.NONE) {
                claims.add(running.claimed().claim());
            }
        }
        synchronized (dispatch) {
            ahead.forEach(job -> claims.add(job.claim()));
        }
        if (claims.isEmpty() || !registered) {
            return;
        }
        try {
            Set<Long> owned = storage.ownedClaims(serverId, claims);
            for (long claim : claims) {
                if (!owned.contains(claim) && !dropAhead(claim)) {
                    RunningJob running = RunningJob.byClaim(claim);
                    if (running != null) {
                        LOG.debugf("Job %s was taken out of Processing elsewhere; cancelling its run", running.jobId());
                        running.cancel(config.interruptCancelledJobs());
                    }
                }
            }
            cancellationLog.succeeded();
        } catch (RuntimeException e) {
            cancellationLog.failed(e);
        }
    }

    /** Returns the jobs of servers that stopped renewing their leases, and removes dead servers' rows. */
    private void watchDeadServers() {
        try {
            while (storage.requeueExpiredLeases(MAINTENANCE_BATCH) == MAINTENANCE_BATCH && fetching) {
                // more to do
            }
            for (String dead : storage.removeDeadServers(JobClock.now().minus(config.leaseTimeout()))) {
                LOG.warnf("Hangfire server %s declared dead: no heartbeat for %s", dead, config.leaseTimeout());
            }
            storage.sweepLocks();
            watchdogLog.succeeded();
        } catch (RuntimeException e) {
            watchdogLog.failed(e);
        }
    }

    private void aggregateStatistics() {
        try {
            while (storage.aggregateStatistics(MAINTENANCE_BATCH) > 0 && fetching) {
                // more to merge
            }
            statisticsLog.succeeded();
        } catch (RuntimeException e) {
            statisticsLog.failed(e);
        }
    }

    private void removeExpired() {
        try {
            int removed;
            do {
                removed = storage.removeExpired(config.expirationBatchSize());
            } while (removed == config.expirationBatchSize() && fetching);
            while (storage.removeExpiredStatistics(config.expirationBatchSize()) == config.expirationBatchSize() && fetching) {
                // more to remove
            }
            expirationLog.succeeded();
        } catch (RuntimeException e) {
            expirationLog.failed(e);
        }
    }

    private boolean awaitIdleWorkers(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (dispatch) {
            while (idleWorkers < workerCount) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(dispatch, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private static void every(ScheduledExecutorService executor, Duration interval, Runnable task) {
        long millis = Math.max(10, interval.toMillis());
        executor.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    private static Thread thread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return body -> thread(prefix + "-" + n.incrementAndGet(), body);
    }

    private static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
