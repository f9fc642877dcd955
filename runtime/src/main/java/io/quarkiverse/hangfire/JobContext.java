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

    /**
     * 1 for the first attempt, 2 for the first retry, and so on: every run since the job was created, not reset by
     * {@link JobScheduler#retry} or {@link JobScheduler#requeue}.
     */
    int attempt();

    /**
     * A number that grows with every attempt of this job and is never given to two attempts of it: hand it, with
     * {@link #jobId()}, to an external system that refuses writes carrying a token lower than the highest it has seen,
     * so that an attempt whose server lost its claim to another (a zombie) cannot overwrite the newer attempt's work.
     * This server refuses the writes of such an attempt itself: {@link #log}, {@link #progress} and
     * {@link #setParameter} throw {@link JobCancelledException} once the token is no longer the job's current one,
     * and its outcome is not recorded. It is the attempt number today; rely only on its growing.
     */
    long fencingToken();

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

    /**
     * Writes a line to this job's log, shown with the job on the dashboard. Each line is stored at once, in a
     * transaction of its own, so it is visible while the job runs and kept when the attempt fails. Meant for
     * milestones, not chatty logging: an attempt keeps its first {@value #MAX_LOG_LINES} lines, and longer lines
     * are cut at 4000 characters with a marker saying how many were left out; neither fails the job. A line from an
     * attempt whose {@link #fencingToken()} is no longer current is refused with {@link JobCancelledException}.
     */
    void log(String line);

    /**
     * Reports how far this job has got, in percent (0 to 100), shown as a progress bar on the dashboard. Stored
     * as the job parameter {@code progress}; only changes are written.
     */
    void progress(int percent);

    /**
     * The value the parent of this continuation returned ({@link JobScheduler#continueWith}), read from its stored JSON
     * as {@code type}; empty when this job is no continuation of a job, or the parent returned nothing (or null).
     */
    <V> Optional<V> parentResult(Class<V> type);

    /**
     * The values the jobs of the batch this job continues returned ({@link JobScheduler#continueBatchWith}), by job id,
     * oldest job first, each read from its stored JSON as {@code type}; jobs that returned nothing (or were deleted) are
     * left out, and so are nested batches. Empty when this job continues no batch. At most 10,000 results are read.
     */
    <V> java.util.Map<String, V> batchResults(Class<V> type);

    /** The most lines one attempt writes with {@link #log(String)}; later lines are counted, not stored. */
    int MAX_LOG_LINES = 1000;
}
