package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.JobCancelledException;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.filter.JobFilters;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;
import io.quarkiverse.hangfire.runtime.state.AutomaticRetry;
import io.quarkiverse.hangfire.runtime.state.Transition;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobLogs;
import io.quarkiverse.hangfire.runtime.storage.JobParameters;
import io.quarkiverse.hangfire.runtime.storage.JobResults;
import io.quarkiverse.hangfire.runtime.registry.SizeLimits;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;

/**
 * Runs one claimed job on the current thread: reads its arguments, calls the method through the invoker
 * generated at build time (with a request context, as a REST call would have), and turns the outcome into
 * the job's next state. Whoever called it records that state, except the success of a transactional job: that is
 * recorded here, in the job's own JTA transaction, just before it commits (see
 * {@link ServerTransactions#completeInJobTransaction}).
 */
@Singleton
public class JobPerformer {

    private static final Logger LOG = Logger.getLogger(JobPerformer.class);

    @Inject
    JobParameters parameters;

    @Inject
    JobLogs logs;

    @Inject
    AutomaticRetry retry;

    @Inject
    ServerSignals signals;

    @Inject
    JobFilters filters;

    @Inject
    ServerTransactions storage;

    @Inject
    TransactionManager transactionManager;

    @Inject
    HangfireConfig config;

    @Inject
    JobResults results;

    @Inject
    SizeLimits limits;

    /** Fires the timeouts of running jobs; one daemon thread, started with the first job that has a timeout. */
    private volatile ScheduledExecutorService timeouts;

    /**
     * When the job of an attempt running in this instance entered its queue (its enqueue's commit), for the pickup
     * latency; empty for a context that is not one of this server's attempts.
     */
    public static Optional<Instant> enqueuedAt(JobContext attempt) {
        return attempt instanceof RunningJob running ? Optional.ofNullable(running.claimed().enqueuedAt())
                : Optional.empty();
    }

    /**
     * The outcome of a run: the transition to record, or null when there is nothing left to record: the run was
     * cancelled, or it was a transactional job whose success was committed (or rolled back, its claim lost) with its
     * transaction. What the attempt logs carries the job in the MDC.
     */
    public Transition perform(ClaimedJob claimed) {
        try (JobLogContext logContext = JobLogContext.of(claimed.job())) {
            return run(claimed);
        }
    }

    private Transition run(ClaimedJob claimed) {
        RunningJob running = RunningJob.start(claimed, parameters, logs, results);
        Instant started = JobClock.now();
        JobMethod method = JobRegistry.find(claimed.job().jobName());
        ScheduledFuture<?> timeout = method == null || method.timeout() == null ? null
                : timeouts().schedule(running::timeOut, method.timeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            if (method == null) {
                throw new IllegalStateException("No @BackgroundJob named '" + claimed.job().jobName()
                        + "' exists in this application (renamed or removed since the job was created?)");
            }
            Object[] args = JobArguments.decode(method, claimed.job().arguments(), running);
            if (method.transactional(config.transactionalJobs())) {
                performInTransaction(claimed, method, args, running, started);
                return null;
            }
            return succeeded(claimed, method, running, started, invoke(method, args, running));
        } catch (Throwable thrown) {
            return failed(claimed, method, running, started, thrown);
        } finally {
            if (timeout != null) {
                timeout.cancel(false);
            }
            running.close();
            // a cancelled job may have been interrupted: do not leak the flag into the worker's next job
            Thread.interrupted();
        }
    }

    /**
     * Runs a transactional job in a JTA transaction of its own and records its success in it before the commit, if
     * its claim is still held; rolls it back otherwise, and when it fails (the failure propagates, to be recorded in
     * a new transaction). The job row is locked only from the completion to the commit, so the heartbeat renews the
     * lease of a long transaction and the lease watchdog is never blocked by it.
     */
    private void performInTransaction(ClaimedJob claimed, JobMethod method, Object[] args, RunningJob running,
            Instant started) throws Throwable {
        // a job with a timeout gets a transaction that lasts as long, plus a moment for its completion
        transactionManager.setTransactionTimeout(method.timeout() == null ? 0
                : (int) Math.min(Integer.MAX_VALUE, method.timeout().toSeconds() + 5));
        // JobScheduler.perform may be called in a transaction: the job's is a new one beside it
        Transaction caller = transactionManager.suspend();
        transactionManager.begin();
        boolean committed = false;
        try {
            Transition success = succeeded(claimed, method, running, started, invoke(method, args, running));
            if (success == null) {
                return; // cancelled: rolled back below
            }
            if (!storage.completeInJobTransaction(claimed, success)) {
                running.cancel(false);
                LOG.warnf("Job %s attempt %d lost its claim before it could commit (its server lost its lease, or the job"
                        + " was claimed again); its transaction rolls back", claimed.job().id(), claimed.attempt());
                return;
            }
            try {
                transactionManager.commit();
                committed = true;
            } catch (RollbackException e) {
                throw new IllegalStateException("The transaction of job " + claimed.job().id() + " rolled back instead of"
                        + " committing (it ran past the transaction timeout, or was marked for rollback)", e);
            }
        } finally {
            if (!committed && transactionManager.getTransaction() != null) {
                try {
                    transactionManager.rollback();
                } catch (IllegalStateException | jakarta.transaction.SystemException e) {
                    // the transaction timeout's reaper rolled it back already
                    LOG.debugf("Rolling back the transaction of job %s: %s", claimed.job().id(), e);
                }
            }
            transactionManager.setTransactionTimeout(0);
            if (caller != null) {
                transactionManager.resume(caller);
            }
        }
    }

    /**
     * The connections this server needs beside its workers: the fetcher's and the outcome writer's, which they keep
     * while busy, one for the heartbeat, and one for the PostgreSQL listener or the maintenance loops.
     */
    static final int SERVER_CONNECTIONS = 4;

    /**
     * Fails startup when transactional jobs could take every connection of the pool: a worker holds one for each
     * transactional attempt until it ends, and the server must still renew its leases and record outcomes, or it
     * would lose its claims and roll back every job. A job that also logs or reports progress takes a second one
     * for a moment, which the spare connections cover.
     */
    void checkConnectionsFor(int workers) {
        boolean any = JobRegistry.all().stream().anyMatch(m -> m.transactional(config.transactionalJobs()));
        int poolSize = storage.poolMaxSize();
        if (!any || poolSize < 0) {
            return;
        }
        int needed = workers + SERVER_CONNECTIONS;
        if (poolSize < needed) {
            throw new IllegalStateException("Transactional jobs hold a connection of the pool for the whole of each"
                    + " attempt, and this server runs " + workers + " of them at once (quarkus.hangfire.server.workers):"
                    + " the pool of the jobs' datasource needs at least " + needed + " connections (the workers, plus "
                    + SERVER_CONNECTIONS + " for the server's heartbeat, claims and outcomes) but has at most " + poolSize
                    + ". Raise quarkus.datasource.jdbc.max-size to " + needed + " or more, or lower the workers to "
                    + Math.max(1, poolSize - SERVER_CONNECTIONS) + ".");
        }
        if (poolSize < needed + workers / 2) {
            LOG.warnf("Transactional jobs: the pool has %d connections for %d workers and the server's %d; transactional"
                    + " jobs that log or report progress while running take a second connection for a moment, and may"
                    + " wait for one", poolSize, workers, SERVER_CONNECTIONS);
        }
    }

    /** The Succeeded transition of a run that returned {@code result}; null when it was cancelled. */
    private Transition succeeded(ClaimedJob claimed, JobMethod method, RunningJob running, Instant started, Object result)
            throws TimeoutException {
        if (running.stop() == RunningJob.Stop.TIMED_OUT) {
            throw timedOut(method, started);
        }
        if (running.stop() == RunningJob.Stop.CANCELLED) {
            return null;
        }
        Instant ended = JobClock.now();
        Map<String, String> data = new LinkedHashMap<>();
        data.put("duration", Long.toString(Duration.between(started, ended).toMillis()));
        data.put("latency", Long.toString(Duration.between(claimed.enqueuedAt(), started).toMillis()));
        data.put("server", signals.serverId());
        if (result != null) {
            data.put("result", resultJson(method, result));
        }
        // no per-job reason: completions that share their values share one UPDATE; the duration is in the data
        return Transition.to(claimed.job(), JobState.SUCCEEDED, null).withData(data);
    }

    /** The transition of an attempt that threw {@code thrown}: a retry or a final state; null when it was cancelled. */
    private Transition failed(ClaimedJob claimed, JobMethod method, RunningJob running, Instant started, Throwable thrown) {
        Throwable failure = thrown;
        if (running.stop() == RunningJob.Stop.TIMED_OUT && !(thrown instanceof TimeoutException)) {
            failure = timedOut(method, started);
            failure.addSuppressed(thrown);
        } else if (running.stop() == RunningJob.Stop.CANCELLED) {
            // deleted or requeued while it ran: that change is the job's new state
            LOG.debugf("Job %s was cancelled while running: %s", claimed.job().id(), failure);
            return null;
        }
        if (failure instanceof JobCancelledException) {
            LOG.debugf(failure, "Job %s cancelled itself", claimed.job().id());
        } else {
            LOG.warnf("Job %s (%s) attempt %d failed: %s", claimed.job().id(), claimed.job().jobName(),
                    claimed.job().attempt(), failure.toString());
        }
        if (failure instanceof Error && !(failure instanceof AssertionError) && !(failure instanceof StackOverflowError)
                && !(failure instanceof LinkageError)) {
            LOG.error("Job failed with an error", failure);
        }
        return retry.onFailure(claimed.job(), method, failure, JobClock.now());
    }

    private static TimeoutException timedOut(JobMethod method, Instant started) {
        return new TimeoutException("The job ran longer than its timeout of " + method.timeout() + " (stopped after "
                + Duration.between(started, JobClock.now()).toMillis() + " ms)");
    }

    private ScheduledExecutorService timeouts() {
        ScheduledExecutorService t = timeouts;
        if (t == null) {
            synchronized (this) {
                t = timeouts;
                if (t == null) {
                    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, body -> {
                        Thread thread = new Thread(body, "hangfire-job-timeouts");
                        thread.setDaemon(true);
                        return thread;
                    });
                    executor.setRemoveOnCancelPolicy(true);
                    timeouts = t = executor;
                }
            }
        }
        return t;
    }

    /** Calls the method, with the filters around it, in a request context that the filters share with the method. */
    private Object invoke(JobMethod method, Object[] args, RunningJob running) throws Throwable {
        ManagedContext requestContext = Arc.container().requestContext();
        boolean activated = !requestContext.isActive();
        if (activated) {
            requestContext.activate();
        }
        int filtered = 0;
        Throwable failure = null;
        try {
            filtered = filters.performing(running);
            Object result = method.invoker().invoke(null, args);
            if (result instanceof CompletionStage<?> stage) {
                try {
                    result = stage.toCompletableFuture().get();
                } catch (ExecutionException e) {
                    throw e.getCause() == null ? e : e.getCause();
                }
            }
            return result;
        } catch (JobFilters.PerformingFailed e) {
            filtered = e.ran();
            failure = e.getCause();
            throw failure;
        } catch (Throwable thrown) {
            failure = thrown;
            throw thrown;
        } finally {
            try {
                filters.performed(running, failure, filtered);
            } finally {
                if (activated) {
                    requestContext.terminate();
                }
            }
        }
    }

    /**
     * The returned value as JSON, which continuations read back typed: a value over the arguments' size limit fails the
     * attempt with an error that says so (a result is bounded as the arguments are), and so does one Jackson cannot
     * write.
     */
    private String resultJson(JobMethod method, Object result) {
        String json = JobArguments.toJson(result);
        limits.checkResult(method, json);
        return json;
    }
}
