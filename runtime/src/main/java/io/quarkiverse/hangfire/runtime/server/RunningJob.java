package io.quarkiverse.hangfire.runtime.server;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.runtime.storage.JobParameters;

/** A job running in this instance: the {@link JobContext} its method receives, and its cancellation flag. */
final class RunningJob implements JobContext {

    private static final Map<Long, RunningJob> BY_CLAIM = new ConcurrentHashMap<>();

    private final ClaimedJob claimed;
    private final JobParameters parameters;
    private final Thread thread;
    private volatile boolean cancelled;

    private RunningJob(ClaimedJob claimed, JobParameters parameters) {
        this.claimed = claimed;
        this.parameters = parameters;
        this.thread = Thread.currentThread();
    }

    /** Registers the run on the current thread until {@link #close()}. */
    static RunningJob start(ClaimedJob claimed, JobParameters parameters) {
        RunningJob running = new RunningJob(claimed, parameters);
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
    }

    void cancel() {
        cancelled = true;
    }

    void interrupt() {
        cancelled = true;
        thread.interrupt();
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
    public boolean isCancellationRequested() {
        return cancelled;
    }

    @Override
    public <V> Optional<V> getParameter(String name, Class<V> type) {
        return parameters.get(jobId(), name, type);
    }

    @Override
    public void setParameter(String name, Object value) {
        parameters.setInNewTransaction(jobId(), name, value);
    }
}
