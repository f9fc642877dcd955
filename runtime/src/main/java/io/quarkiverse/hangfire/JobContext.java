package io.quarkiverse.hangfire;

import java.util.Optional;

/**
 * What a running job can know and say about itself. Declare a parameter of this type on a
 * {@link BackgroundJob} method to receive it; it is supplied by the worker and never stored.
 */
public interface JobContext {

    /** The id of the running job. */
    String jobId();

    /** The job's name, as in {@link BackgroundJob#name()}. */
    String jobName();

    /** The queue the job was fetched from. */
    String queue();

    /** 1 for the first attempt, 2 for the first retry, and so on. */
    int attempt();

    /**
     * True once the job was deleted or requeued while running, or the server is stopping: the job should
     * stop at the next safe point. Its outcome is no longer recorded.
     */
    boolean isCancellationRequested();

    /** Throws {@link JobCancelledException} when {@link #isCancellationRequested()}. */
    default void throwIfCancellationRequested() {
        if (isCancellationRequested()) {
            throw new JobCancelledException("Job " + jobId() + " was cancelled");
        }
    }

    /** Reads a named parameter of this job (see {@link JobScheduler#getJobParameter}). */
    <V> Optional<V> getParameter(String name, Class<V> type);

    /** Writes a named parameter of this job, committed at once (see {@link JobScheduler#setJobParameter}). */
    void setParameter(String name, Object value);
}
