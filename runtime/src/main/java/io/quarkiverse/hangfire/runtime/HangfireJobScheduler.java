package io.quarkiverse.hangfire.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.BatchBuilder;
import io.quarkiverse.hangfire.BatchJobCall;
import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.CreatedJob;
import io.quarkiverse.hangfire.FanIn;
import io.quarkiverse.hangfire.JobCall;
import io.quarkiverse.hangfire.JobMonitor;
import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.JobOptions;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.RecurringJobs;
import io.quarkiverse.hangfire.runtime.filter.FilteredCreation;
import io.quarkiverse.hangfire.runtime.registry.EncodedCall;
import io.quarkiverse.hangfire.runtime.registry.SizeLimits;
import io.quarkiverse.hangfire.runtime.server.JobPerformer;
import io.quarkiverse.hangfire.runtime.server.ServerSignals;
import io.quarkiverse.hangfire.runtime.server.ServerTransactions;
import io.quarkiverse.hangfire.runtime.state.StateMachine;
import io.quarkiverse.hangfire.runtime.state.Transition;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobParameters;
import io.quarkiverse.hangfire.runtime.storage.JobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore;
import io.quarkiverse.hangfire.runtime.storage.QueuePauses;
import io.quarkiverse.hangfire.runtime.storage.JobStore.NewJobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore.NewJobRow.BatchLink;
import io.quarkiverse.hangfire.runtime.storage.JobStore.RetryCount;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.quarkiverse.hangfire.runtime.storage.UniqueKeys;

/**
 * The {@link JobScheduler} bean: turns calls into job rows and state changes. Over 300 lines because it implements
 * every method of the public interface (most of them a few lines that hand over to the state machine); the rules live
 * in the state machine and the storage.
 */
@Singleton
public class HangfireJobScheduler implements JobScheduler {

    /** How long a job run by {@link #perform} stays claimed when no server here renews the lease. */
    private static final Duration PERFORM_LEASE = Duration.ofDays(1);

    @Inject
    Transactions transactions;

    @Inject
    JobStore jobs;

    @Inject
    StateMachine states;

    @Inject
    JobParameters parameters;

    @Inject
    ServerTransactions server;

    @Inject
    JobPerformer performer;

    @Inject
    ServerSignals signals;

    @Inject
    HangfireJobMonitor monitor;

    @Inject
    HangfireRecurringJobs recurring;

    @Inject
    SizeLimits limits;

    @Inject
    FilteredCreation filters;

    @Inject
    UniqueKeys uniqueKeys;

    @Inject
    QueuePauses queues;

    @Inject
    HangfireBatches batches;

    // ---- creating jobs ----

    @Override
    public <T> String enqueue(Class<T> jobClass, JobCall<T> call) {
        return create(limits.checked(EncodedCall.captured(jobClass, call)), JobState.ENQUEUED, null, null, null, null).jobId();
    }

    @Override
    public String enqueue(String jobName, Object... arguments) {
        return create(limits.checked(EncodedCall.named(jobName, arguments)), JobState.ENQUEUED, null, null, null, null).jobId();
    }

    @Override
    public <T> String schedule(Class<T> jobClass, JobCall<T> call, Duration delay) {
        return schedule(jobClass, call, delay, (JobOptions) null).jobId();
    }

    @Override
    public <T> String schedule(Class<T> jobClass, JobCall<T> call, Instant at) {
        return schedule(jobClass, call, at, (JobOptions) null).jobId();
    }

    @Override
    public String schedule(String jobName, Duration delay, Object... arguments) {
        return create(limits.checked(EncodedCall.named(jobName, arguments)), JobState.SCHEDULED, JobClock.after(delay, "delay"),
                null, null, null).jobId();
    }

    @Override
    public String schedule(String jobName, Instant at, Object... arguments) {
        return create(limits.checked(EncodedCall.named(jobName, arguments)), JobState.SCHEDULED, JobClock.storable(at, "at"),
                null, null, null).jobId();
    }

    @Override
    public <T> String continueWith(String parentId, Class<T> jobClass, JobCall<T> call, ContinuationOption option) {
        return continueWith(parentId, jobClass, call, option, null).jobId();
    }

    @Override
    public String continueWith(String parentId, ContinuationOption option, String jobName, Object... arguments) {
        return create(limits.checked(EncodedCall.named(jobName, arguments)), JobState.AWAITING, null, parentId,
                required(option, "option"), null).jobId();
    }

    @Override
    public <T, A> List<String> enqueueAll(Class<T> jobClass, Iterable<A> items, BatchJobCall<T, A> call) {
        return enqueueAll(jobClass, items, call, null).stream().map(CreatedJob::jobId).toList();
    }

    @Override
    public List<String> enqueueAll(String jobName, List<Object[]> argumentLists) {
        return enqueueAll(jobName, argumentLists, null).stream().map(CreatedJob::jobId).toList();
    }

    // ---- creating jobs with options ----

    @Override
    public <T> CreatedJob enqueue(Class<T> jobClass, JobCall<T> call, JobOptions options) {
        return create(limits.checked(EncodedCall.captured(jobClass, call)), JobState.ENQUEUED, null, null, null,
                required(options, "options"));
    }

    @Override
    public CreatedJob enqueue(JobOptions options, String jobName, Object... arguments) {
        return create(limits.checked(EncodedCall.named(jobName, arguments)), JobState.ENQUEUED, null, null, null,
                required(options, "options"));
    }

    @Override
    public <T> CreatedJob schedule(Class<T> jobClass, JobCall<T> call, Duration delay, JobOptions options) {
        return create(limits.checked(EncodedCall.captured(jobClass, call)), JobState.SCHEDULED, JobClock.after(delay, "delay"),
                null, null, options);
    }

    @Override
    public <T> CreatedJob schedule(Class<T> jobClass, JobCall<T> call, Instant at, JobOptions options) {
        return create(limits.checked(EncodedCall.captured(jobClass, call)), JobState.SCHEDULED, JobClock.storable(at, "at"),
                null, null, options);
    }

    @Override
    public CreatedJob schedule(JobOptions options, String jobName, Duration delay, Object... arguments) {
        return create(limits.checked(EncodedCall.named(jobName, arguments)), JobState.SCHEDULED, JobClock.after(delay, "delay"),
                null, null, required(options, "options"));
    }

    @Override
    public CreatedJob schedule(JobOptions options, String jobName, Instant at, Object... arguments) {
        return create(limits.checked(EncodedCall.named(jobName, arguments)), JobState.SCHEDULED, JobClock.storable(at, "at"),
                null, null, required(options, "options"));
    }

    @Override
    public <T> CreatedJob continueWith(String parentId, Class<T> jobClass, JobCall<T> call, ContinuationOption option,
            JobOptions options) {
        return create(limits.checked(EncodedCall.captured(jobClass, call)), JobState.AWAITING, null, parentId,
                required(option, "option"), options);
    }

    @Override
    public CreatedJob continueWith(JobOptions options, String parentId, ContinuationOption option, String jobName,
            Object... arguments) {
        return create(limits.checked(EncodedCall.named(jobName, arguments)), JobState.AWAITING, null, parentId,
                required(option, "option"), required(options, "options"));
    }

    @Override
    public <T, A> List<CreatedJob> enqueueAll(Class<T> jobClass, Iterable<A> items, BatchJobCall<T, A> call,
            JobOptions options) {
        required(jobClass, "jobClass");
        required(call, "call");
        List<EncodedCall> batch = new ArrayList<>();
        int index = 0;
        for (A item : required(items, "items")) {
            try {
                batch.add(limits.checked(EncodedCall.captured(jobClass, job -> call.call(job, item))));
            } catch (IllegalArgumentException e) {
                throw batchItemFailed(index, e);
            }
            index++;
        }
        return createEnqueued(batch, options);
    }

    @Override
    public List<CreatedJob> enqueueAll(String jobName, List<Object[]> argumentLists, JobOptions options) {
        List<EncodedCall> batch = new ArrayList<>(required(argumentLists, "argumentLists").size());
        for (int i = 0; i < argumentLists.size(); i++) {
            try {
                batch.add(limits.checked(EncodedCall.named(jobName, argumentLists.get(i))));
            } catch (IllegalArgumentException e) {
                throw batchItemFailed(i, e);
            }
        }
        return createEnqueued(batch, options);
    }

    private static IllegalArgumentException batchItemFailed(int index, IllegalArgumentException cause) {
        return new IllegalArgumentException("enqueueAll: item " + index + " of the batch is not a valid job call, so no"
                + " job of the batch was created: " + cause.getMessage(), cause);
    }

    /**
     * Creates Enqueued jobs in one transaction with multi-row inserts; results in the order of {@code batch}. Jobs with a
     * unique key take it one by one after the insert, and a job whose key is held is removed again.
     */
    private List<CreatedJob> createEnqueued(List<EncodedCall> batch, JobOptions options) {
        if (batch.isEmpty()) {
            return List.of();
        }
        Instant due = JobClock.now();
        List<FilteredCreation.Creation> filtered = new ArrayList<>(batch.size());
        List<CreationOptions> resolved = new ArrayList<>(batch.size());
        List<java.util.function.LongFunction<List<JobParameters.ParameterRow>>> optionParameters = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            EncodedCall job = batch.get(i);
            CreationOptions o;
            try {
                o = CreationOptions.of(job, options, due);
            } catch (IllegalArgumentException e) {
                throw batchItemFailed(i, e);
            }
            resolved.add(o);
            optionParameters.add(o.parameters().isEmpty() ? null : parameters.forNewJob(job.method().name(), o.parameters()));
            filtered.add(filters.creating(job.method().name(), o.queue(), JobState.ENQUEUED));
        }
        return transactions.inTransaction(c -> {
            Instant now = JobClock.now();
            List<NewJobRow> rows = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                EncodedCall job = batch.get(i);
                CreationOptions o = resolved.get(i);
                rows.add(new NewJobRow(job.method().name(), o.queue(), job.arguments(), JobState.ENQUEUED, null, null, null,
                        null, false, o.rowFlow(), BatchLink.NONE));
            }
            List<Long> ids = jobs.insertJobs(c, rows, now);
            List<CreatedJob> results = new ArrayList<>(ids.size());
            List<Long> kept = new ArrayList<>(ids.size());
            List<NewJobRow> keptRows = new ArrayList<>(ids.size());
            List<Long> dropped = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                CreationOptions o = resolved.get(i);
                Long holder = o.unique() == null ? null : uniqueKeys.take(c, ids.get(i), o.unique(), now);
                if (holder != null) {
                    dropped.add(ids.get(i));
                    results.add(new CreatedJob(JobId.format(holder), false));
                    continue;
                }
                kept.add(ids.get(i));
                keptRows.add(rows.get(i));
                results.add(new CreatedJob(JobId.format(ids.get(i)), true));
                if (optionParameters.get(i) != null) {
                    parameters.insert(c, optionParameters.get(i).apply(ids.get(i)));
                }
                filtered.get(i).stored(c, ids.get(i), null, Map.of(), now);
            }
            jobs.deleteJobs(c, dropped);
            states.recordCreatedEnqueued(c, keptRows, kept, now);
            return results;
        });
    }

    private CreatedJob create(EncodedCall job, JobState state, Instant scheduledAt, String parentId, ContinuationOption option,
            JobOptions options) {
        Long parent = state == JobState.AWAITING ? JobId.parse(parentId, "parentId") : null;
        Instant due = scheduledAt != null ? scheduledAt : JobClock.now();
        CreationOptions o = CreationOptions.of(job, options, due);
        var optionParameters = o.parameters().isEmpty() ? null : parameters.forNewJob(job.method().name(), o.parameters());
        FilteredCreation.Creation filtered = filters.creating(job.method().name(), o.queue(), state);
        if (state == JobState.ENQUEUED) {
            // one INSERT and its commit (unless filters or options add rows): the row stands for the Enqueued state until
            // the next change writes its history
            Transactions.Work<CreatedJob> enqueue = c -> {
                Instant now = JobClock.now();
                NewJobRow created = new NewJobRow(job.method().name(), o.queue(), job.arguments(), JobState.ENQUEUED,
                        null, null, null, null, false, o.rowFlow(), BatchLink.NONE);
                long id = jobs.insertJob(c, created, now);
                CreatedJob held = heldKey(c, id, o, now);
                if (held != null) {
                    return held;
                }
                states.recordCreation(c, Transition.to(created.inserted(id, now), JobState.ENQUEUED, null), now);
                if (optionParameters != null) {
                    parameters.insert(c, optionParameters.apply(id));
                }
                filtered.stored(c, id, null, Map.of(), now);
                return new CreatedJob(JobId.format(id), true);
            };
            return filtered.writesRows() || !o.plain() ? transactions.inTransaction(enqueue)
                    : transactions.inOneStatement(enqueue);
        }
        return transactions.inTransaction(c -> {
            Instant now = JobClock.now();
            JobState initial = state;
            String reason = state == JobState.SCHEDULED ? "Scheduled for " + scheduledAt : null;
            JobState parentState = null;
            if (parent != null) {
                // the parent's lock orders this against the parent's own state change
                JobRow parentRow = jobs.lockJob(c, parent);
                if (parentRow == null) {
                    throw new JobNotFoundException(parentId);
                }
                parentState = parentRow.state();
                reason = "Waiting for parent job " + parent + " (" + option + ")";
            }
            NewJobRow created = new NewJobRow(job.method().name(), o.queue(), job.arguments(), initial, reason,
                    scheduledAt, parent, option, true, o.rowFlow(), BatchLink.NONE);
            long id = jobs.insertJob(c, created, now);
            CreatedJob held = heldKey(c, id, o, now);
            if (held != null) {
                return held;
            }
            JobRow row = created.inserted(id, now);
            Transition first = initial == JobState.SCHEDULED ? Transition.toScheduled(row, scheduledAt, reason)
                    : Transition.to(row, JobState.AWAITING, reason);
            states.recordCreation(c, first, now);
            if (optionParameters != null) {
                parameters.insert(c, optionParameters.apply(id));
            }
            filtered.stored(c, id, first.reason(), first.data(), now);
            if (parentState != null && parentState.isFinal()) {
                // the parent finished already: resolve the continuation now rather than wait forever
                states.apply(c, java.util.List.of(StateMachine.continuationTransition(row, parentState)), now);
            }
            return new CreatedJob(JobId.format(id), true);
        });
    }

    /**
     * Takes the job's unique key, if it has one, for the job {@code id} just inserted; when another job holds the key,
     * removes the row again and returns that job.
     */
    private CreatedJob heldKey(java.sql.Connection c, long id, CreationOptions o, Instant now) throws java.sql.SQLException {
        Long holder = o.unique() == null ? null : uniqueKeys.take(c, id, o.unique(), now);
        if (holder == null) {
            return null;
        }
        jobs.deleteJobs(c, List.of(id));
        return new CreatedJob(JobId.format(holder), false);
    }

    // ---- queues ----

    @Override
    public void pauseQueue(String queue, Instant until) {
        queues.pause(queue, until, "application " + signals.serverId());
    }

    @Override
    public boolean resumeQueue(String queue) {
        return queues.resume(queue);
    }

    @Override
    public <T> String continueWhen(java.util.Collection<String> parentIds, FanIn fanIn, Class<T> jobClass, JobCall<T> call) {
        return batches.continueWhen(parentIds, required(fanIn, "fanIn"), limits.checked(EncodedCall.captured(jobClass, call)));
    }

    // ---- batches ----

    @Override
    public String batch(String description, Consumer<BatchBuilder> build) {
        return batches.create(description, build, null, null);
    }

    @Override
    public void attachToBatch(String batchId, Consumer<BatchBuilder> build) {
        batches.attach(batchId, build);
    }

    @Override
    public <T> String continueBatchWith(String batchId, Class<T> jobClass, JobCall<T> call, ContinuationOption option) {
        return batches.continueWith(batchId, limits.checked(EncodedCall.captured(jobClass, call)), option);
    }

    @Override
    public String continueBatchWith(String batchId, String description, Consumer<BatchBuilder> build,
            ContinuationOption option) {
        return batches.create(description, build, batchId, required(option, "option"));
    }

    @Override
    public int deleteBatch(String batchId) {
        return batches.delete(batchId);
    }

    @Override
    public int requeueBatch(String batchId) {
        return batches.requeueFailed(batchId);
    }

    // ---- acting on jobs ----

    @Override
    public boolean delete(String jobId) {
        return delete(jobId, null);
    }

    @Override
    public boolean delete(String jobId, JobState expectedState) {
        return states.change(jobId, expectedState, Transition::deleteRequested);
    }

    @Override
    public boolean requeue(String jobId) {
        return requeue(jobId, null);
    }

    @Override
    public boolean requeue(String jobId, JobState expectedState) {
        return states.change(jobId, expectedState, Transition::requeueRequested);
    }

    @Override
    public boolean reschedule(String jobId, Duration delay) {
        return reschedule(jobId, JobClock.after(delay, "delay"), null);
    }

    @Override
    public boolean reschedule(String jobId, Instant at) {
        return reschedule(jobId, at, null);
    }

    @Override
    public boolean reschedule(String jobId, Instant at, JobState expectedState) {
        Instant when = JobClock.storable(at, "at");
        return states.change(jobId, expectedState,
                row -> Transition.toScheduled(row, when, "Rescheduled on request for " + when));
    }

    @Override
    public boolean retry(String jobId) {
        return states.change(jobId, JobState.FAILED, row -> Transition.to(row, JobState.ENQUEUED, "Retried on request")
                .withRetryCount(RetryCount.RESET));
    }

    @Override
    public JobState perform(String jobId) {
        Instant leaseUntil = JobClock.now().plus(PERFORM_LEASE);
        var claimed = server.claimOne(jobId, signals.serverId(), leaseUntil);
        Transition outcome = performer.perform(claimed);
        if (outcome == null) {
            // cancelled while running: whoever cancelled it set its state
            return monitor.state(jobId);
        }
        int recorded = server.complete(null, signals.serverId(), java.util.List.of(
                new ServerTransactions.Outcome(claimed, outcome)));
        return recorded == 1 ? outcome.to() : monitor.state(jobId);
    }

    @Override
    public boolean updateExpirationTime(String jobId, Instant expireAt) {
        if (expireAt != null) {
            JobClock.storable(expireAt, "expireAt");
        }
        long id = JobId.parse(jobId);
        return transactions.inTransaction(c -> {
            JobRow row = jobs.lockJob(c, id);
            if (row == null) {
                throw new JobNotFoundException(jobId);
            }
            return row.state().isFinal() && jobs.updateExpiration(c, id, expireAt);
        });
    }

    @Override
    public <V> Optional<V> getJobParameter(String jobId, String name, Class<V> type) {
        return parameters.get(jobId, name, required(type, "type"));
    }

    @Override
    public void setJobParameter(String jobId, String name, Object value) {
        parameters.set(jobId, name, value);
    }

    @Override
    public JobMonitor monitor() {
        return monitor;
    }

    private static <V> V required(V value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("'" + name + "' must not be null");
        }
        return value;
    }

    @Override
    public RecurringJobs recurring() {
        return recurring;
    }
}
