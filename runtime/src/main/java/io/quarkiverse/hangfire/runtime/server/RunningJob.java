package io.quarkiverse.hangfire.runtime.server;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkiverse.hangfire.JobCancelledException;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.runtime.storage.JobLogs;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobParameters;
import io.quarkiverse.hangfire.runtime.storage.JobResults;

/**
 * A job running in this instance: the {@link JobContext} its method receives, and why it was asked to stop,
 * if it was.
 */
final class RunningJob implements JobContext {

    /** Why a run was asked to stop. */
    enum Stop {
        /** It runs on. */
        NONE,
        /** Deleted or requeued, its lease lost, or its server shutting down: its result is dropped. */
        CANCELLED,
        /** It ran past its timeout: the attempt fails. */
        TIMED_OUT
    }

    private static final Map<Long, RunningJob> BY_CLAIM = new ConcurrentHashMap<>();

    private final ClaimedJob claimed;
    private final JobParameters parameters;
    private final JobLogs logs;
    private final JobResults results;
    private final Thread thread;
    private int logLines;
    private int progress = -1;
    private volatile Stop stop = Stop.NONE;
    /** Guards the interrupt: once the run is closed its thread runs other work and must not be interrupted. */
    private boolean closed;

    private RunningJob(ClaimedJob claimed, JobParameters parameters, JobLogs logs, JobResults results) {
        this.claimed = claimed;
        this.parameters = parameters;
        this.logs = logs;
        this.results = results;
        this.thread = Thread.currentThread();
    }

    /** Registers the run on the current thread until {@link #close()}. */
    static RunningJob start(ClaimedJob claimed, JobParameters parameters, JobLogs logs, JobResults results) {
        RunningJob running = new RunningJob(claimed, parameters, logs, results);
        BY_CLAIM.put(claimed.claim(), running);
        return running;
    }

    static RunningJob byClaim(long claim) {
        return BY_CLAIM.get(claim);
    }

    static Iterable<RunningJob> all() {
        return BY_CLAIM.values();
    }

    void close() {
        BY_CLAIM.remove(claimed.claim(), this);
        synchronized (this) {
            closed = true;
        }
    }

    /** Asks the run to stop and drops its result; interrupts its thread too when {@code interrupt}. */
    void cancel(boolean interrupt) {
        stopWith(Stop.CANCELLED, interrupt);
    }

    /** Fails the attempt for running too long, and interrupts it. */
    void timeOut() {
        stopWith(Stop.TIMED_OUT, true);
    }

    private synchronized void stopWith(Stop reason, boolean interrupt) {
        if (stop == Stop.NONE) {
            stop = reason;
        }
        if (interrupt && !closed) {
            thread.interrupt();
        }
    }

    Stop stop() {
        return stop;
    }

    ClaimedJob claimed() {
        return claimed;
    }

    @Override
    public String jobId() {
        return Long.toString(claimed.job().id());
    }

    @Override
    public String jobName() {
        return claimed.job().jobName();
    }

    @Override
    public String queue() {
        return claimed.job().queue();
    }

    @Override
    public int attempt() {
        return claimed.job().attempt();
    }

    @Override
    public long fencingToken() {
        // every claim counts the attempt up under the job row's lock: it only grows, and no two claims share one
        return claimed.job().attempt();
    }

    @Override
    public boolean isCancellationRequested() {
        return stop != Stop.NONE;
    }

    @Override
    public <V> Optional<V> getParameter(String name, Class<V> type) {
        return parameters.get(jobId(), name, type);
    }

    @Override
    public <V> Optional<V> parentResult(Class<V> type) {
        Long parent = claimed.job().parentId();
        if (parent == null) {
            return Optional.empty();
        }
        String json = results.transactions().inTransaction(c -> results.of(c, parent));
        return json == null ? Optional.empty() : Optional.ofNullable(JobArguments.fromJson(json, type));
    }

    @Override
    public <V> Map<String, V> batchResults(Class<V> type) {
        Long batch = claimed.job().awaitedBatchId();
        if (batch == null) {
            return Map.of();
        }
        Map<String, V> typed = new java.util.LinkedHashMap<>();
        results.transactions().inTransaction(c -> results.ofBatch(c, batch))
                .forEach((id, json) -> typed.put(JobId.format(id), JobArguments.fromJson(json, type)));
        return typed;
    }

    @Override
    public void setParameter(String name, Object value) {
        fenced(parameters.setForAttempt(jobId(), attempt(), name, value), "the parameter '" + name + "'");
    }

    @Override
    public void log(String line) {
        int written;
        synchronized (this) {
            written = ++logLines;
        }
        if (written <= MAX_LOG_LINES) {
            fenced(logs.append(claimed.job().id(), attempt(), line), "a log line");
        } else if (written == MAX_LOG_LINES + 1) {
            fenced(logs.append(claimed.job().id(), attempt(), "(further lines of this attempt are not stored: at most "
                    + MAX_LOG_LINES + " lines per attempt)"), "a log line");
        }
    }

    @Override
    public void progress(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress is a percentage from 0 to 100, got " + percent);
        }
        synchronized (this) {
            if (percent == progress) {
                return;
            }
            progress = percent;
        }
        fenced(parameters.setForAttempt(jobId(), attempt(), JobLogs.PROGRESS_PARAMETER, percent), "its progress");
    }

    /**
     * Refuses the write of an attempt whose fencing token is no longer current: the job is no longer Processing under
     * this attempt's claim (it was taken over, deleted or requeued). The run is cancelled, as its outcome is dropped.
     */
    private void fenced(boolean written, String what) {
        if (!written) {
            cancel(false);
            throw new JobCancelledException("Job " + jobId() + " attempt " + attempt() + " may no longer write " + what
                    + ": its fencing token " + fencingToken() + " is no longer current (the job was claimed again,"
                    + " deleted or requeued since this attempt started)");
        }
    }
}
