package io.quarkiverse.hangfire;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a batch is made of, given to the lambda of {@link JobScheduler#batch}, {@link JobScheduler#attachToBatch} and
 * {@link JobScheduler#continueBatchWith(String, String, Consumer, ContinuationOption)}. Each call adds a job (or a
 * nested batch) to the batch in the transaction that creates it, and returns its id at once; nothing runs before that
 * transaction commits, and if the lambda throws, nothing of the batch exists. Valid only while the lambda runs.
 * Outside a caller's transaction the lambda runs again if the database chose the transaction as a deadlock victim
 * (its writes were rolled back): keep it to adding jobs, without other side effects.
 * <p>
 * In a continuation batch, the jobs that would be enqueued wait (Awaiting) until the antecedent batch finishes; a
 * scheduled job is refused there.
 */
public interface BatchBuilder {

    /** The id of the batch being built. */
    String batchId();

    /** Adds a job, enqueued at the commit (see {@link JobScheduler#enqueue(Class, JobCall)}). */
    <T> String enqueue(Class<T> jobClass, JobCall<T> call);

    /** Name-based {@link #enqueue(Class, JobCall)}. */
    String enqueue(String jobName, Object... arguments);

    /**
     * Adds one enqueued job per item with multi-row inserts (see
     * {@link JobScheduler#enqueueAll(Class, Iterable, BatchJobCall)}): the way to put many jobs in a batch.
     */
    <T, A> List<String> enqueueAll(Class<T> jobClass, Iterable<A> items, BatchJobCall<T, A> call);

    /** Adds a job enqueued once {@code delay} has passed. */
    <T> String schedule(Class<T> jobClass, JobCall<T> call, Duration delay);

    /** Adds a job enqueued at {@code at}. */
    <T> String schedule(Class<T> jobClass, JobCall<T> call, Instant at);

    /** Adds a continuation of a job (of this batch or another), released when the parent succeeds. */
    default <T> String continueWith(String parentId, Class<T> jobClass, JobCall<T> call) {
        return continueWith(parentId, jobClass, call, ContinuationOption.ON_SUCCEEDED);
    }

    /** Adds a continuation of a job, as {@link JobScheduler#continueWith(String, Class, JobCall, ContinuationOption)}. */
    <T> String continueWith(String parentId, Class<T> jobClass, JobCall<T> call, ContinuationOption option);

    /** Adds a nested batch, built by {@code build}, and returns its id: the batch finishes only once it has. */
    String batch(String description, Consumer<BatchBuilder> build);
}
