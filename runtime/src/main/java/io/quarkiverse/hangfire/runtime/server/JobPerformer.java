package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.JobCancelledException;
import io.quarkiverse.hangfire.JobState;
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
 * the job's next state. Whoever called it records that state.
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
    JobResults results;

    @Inject
    SizeLimits limits;

    /** Fires the timeouts of running jobs; one daemon thread, started with the first job that has a timeout. */
    private volatile ScheduledExecutorService timeouts;

    /**
     * The outcome of a run: the transition to record, or null when the run was cancelled and records nothing. What
     * the attempt logs carries the job in the MDC.
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
            Object result = invoke(method, args, running);
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
        } catch (Throwable thrown) {
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
        } finally {
            if (timeout != null) {
                timeout.cancel(false);
            }
            running.close();
            // a cancelled job may have been interrupted: do not leak the flag into the worker's next job
            Thread.interrupted();
        }
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
