package io.quarkiverse.hangfire;

import java.util.List;
import java.util.Optional;

/**
 * Jobs created on a cron schedule, from {@link JobScheduler#recurring()}. Each occurrence creates exactly one
 * job across all servers, carrying the job parameters {@value #ID_PARAMETER} and {@value #OCCURRENCE_PARAMETER}
 * (the occurrence time as an ISO-8601 instant). Invalid cron expressions and unknown zones are rejected with an
 * {@link IllegalArgumentException} that says what is wrong.
 */
public interface RecurringJobs {

    /** The job parameter that holds the id of the recurring job that created a job. */
    String ID_PARAMETER = "recurringJobId";
    /** The job parameter that holds the occurrence a job was created for. */
    String OCCURRENCE_PARAMETER = "occurrence";

    /** Adds the recurring job, or updates the one with this id (its next occurrence is computed anew). */
    <T> void addOrUpdate(String id, Class<T> jobClass, JobCall<T> call, String cron);

    <T> void addOrUpdate(String id, Class<T> jobClass, JobCall<T> call, String cron, RecurringOptions options);

    /** The name-based form, for dynamic callers. */
    void addOrUpdate(String id, String jobName, String cron, RecurringOptions options, Object... arguments);

    /** Removes the recurring job (not the jobs it created); false when there was none. */
    boolean removeIfExists(String id);

    /**
     * Creates a job for the recurring job now, whatever its schedule; returns the job's id. When its job method is
     * unique ({@link BackgroundJob#unique()}) and another job holds the key, creates nothing and returns that job's id.
     */
    String trigger(String id);

    /** Stops creating jobs until {@link #resume}. */
    void pause(String id);

    /** Creates jobs again from the next occurrence after now. */
    void resume(String id);

    /** Every recurring job, by id. */
    List<RecurringJobInfo> list();

    Optional<RecurringJobInfo> get(String id);
}
