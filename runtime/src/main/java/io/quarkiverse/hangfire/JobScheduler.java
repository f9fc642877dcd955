package io.quarkiverse.hangfire;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates background jobs and acts on existing ones. Inject it anywhere: {@code @Inject JobScheduler jobs}.
 * <p>
 * Jobs are calls to {@link BackgroundJob} methods, given either as a lambda on the declaring class
 * ({@code jobs.enqueue(ReportJobs.class, r -> r.generate(42, month))}, checked by the compiler) or by job
 * name and arguments ({@code jobs.enqueue("ReportJobs.generate", 42L, month)}, checked at the call against
 * the jobs found at build time). Job ids are strings.
 * <p>
 * Transactions: when the caller runs inside a JTA transaction every write joins it, so a job created in a
 * transaction that rolls back never existed, and workers are woken only after the commit. Otherwise each
 * call commits on its own.
 * <p>
 * Guards: methods taking an {@code expectedState} change nothing and return {@code false} unless the job is
 * in that state at the time of the change (a compare-and-set).
 * <p>
 * Job ids: an id is the positive decimal number a creating method returned, such as {@code "42"}. A null, blank or
 * malformed id ({@code jobId}, or {@code parentId} of a continuation) is an {@link IllegalArgumentException} that
 * names the argument, and nothing is created or changed; a well-formed id that names no job is a
 * {@link JobNotFoundException}.
 * <p>
 * Input: arguments are stored as JSON and reach the job method equal to what was passed; any may be null but a
 * primitive (a null {@code Optional} arrives empty). One job's arguments may take at most
 * {@code quarkus.hangfire.limits.max-arguments-size} (64K) as JSON. Times must lie between
 * 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z. Input that breaks these rules is an
 * {@link IllegalArgumentException} that says what is wrong, and nothing is stored.
 */
public interface JobScheduler {

    // ---- creating jobs ----

    /** Creates a job in the {@link JobState#ENQUEUED} state of its queue and returns its id. */
    <T> String enqueue(Class<T> jobClass, JobCall<T> call);

    /** Name-based {@link #enqueue(Class, JobCall)}. */
    String enqueue(String jobName, Object... arguments);

    /**
     * Creates one {@link JobState#ENQUEUED} job per item, all in one transaction (the caller's, if there is
     * one), and returns their ids in the order of the items. Much faster than one {@code enqueue} per item:
     * the rows are written with multi-row inserts, and workers are woken once, after the commit.
     * <p>
     * Every call is captured and checked before anything is written: if the lambda fails for any item, no job
     * is created and the {@link IllegalArgumentException} names that item. An empty {@code items} creates
     * nothing and returns an empty list.
     * <p>
     * {@code jobs.enqueueAll(ReportJobs.class, customerIds, (r, id) -> r.generate(id, month))}
     */
    <T, A> List<String> enqueueAll(Class<T> jobClass, Iterable<A> items, BatchJobCall<T, A> call);

    /**
     * Name-based {@link #enqueueAll(Class, Iterable, BatchJobCall)}: one job per element of
     * {@code argumentLists}, each the arguments of one call to the job {@code jobName}.
     */
    List<String> enqueueAll(String jobName, List<Object[]> argumentLists);

    /** Creates a job that is enqueued once {@code delay} has passed; a zero or negative delay means now. */
    <T> String schedule(Class<T> jobClass, JobCall<T> call, Duration delay);

    /** Creates a job that is enqueued at {@code at} (at once when that time has passed). */
    <T> String schedule(Class<T> jobClass, JobCall<T> call, Instant at);

    /** Name-based {@link #schedule(Class, JobCall, Duration)}. */
    String schedule(String jobName, Duration delay, Object... arguments);

    /** Name-based {@link #schedule(Class, JobCall, Instant)}. */
    String schedule(String jobName, Instant at, Object... arguments);

    /** Creates a continuation enqueued when the parent job succeeds. */
    default <T> String continueWith(String parentId, Class<T> jobClass, JobCall<T> call) {
        return continueWith(parentId, jobClass, call, ContinuationOption.ON_SUCCEEDED);
    }

    /**
     * Creates a continuation, {@link JobState#AWAITING} until the parent reaches a state that satisfies
     * {@code option}. When the parent is already there the continuation is enqueued at once; when the
     * parent already reached a final state that does not satisfy it, the continuation is deleted.
     */
    <T> String continueWith(String parentId, Class<T> jobClass, JobCall<T> call, ContinuationOption option);

    /** Name-based {@link #continueWith(String, Class, JobCall, ContinuationOption)}. */
    String continueWith(String parentId, ContinuationOption option, String jobName, Object... arguments);

    // ---- creating jobs with options ----
    // Each method below is its namesake above with {@link JobOptions} that override the job's declaration. A job with a
    // unique key (from the options or its @BackgroundJob) is created only when no job holds the key; otherwise the
    // result names the job that holds it and says that nothing was created. The name-based forms take the options
    // first, so that a null job argument can never be taken for them.

    /** {@link #enqueue(Class, JobCall)} with options. */
    <T> CreatedJob enqueue(Class<T> jobClass, JobCall<T> call, JobOptions options);

    /** {@link #enqueue(String, Object...)} with options. */
    CreatedJob enqueue(JobOptions options, String jobName, Object... arguments);

    /** {@link #schedule(Class, JobCall, Duration)} with options. */
    <T> CreatedJob schedule(Class<T> jobClass, JobCall<T> call, Duration delay, JobOptions options);

    /** {@link #schedule(Class, JobCall, Instant)} with options. */
    <T> CreatedJob schedule(Class<T> jobClass, JobCall<T> call, Instant at, JobOptions options);

    /** {@link #schedule(String, Duration, Object...)} with options. */
    CreatedJob schedule(JobOptions options, String jobName, Duration delay, Object... arguments);

    /** {@link #schedule(String, Instant, Object...)} with options. */
    CreatedJob schedule(JobOptions options, String jobName, Instant at, Object... arguments);

    /** {@link #continueWith(String, Class, JobCall, ContinuationOption)} with options. */
    <T> CreatedJob continueWith(String parentId, Class<T> jobClass, JobCall<T> call, ContinuationOption option,
            JobOptions options);

    /** {@link #continueWith(String, ContinuationOption, String, Object...)} with options. */
    CreatedJob continueWith(JobOptions options, String parentId, ContinuationOption option, String jobName,
            Object... arguments);

    /**
     * {@link #enqueueAll(Class, Iterable, BatchJobCall)} with the same options for every item. A unique key in the
     * options is the same for every item, so it creates at most one job: give unique batches a key template in
     * {@link BackgroundJob#unique()} instead.
     */
    <T, A> List<CreatedJob> enqueueAll(Class<T> jobClass, Iterable<A> items, BatchJobCall<T, A> call, JobOptions options);

    /** {@link #enqueueAll(String, List)} with the same options for every item. */
    List<CreatedJob> enqueueAll(String jobName, List<Object[]> argumentLists, JobOptions options);

    // ---- queues ----

    /**
     * Pauses a queue on every server: workers finish the jobs they hold and claim nothing more from it until it is
     * resumed or, when {@code until} is not null, until that instant (the pause lifts itself). Jobs keep arriving in
     * the queue and keep their deadlines. Pausing a paused queue replaces its pause.
     */
    void pauseQueue(String queue, Instant until);

    /** Lifts a queue's pause; returns false when it was not paused. */
    boolean resumeQueue(String queue);

    /**
     * Creates a continuation of several parent jobs (a fan-in), {@link JobState#AWAITING} until their states decide
     * {@code fanIn}: enqueued when every parent succeeded ({@link FanIn#ALL_SUCCEEDED}), when every parent reached a
     * final state ({@link FanIn#ALL_FINAL}) or when one succeeded ({@link FanIn#ANY_SUCCEEDED}); deleted when the
     * condition can no longer be met. Each parent is counted once, when it first reaches Succeeded or Deleted, with the
     * parent's state change. Parents already finished are counted at once.
     *
     * @param parentIds 1 to 1000 distinct job ids
     */
    <T> String continueWhen(java.util.Collection<String> parentIds, FanIn fanIn, Class<T> jobClass, JobCall<T> call);

    // ---- batches ----

    /** {@link #batch(String, Consumer)} without a description. */
    default String batch(Consumer<BatchBuilder> build) {
        return batch(null, build);
    }

    /**
     * Creates a batch: every job (and nested batch) that {@code build} adds is created in one transaction, the caller's
     * when there is one, and none runs before it commits; if {@code build} throws, nothing is created. Returns the
     * batch's id. The batch is {@link BatchState#STARTED} until every job and nested batch reached Succeeded or Deleted,
     * then {@link BatchState#SUCCEEDED}; a failed job keeps it started (Hangfire Pro's rule). A batch with nothing in it
     * succeeds at once.
     * <p>
     * {@code jobs.batch("import", b -> { b.enqueue(Jobs.class, j -> j.a()); b.enqueue(Jobs.class, j -> j.b()); })}
     *
     * @param description shown on the dashboard; null for none, cut at 500 characters
     */
    String batch(String description, Consumer<BatchBuilder> build);

    /**
     * Adds jobs (or nested batches) to a batch that has not finished, in one transaction.
     *
     * @throws IllegalStateException if the batch is Succeeded or Deleted
     * @throws JobNotFoundException if there is no such batch
     */
    void attachToBatch(String batchId, Consumer<BatchBuilder> build);

    /** {@link #continueBatchWith(String, Class, JobCall, ContinuationOption)} on success. */
    default <T> String continueBatchWith(String batchId, Class<T> jobClass, JobCall<T> call) {
        return continueBatchWith(batchId, jobClass, call, ContinuationOption.ON_SUCCEEDED);
    }

    /**
     * Creates a job, {@link JobState#AWAITING} until the batch reaches a final state that satisfies {@code option}
     * (Succeeded for {@link ContinuationOption#ON_SUCCEEDED}, Deleted for {@link ContinuationOption#ON_DELETED}, either
     * for {@link ContinuationOption#ON_ANY_FINAL_STATE}); deleted when the batch reaches the other. Released exactly
     * once, in the transaction that finishes the batch.
     */
    <T> String continueBatchWith(String batchId, Class<T> jobClass, JobCall<T> call, ContinuationOption option);

    /** {@link #continueBatchWith(String, String, Consumer, ContinuationOption)} on success. */
    default String continueBatchWith(String batchId, String description, Consumer<BatchBuilder> build) {
        return continueBatchWith(batchId, description, build, ContinuationOption.ON_SUCCEEDED);
    }

    /**
     * Creates a continuation batch: a batch ({@link BatchState#AWAITING}) whose jobs wait until the batch
     * {@code batchId} reaches a final state that satisfies {@code option}; then it starts and they are enqueued (or,
     * when the option is not satisfied, deleted). Returns the new batch's id.
     */
    String continueBatchWith(String batchId, String description, Consumer<BatchBuilder> build, ContinuationOption option);

    /**
     * Deletes a batch: every job of it and of its nested batches that has not finished is deleted (a running one is
     * cancelled), and the batch becomes {@link BatchState#DELETED}, which releases its continuations that wait for
     * deletion or any final state. Returns the number of jobs deleted; 0 when the batch had finished already.
     */
    int deleteBatch(String batchId);

    /**
     * Moves the failed jobs of a batch and of its nested batches back to their queues. Returns how many.
     */
    int requeueBatch(String batchId);

    // ---- acting on jobs ----

    /**
     * Moves the job to {@link JobState#DELETED}. A running job is cancelled: its {@link JobContext} reports
     * it and its outcome is dropped. Returns false when the job was already deleted.
     */
    boolean delete(String jobId);

    /** {@link #delete(String)} only if the job is in {@code expectedState}. */
    boolean delete(String jobId, JobState expectedState);

    /** Moves the job to {@link JobState#ENQUEUED} from any state; a running job is cancelled first. */
    boolean requeue(String jobId);

    /** {@link #requeue(String)} only if the job is in {@code expectedState}. */
    boolean requeue(String jobId, JobState expectedState);

    /** Moves the job to {@link JobState#SCHEDULED}, to be enqueued after {@code delay} (now, if negative). */
    boolean reschedule(String jobId, Duration delay);

    /** Moves the job to {@link JobState#SCHEDULED}, to be enqueued at {@code at}. */
    boolean reschedule(String jobId, Instant at);

    /** {@link #reschedule(String, Instant)} only if the job is in {@code expectedState}. */
    boolean reschedule(String jobId, Instant at, JobState expectedState);

    /**
     * Moves a {@link JobState#FAILED} job back to its queue with a fresh retry budget. Returns false when
     * the job is not failed. {@link JobContext#attempt()} goes on counting. ({@link #requeue(String)} keeps the
     * retries already used.)
     */
    boolean retry(String jobId);

    /**
     * Runs a stored job now, in the calling thread, recording its states as a worker would (Processing,
     * then Succeeded, or Failed / Scheduled for a retry by its retry policy). Meant for tests and manual
     * runs. Returns the state the job reached.
     *
     * @throws IllegalStateException if a worker is running the job right now
     */
    JobState perform(String jobId);

    /**
     * Changes when a job in a final state is removed; {@code null} keeps it until someone deletes it.
     * Returns false when the job is not in a final state (entering one sets the expiration anew).
     */
    boolean updateExpirationTime(String jobId, Instant expireAt);

    /** Reads a named value attached to a job, converted from its stored JSON to {@code type}. */
    <V> Optional<V> getJobParameter(String jobId, String name, Class<V> type);

    /**
     * Attaches a named value to a job, stored as JSON; {@code null} removes it. The name has 1 to 100 characters
     * and no control characters. The value must read back from its JSON as an equal value (data, not a thread
     * or a stream) and take at most {@code quarkus.hangfire.limits.max-parameter-size} (64K) as JSON; otherwise
     * an {@link IllegalArgumentException} is thrown and the parameter keeps its previous value.
     */
    void setJobParameter(String jobId, String name, Object value);

    // ---- watching ----

    /** Read-only queries over all jobs: the numbers and lists the dashboard shows. */
    JobMonitor monitor();

    /** Recurring jobs: cron schedules that create jobs. */
    RecurringJobs recurring();
}
