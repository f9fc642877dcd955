package io.quarkiverse.hangfire;

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
     * One page of the jobs in {@code state}, newest state change first.
     *
     * @param offset how many jobs to skip
     * @param limit at most how many to return (1 to 1000)
     */
    JobPage jobs(JobState state, int offset, int limit);

    /** Everything known about one job, or empty when there is no such job. */
    Optional<JobDetails> job(String jobId);

    /** The names of the job methods this application knows. */
    List<String> jobNames();
}
