package io.quarkiverse.hangfire;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only queries over the stored jobs. Every call reads committed data in its own transaction. */
public interface JobMonitor {

    /** The number of jobs in each state; every state is present, with 0 when there are none. */
    Map<JobState, Long> countsByState();

    /** The number of enqueued jobs per queue (only queues that have some). */
    Map<String, Long> enqueuedCountsByQueue();

    /**
     * One page of the jobs in {@code state}, newest state change first. It is read along the state's index, so it
     * costs {@code offset + limit} index entries, whatever the table holds.
     *
     * @param offset how many jobs to skip
     * @param limit at most how many to return (1 to 1000)
     */
    JobPage jobs(JobState state, int offset, int limit);

    /**
     * Everything known about one job, or empty when there is no such job; a null, blank or malformed id is an
     * {@link IllegalArgumentException}.
     */
    Optional<JobDetails> job(String jobId);

    /** The names of the job methods this application knows. */
    List<String> jobNames();

    /** The servers alive now (those that heartbeated within the lease timeout), oldest first. */
    List<ServerInfo> servers();

    /**
     * How many jobs ever reached Succeeded, Failed (after their retries) and Deleted, including jobs since
     * removed by expiration. Only these three states are present.
     */
    Map<JobState, Long> finishedTotals();

    /**
     * How many jobs reached {@code state} in each of the last {@code periods} UTC hours or days, oldest first,
     * the current (incomplete) one last.
     *
     * @param state {@link JobState#SUCCEEDED}, {@link JobState#FAILED} or {@link JobState#DELETED}
     * @param unit {@link ChronoUnit#HOURS} (up to 48) or {@link ChronoUnit#DAYS} (up to 31)
     */
    List<CountPoint> history(JobState state, ChronoUnit unit, int periods);

    /** The queues paused now, by queue name: who paused them, when, and until when. */
    List<QueuePause> pausedQueues();

    /** A batch and its progress, or empty when there is no such batch. */
    Optional<BatchInfo> batch(String batchId);

    /**
     * One page of the batches, newest first; only those in {@code state} unless it is null.
     *
     * @param limit at most how many to return (1 to 1000)
     */
    List<BatchInfo> batches(BatchState state, int offset, int limit);

    /** The batches nested directly in a batch, oldest first. */
    List<BatchInfo> nestedBatches(String batchId);

    /** The continuation batches that wait for (or waited for) a batch, oldest first. */
    List<BatchInfo> batchContinuations(String batchId);

    /**
     * One page of the jobs of a batch in {@code state} (not of its nested batches), oldest first.
     *
     * @param limit at most how many to return (1 to 1000)
     */
    List<JobSummary> batchJobs(String batchId, JobState state, int offset, int limit);

    /**
     * The value a job's method returned when it last succeeded, read from its stored JSON as {@code type}; empty when it
     * has not succeeded or returned nothing.
     *
     * @throws JobNotFoundException if there is no such job
     */
    <V> Optional<V> result(String jobId, Class<V> type);
}
