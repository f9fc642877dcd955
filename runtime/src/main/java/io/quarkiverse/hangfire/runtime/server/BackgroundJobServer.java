package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.state.Transition;
import io.quarkiverse.hangfire.runtime.storage.JobClock;

/**
 * The background job server of this instance: a fetcher that claims jobs for free workers, workers on a
 * managed executor, a writer that records outcomes in batches, and maintenance loops (scheduled jobs,
 * heartbeat and leases, expiration). Started and stopped by {@link ServerLifecycle}.
 */
public final class BackgroundJobServer {

    private static final Logger LOG = Logger.getLogger(BackgroundJobServer.class);
    private static final int OUTCOME_BATCH = 200;
    private static final int MAINTENANCE_BATCH = 1000;

    private final HangfireConfig.Server config;
    private final ServerStorage storage;
    private final JobPerformer performer;
    private final ServerSignals signals;
    private final String serverId;
    private final List<String> queues;
    private final int workerCount;
    private final Instant startedAt = JobClock.now();

    private final Semaphore freeWorkers;
    private final Object wakeMonitor = new Object();
    private boolean wakeRequested;
    private final BlockingQueue<ServerStorage.Outcome> outcomes = new LinkedBlockingQueue<>();

    private volatile boolean fetching = true;
    private volatile boolean recording = true;
    private ManagedExecutor workers;
    private Thread fetcher;
    private Thread outcomeWriter;
    private ScheduledExecutorService maintenance;

    private final OutageLog fetchLog = new OutageLog("job fetch");
    private final OutageLog outcomeLog = new OutageLog("outcome recording");
    private final OutageLog schedulerLog = new OutageLog("scheduler");
    private final OutageLog heartbeatLog = new OutageLog("heartbeat");
    private final OutageLog expirationLog = new OutageLog("expiration");

    BackgroundJobServer(HangfireConfig.Server config, ServerStorage storage, JobPerformer performer, ServerSignals signals) {
        this.config = config;
        this.storage = storage;
        this.performer = performer;
        this.signals = signals;
        this.serverId = signals.serverId();
        this.queues = List.copyOf(config.queues());
        this.workerCount = HangfireConfig.effectiveWorkers(config);
        this.freeWorkers = new Semaphore(workerCount);
    }

    void start() {
        workers = ManagedExecutor.builder().maxAsync(workerCount).maxQueued(workerCount)
                .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();
        heartbeat();
        fetcher = thread("hangfire-fetcher", this::fetchLoop);
        outcomeWriter = thread("hangfire-outcomes", this::outcomeLoop);
        maintenance = Executors.newScheduledThreadPool(2, named("hangfire-maintenance"));
        every(config.schedulerInterval(), this::enqueueDueScheduled);
        every(config.heartbeatInterval(), this::heartbeat);
        every(config.heartbeatInterval(), this::requeueExpiredLeases);
        every(config.expirationCheckInterval(), this::removeExpired);
        signals.attach(this);
        fetcher.start();
        outcomeWriter.start();
        LOG.infof("Hangfire server %s started: %d workers on queues %s", serverId, workerCount, queues);
    }

    /** Stops fetching, lets running jobs finish within the shutdown timeout, then cancels and requeues the rest. */
    void stop() {
        fetching = false;
        signals.detach(this);
        wakeFetcher();
        join(fetcher, Duration.ofSeconds(1));
        if (fetcher.isAlive()) {
            // blocked waiting for a free worker
            fetcher.interrupt();
            join(fetcher, Duration.ofSeconds(5));
        }
        maintenance.shutdownNow();
        boolean finished = awaitFreeWorkers(config.shutdownTimeout());
        if (!finished) {
            List<ServerStorage.Outcome> back = new ArrayList<>();
            for (RunningJob running : RunningJob.all()) {
                running.interrupt();
                back.add(new ServerStorage.Outcome(running.claimed(), Transition.to(running.claimed().job(),
                        JobState.ENQUEUED, "Server " + serverId + " shut down before the job finished")));
            }
            LOG.warnf("Hangfire server %s: %d job(s) still running after %s, returned to their queues", serverId,
                    back.size(), config.shutdownTimeout());
            outcomes.addAll(back);
        }
        recording = false;
        join(outcomeWriter, Duration.ofSeconds(10));
        writeOutcomes(drain(Integer.MAX_VALUE));
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
        long pollMillis = Math.max(1, config.pollInterval().toMillis());
        while (fetching) {
            try {
                freeWorkers.acquire();
            } catch (InterruptedException e) {
                return;
            }
            int wanted = 1 + freeWorkers.drainPermits();
            int excess = Math.max(0, wanted - config.fetchBatchSize());
            freeWorkers.release(excess);
            wanted -= excess;
            synchronized (wakeMonitor) {
                wakeRequested = false;
            }
            List<ClaimedJob> claimed;
            try {
                claimed = storage.claim(serverId, queues, wanted,
                        JobClock.now().plus(config.leaseTimeout()));
                fetchLog.succeeded();
            } catch (RuntimeException e) {
                fetchLog.failed(e);
                claimed = List.of();
            }
            freeWorkers.release(wanted - claimed.size());
            for (ClaimedJob job : claimed) {
                workers.execute(() -> run(job));
            }
            if (claimed.size() < wanted) {
                // the queues are drained: sleep until a local enqueue wakes us or the poll interval passes
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

    private void run(ClaimedJob job) {
        try {
            Transition outcome = performer.perform(job);
            if (outcome != null) {
                outcomes.add(new ServerStorage.Outcome(job, outcome));
            }
        } finally {
            freeWorkers.release();
        }
    }

    private void outcomeLoop() {
        while (recording || !outcomes.isEmpty()) {
            List<ServerStorage.Outcome> batch;
            try {
                ServerStorage.Outcome first = outcomes.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch = new ArrayList<>();
                batch.add(first);
                outcomes.drainTo(batch, OUTCOME_BATCH - 1);
            } catch (InterruptedException e) {
                return;
            }
            if (!writeOutcomes(batch)) {
                // keep them: an outcome is only dropped once the database has it
                outcomes.addAll(batch);
                sleep(1000);
            }
        }
    }

    private boolean writeOutcomes(List<ServerStorage.Outcome> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        try {
            storage.complete(serverId, batch);
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
            schedulerLog.succeeded();
        } catch (RuntimeException e) {
            schedulerLog.failed(e);
        }
    }

    private void heartbeat() {
        try {
            storage.heartbeat(serverId, queues, workerCount, startedAt, JobClock.now().plus(config.leaseTimeout()));
            heartbeatLog.succeeded();
        } catch (RuntimeException e) {
            heartbeatLog.failed(e);
        }
    }

    private void requeueExpiredLeases() {
        try {
            while (storage.requeueExpiredLeases(MAINTENANCE_BATCH) == MAINTENANCE_BATCH && fetching) {
                // more to do
            }
            storage.removeDeadServers(JobClock.now().minus(config.leaseTimeout()));
        } catch (RuntimeException e) {
            heartbeatLog.failed(e);
        }
    }

    private void removeExpired() {
        try {
            int removed;
            do {
                removed = storage.removeExpired(config.expirationBatchSize());
            } while (removed == config.expirationBatchSize() && fetching);
            expirationLog.succeeded();
        } catch (RuntimeException e) {
            expirationLog.failed(e);
        }
    }

    private boolean awaitFreeWorkers(Duration timeout) {
        try {
            if (freeWorkers.tryAcquire(workerCount, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                freeWorkers.release(workerCount);
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void every(Duration interval, Runnable task) {
        long millis = Math.max(10, interval.toMillis());
        maintenance.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
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
