package io.quarkiverse.hangfire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a background job: calls to it can be enqueued, scheduled and chained through
 * {@link JobScheduler} and are run later by a worker of any application instance sharing the database.
 * <p>
 * Job methods are found at build time. A class that declares them and has no scope becomes
 * {@code @Singleton}. The build fails, naming the method, when a job method is private, static or
 * abstract, when it or its class is final, when two jobs share a name, or when a parameter type cannot be
 * stored as JSON. A parameter of type {@link JobContext} is supplied by the worker and is not stored.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BackgroundJob {

    /** Sentinel for {@link #retries()}: use {@code quarkus.hangfire.retry.max-retries}. */
    int DEFAULT_RETRIES = -1;

    /**
     * The job's name, used by the name-based {@link JobScheduler} methods, in storage and in the dashboard.
     * Defaults to {@code SimpleClassName.methodName}. Renaming a job orphans stored calls to the old name.
     */
    String name() default "";

    /** The queue the job is enqueued in: lower case letters, digits, {@code _} and {@code -}. */
    String queue() default "default";

    /**
     * How many times a failed attempt is retried automatically before the job ends in
     * {@link #onRetriesExhausted()}. {@code 0} disables retries; the default defers to configuration (10).
     */
    int retries() default DEFAULT_RETRIES;

    /**
     * Fixed delays between retries as ISO-8601 durations ({@code "PT30S"}); the n-th retry waits the n-th
     * delay, or the last one when there are fewer delays than retries. Empty: Hangfire's growing delay
     * {@code (n-1)^4 + 15 + random(0..29) * n} seconds, unless configured otherwise.
     */
    String[] retryDelays() default {};

    /** When not empty, only failures with one of these exception types (or subtypes) are retried. */
    Class<? extends Throwable>[] retryOn() default {};

    /** Failures with one of these exception types (or subtypes) are never retried. */
    Class<? extends Throwable>[] noRetryOn() default {};

    /** The state a job ends in when its retries are used up or the failure is not retried. */
    RetriesExhausted onRetriesExhausted() default RetriesExhausted.FAIL;

    /**
     * The longest one attempt may run, as an ISO-8601 duration ({@code "PT5M"}); empty for no limit. An attempt
     * that runs longer is asked to stop (its {@link JobContext} reports cancellation and its thread is
     * interrupted) and fails with a {@link java.util.concurrent.TimeoutException}, which the retry policy then
     * handles like any other failure.
     */
    String timeout() default "";

    /**
     * A mutual exclusion key: at most one job holding the same key runs at a time across all servers. The key
     * may contain the job's arguments as {@code {parameterName}} or {@code {0}} (the first parameter), for
     * example {@code "invoice-{customerId}"}, so that jobs for different customers run side by side. A job
     * whose key is taken stays in its queue until the key is free; the key is released when the run ends,
     * however it ends, and with the job's lease when its server dies. Empty: no mutex.
     */
    String mutex() default "";

    /**
     * The most runs of this job that may be in progress at once across all servers; further jobs wait in
     * their queue. {@code 0}: no limit beyond the workers.
     */
    int concurrency() default 0;

    /**
     * Whether each attempt runs in a JTA transaction on the datasource of the jobs' tables, and records its success in
     * that same transaction just before the commit: the job's own writes through that datasource commit if and only
     * if the job is recorded as Succeeded by the server that still holds its claim. An attempt whose claim was taken
     * over (its server lost its lease and another server runs the job again) cannot commit: its writes roll back. A
     * failed attempt rolls back too, and its failure is recorded in a transaction of its own. HTTP calls, mail, other
     * datasources and anything else outside that transaction are not covered: pass
     * {@link JobContext#fencingToken()} to such systems. When not written here, {@code quarkus.hangfire.transactional-jobs}
     * decides (off by default); {@code transactional = false} keeps a job out when that default is on. See the page
     * "Running in a cluster" for how long transactions interact with the lease and the connection pool.
     */
    boolean transactional() default false;

    /**
     * The job's priority within its queue: a higher priority starts first, jobs of the same priority start in the
     * order they were enqueued, and queues keep their configured order. {@code JobOptions.priority} overrides it
     * per call. From -1000 to 1000.
     */
    int priority() default 0;

    /**
     * A uniqueness key, with the placeholders of {@link #mutex()} ({@code "sync-{customerId}"}): while a job with
     * the same key is Enqueued, Scheduled or Awaiting, creating another returns the existing job's id instead of
     * creating one. Enforced by the database in the creating transaction, so instances racing create one job.
     * Empty: jobs are not unique. {@code JobOptions.unique} sets or overrides it per call. A recurring job's
     * occurrences take it too (filled from the recurring job's arguments): an occurrence is not created while the key
     * is held, by the previous occurrence for instance.
     */
    String unique() default "";

    /** Whether a job keeps its {@link #unique()} key while Processing too (by default the key is free once it starts). */
    boolean uniqueWhileProcessing() default false;

    /**
     * How long a job keeps its {@link #unique()} key after it finished (Succeeded or Deleted), as an ISO-8601
     * duration ({@code "PT10M"}); empty: the key is free when the job leaves its window.
     */
    String uniqueAfterFinish() default "";

    /**
     * How long a job may wait to start, as an ISO-8601 duration counted from when it is due (created, or its
     * scheduled time): a job not started by then moves to {@link JobState#DELETED} with a reason naming the
     * deadline instead of running late. Empty: no deadline. {@code JobOptions.deadline} overrides it per call.
     */
    String deadline() default "";

    /**
     * At most how many runs of this job start per window across all servers, as {@code "count/ISO-8601 duration"}
     * ({@code "100/PT1M"}). The window slides: no span of that length holds more starts. A job over the limit
     * waits in its queue, without failing, and starts when the window allows. Empty: no rate limit.
     */
    String rateLimit() default "";

    /**
     * Splits {@link #rateLimit()} by key, with the placeholders of {@link #mutex()} ({@code "tenant-{tenantId}"}):
     * each key has its own limit. Empty: one limit for all runs of the job.
     */
    String rateLimitKey() default "";

    /** What happens to a job whose attempts all failed. */
    enum RetriesExhausted {
        /** The job stays {@link JobState#FAILED} until someone retries, requeues or deletes it. */
        FAIL,
        /** The job moves to {@link JobState#DELETED} and expires like a finished job. */
        DELETE
    }
}
