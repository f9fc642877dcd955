package io.quarkiverse.hangfire.runtime;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.BatchBuilder;
import io.quarkiverse.hangfire.BatchJobCall;
import io.quarkiverse.hangfire.BatchNotFoundException;
import io.quarkiverse.hangfire.BatchState;
import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.FanIn;
import io.quarkiverse.hangfire.JobCall;
import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.filter.FilteredCreation;
import io.quarkiverse.hangfire.runtime.registry.EncodedCall;
import io.quarkiverse.hangfire.runtime.registry.SizeLimits;
import io.quarkiverse.hangfire.runtime.state.FanInProgress;
import io.quarkiverse.hangfire.runtime.state.StateMachine;
import io.quarkiverse.hangfire.runtime.state.Transition;
import io.quarkiverse.hangfire.runtime.storage.BatchStore;
import io.quarkiverse.hangfire.runtime.storage.BatchStore.BatchRow;
import io.quarkiverse.hangfire.runtime.storage.FanInStore;
import io.quarkiverse.hangfire.runtime.storage.FanInStore.FanInRow;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore;
import io.quarkiverse.hangfire.runtime.storage.JobStore.NewJobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore.NewJobRow.BatchLink;
import io.quarkiverse.hangfire.runtime.storage.JobStore.NewJobRow.Flow;
import io.quarkiverse.hangfire.runtime.storage.Transactions;

/**
 * The workflow operations of {@link HangfireJobScheduler}, batches and fan-in continuations: a batch is built in one transaction by a {@link Writer} that
 * inserts each job as the user's lambda adds it (so that its id is known at once, for continuations inside the
 * batch) and counts the members in the batch row at the end; deletion and requeue go through the state machine, whose
 * {@code BatchProgress} keeps the counters and finishes batches.
 */
@Singleton
public class HangfireBatches {

    /** The states a job of a batch can leave by deletion: all but the final ones. */
    private static final EnumSet<JobState> UNFINISHED = EnumSet.of(JobState.ENQUEUED, JobState.SCHEDULED,
            JobState.AWAITING, JobState.PROCESSING, JobState.FAILED);

    @Inject
    Transactions transactions;

    @Inject
    JobStore jobs;

    @Inject
    BatchStore batches;

    @Inject
    StateMachine states;

    @Inject
    SizeLimits limits;

    @Inject
    FilteredCreation filters;

    @Inject
    FanInStore fanInStore;

    /** Creates a batch, or a continuation batch of {@code awaited} when it is not null. */
    public String create(String description, Consumer<BatchBuilder> build, String awaitedId, ContinuationOption option) {
        required(build, "build");
        Long awaited = awaitedId == null ? null : JobId.parse(awaitedId, "batchId");
        return transactions.inTransaction(c -> {
            Instant now = JobClock.now();
            BatchRow antecedent = awaited == null ? null : lockExisting(c, awaited, awaitedId);
            long id = build(c, null, description, build, awaited, option, now);
            if (antecedent != null && antecedent.state().isFinal()) {
                // the antecedent finished already: resolve the continuation batch now rather than wait forever
                states.releaseBatchContinuations(c, Map.of(antecedent.id(), antecedent.state()), now);
            }
            return JobId.format(id);
        });
    }

    /** Adds jobs to a batch that has not finished. */
    public void attach(String batchId, Consumer<BatchBuilder> build) {
        required(build, "build");
        long id = JobId.parse(batchId, "batchId");
        transactions.inTransaction(c -> {
            BatchRow batch = lockExisting(c, id, batchId);
            if (batch.state().isFinal()) {
                throw new IllegalStateException("Batch " + batchId + " is " + batch.state()
                        + ": jobs can be attached only to a batch that has not finished");
            }
            Instant now = JobClock.now();
            Writer writer = new Writer(c, id, batch.state() == BatchState.AWAITING ? batch.awaitedBatchId() : null,
                    batch.option(), now);
            writer.run(build);
            states.addBatchMembers(c, id, writer.members, now);
            return null;
        });
    }

    /** Creates a job waiting for a batch. */
    public String continueWith(String batchId, EncodedCall job, ContinuationOption option) {
        required(option, "option");
        long id = JobId.parse(batchId, "batchId");
        return transactions.inTransaction(c -> {
            BatchRow batch = lockExisting(c, id, batchId);
            Instant now = JobClock.now();
            Writer writer = new Writer(c, null, id, option, now);
            return JobId.format(writer.waitingJob(job, batch));
        });
    }

    /** Creates a continuation of several parents. */
    public String continueWhen(java.util.Collection<String> parentIds, FanIn fanIn, EncodedCall job) {
        java.util.TreeSet<Long> parents = new java.util.TreeSet<>();
        for (String parentId : required(parentIds, "parentIds")) {
            parents.add(JobId.parse(parentId, "parentIds"));
        }
        if (parents.isEmpty() || parents.size() > 1000 || parents.size() != parentIds.size()) {
            throw new IllegalArgumentException("'parentIds' must hold 1 to 1000 distinct job ids, got " + parentIds.size()
                    + " ids of which " + parents.size() + " distinct");
        }
        FilteredCreation.Creation filtered = filters.creating(job.method().name(), job.method().queue(), JobState.AWAITING);
        return transactions.inTransaction(c -> {
            Instant now = JobClock.now();
            // the parents' locks order this against their own state changes
            List<JobRow> locked = jobs.lockJobs(c, parents);
            if (locked.size() != parents.size()) {
                java.util.Set<Long> missing = new java.util.TreeSet<>(parents);
                locked.forEach(row -> missing.remove(row.id()));
                throw new JobNotFoundException(JobId.format(missing.iterator().next()));
            }
            int succeeded = 0;
            int deleted = 0;
            List<Long> waitingFor = new ArrayList<>();
            for (JobRow parent : locked) {
                if (parent.state() == JobState.SUCCEEDED) {
                    succeeded++;
                } else if (parent.state() == JobState.DELETED) {
                    deleted++;
                } else {
                    waitingFor.add(parent.id());
                }
            }
            String reason = "Waiting for " + parents.size() + " parent jobs (" + fanIn + ")";
            NewJobRow created = new NewJobRow(job.method().name(), job.method().queue(), job.arguments(), JobState.AWAITING,
                    reason, null, null, null, true, Flow.NONE, BatchLink.NONE);
            long id = jobs.insertJob(c, created, now);
            JobRow row = created.inserted(id, now);
            Transition first = Transition.to(row, JobState.AWAITING, reason);
            states.recordCreation(c, first, now);
            filtered.stored(c, id, reason, first.data(), now);
            FanInRow counters = new FanInRow(id, fanIn, parents.size(), succeeded, deleted);
            List<Long> awaited = counters.decision() == FanIn.Decision.WAIT ? waitingFor : List.of();
            fanInStore.insert(c, counters, awaited);
            // the parents' completions look for what waits for them only once this is marked
            jobs.markHasContinuations(c, awaited);
            Transition decided = FanInProgress.transition(row, counters);
            if (decided != null) {
                states.apply(c, List.of(decided), now);
            }
            return JobId.format(id);
        });
    }

    /** Deletes the unfinished jobs of a batch and its nested batches, and the batches; returns how many jobs. */
    public int delete(String batchId) {
        long id = JobId.parse(batchId, "batchId");
        return transactions.inTransaction(c -> {
            if (batches.read(c, id) == null) {
                throw new BatchNotFoundException(batchId);
            }
            List<Long> tree = tree(c, id);
            // job rows first, then batch rows: the lock order of every state change
            List<JobRow> locked = jobs.lockJobs(c, batches.jobIds(c, tree, UNFINISHED));
            Map<Long, BatchState> deleted = new HashMap<>();
            Instant now = JobClock.now();
            List<BatchRow> rows = batches.lock(c, tree);
            if (rows.stream().anyMatch(row -> row.id() == id && row.state().isFinal())) {
                return 0;
            }
            for (BatchRow row : rows) {
                if (!row.state().isFinal() && batches.changeState(c, row.id(), row.state(), BatchState.DELETED, now)) {
                    deleted.put(row.id(), BatchState.DELETED);
                }
            }
            List<Transition> deletions = new ArrayList<>();
            for (JobRow job : locked) {
                if (!job.state().isFinal()) {
                    deletions.add(Transition.to(job, JobState.DELETED, "Deleted with batch " + batchId));
                }
            }
            states.apply(c, deletions, now);
            states.batchesFinished(c, deleted, now);
            return deletions.size();
        });
    }

    /** Requeues the failed jobs of a batch and its nested batches; returns how many. */
    public int requeueFailed(String batchId) {
        long id = JobId.parse(batchId, "batchId");
        List<Long> failed = transactions.inTransaction(c -> {
            if (batches.read(c, id) == null) {
                throw new BatchNotFoundException(batchId);
            }
            return batches.jobIds(c, tree(c, id), EnumSet.of(JobState.FAILED));
        });
        return states.changeAll(failed, JobState.FAILED,
                row -> Transition.to(row, JobState.ENQUEUED, "Requeued with batch " + batchId)).size();
    }

    /** The batch and its nested batches, at every depth, parents before children. */
    private List<Long> tree(Connection c, long id) throws SQLException {
        List<Long> tree = new ArrayList<>(List.of(id));
        for (int i = 0; i < tree.size(); i++) {
            for (BatchRow child : batches.children(c, tree.get(i))) {
                tree.add(child.id());
            }
        }
        return tree;
    }

    private BatchRow lockExisting(Connection c, long id, String batchId) throws SQLException {
        List<BatchRow> rows = batches.lock(c, List.of(id));
        if (rows.isEmpty()) {
            throw new BatchNotFoundException(batchId);
        }
        return rows.get(0);
    }

    /**
     * Inserts a batch and what {@code build} adds to it; returns its id. {@code awaited} and {@code option}: the
     * batch its jobs wait for (a continuation batch), or null.
     */
    private long build(Connection c, Long parent, String description, Consumer<BatchBuilder> build, Long awaited,
            ContinuationOption option, Instant now) throws SQLException {
        long id = batches.insert(c, parent, description, awaited != null ? BatchState.AWAITING : BatchState.STARTED,
                awaited, option, now);
        Writer writer = new Writer(c, id, awaited, option, now);
        writer.run(build);
        states.addBatchMembers(c, id, writer.members, now);
        return id;
    }

    private static <V> V required(V value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("'" + name + "' must not be null");
        }
        return value;
    }

    /** Adds jobs to one batch in the current transaction, while the user's lambda runs. */
    private final class Writer implements BatchBuilder {

        private final Connection c;
        private final Long batchId;
        /** The batch the jobs that would be enqueued wait for (a continuation batch), or null. */
        private final Long awaited;
        private final ContinuationOption option;
        private final Instant now;
        int members;
        private boolean open = true;

        Writer(Connection c, Long batchId, Long awaited, ContinuationOption option, Instant now) {
            this.c = c;
            this.batchId = batchId;
            this.awaited = awaited;
            this.option = option;
            this.now = now;
        }

        void run(Consumer<BatchBuilder> build) {
            try {
                build.accept(this);
            } finally {
                open = false;
            }
        }

        private void checkOpen() {
            if (!open) {
                throw new IllegalStateException("A BatchBuilder is valid only while the lambda that received it runs");
            }
        }

        @Override
        public String batchId() {
            return JobId.format(batchId);
        }

        @Override
        public <T> String enqueue(Class<T> jobClass, JobCall<T> call) {
            return enqueued(List.of(limits.checked(EncodedCall.captured(jobClass, call)))).get(0);
        }

        @Override
        public String enqueue(String jobName, Object... arguments) {
            return enqueued(List.of(limits.checked(EncodedCall.named(jobName, arguments)))).get(0);
        }

        @Override
        public <T, A> List<String> enqueueAll(Class<T> jobClass, Iterable<A> items, BatchJobCall<T, A> call) {
            required(jobClass, "jobClass");
            required(call, "call");
            List<EncodedCall> calls = new ArrayList<>();
            int index = 0;
            for (A item : required(items, "items")) {
                try {
                    calls.add(limits.checked(EncodedCall.captured(jobClass, job -> call.call(job, item))));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("enqueueAll in batch: item " + index + " is not a valid job call,"
                            + " so nothing of the batch was created: " + e.getMessage(), e);
                }
                index++;
            }
            return enqueued(calls);
        }

        /** Inserts jobs that are enqueued, or that wait for the antecedent of a continuation batch. */
        private List<String> enqueued(List<EncodedCall> calls) {
            checkOpen();
            if (calls.isEmpty()) {
                return List.of();
            }
            List<FilteredCreation.Creation> filtered = new ArrayList<>(calls.size());
            JobState state = awaited != null ? JobState.AWAITING : JobState.ENQUEUED;
            for (EncodedCall job : calls) {
                filtered.add(filters.creating(job.method().name(), job.method().queue(), state));
            }
            String reason = awaited != null ? "Waiting for batch " + awaited + " (" + option + ")" : null;
            try {
                List<NewJobRow> rows = new ArrayList<>(calls.size());
                for (EncodedCall job : calls) {
                    rows.add(new NewJobRow(job.method().name(), job.method().queue(), job.arguments(), state, reason, null,
                            null, awaited != null ? option : null, awaited != null, Flow.NONE,
                            new BatchLink(batchId, awaited)));
                }
                List<Long> ids = jobs.insertJobs(c, rows, now);
                List<Transition> firsts = new ArrayList<>(ids.size());
                for (int i = 0; i < ids.size(); i++) {
                    firsts.add(Transition.to(rows.get(i).inserted(ids.get(i), now), state, reason));
                }
                states.recordCreation(c, firsts, now);
                for (int i = 0; i < ids.size(); i++) {
                    filtered.get(i).stored(c, ids.get(i), reason, Map.of(), now);
                }
                members += ids.size();
                return ids.stream().map(JobId::format).toList();
            } catch (SQLException e) {
                throw new io.quarkiverse.hangfire.runtime.storage.StorageException(e);
            }
        }

        @Override
        public <T> String schedule(Class<T> jobClass, JobCall<T> call, Duration delay) {
            return scheduled(limits.checked(EncodedCall.captured(jobClass, call)), JobClock.after(delay, "delay"));
        }

        @Override
        public <T> String schedule(Class<T> jobClass, JobCall<T> call, Instant at) {
            return scheduled(limits.checked(EncodedCall.captured(jobClass, call)), JobClock.storable(at, "at"));
        }

        private String scheduled(EncodedCall job, Instant at) {
            checkOpen();
            if (awaited != null) {
                throw new IllegalArgumentException("A continuation batch cannot schedule jobs (its jobs wait for batch "
                        + awaited + "); enqueue them, or schedule from a job of the batch");
            }
            FilteredCreation.Creation filtered = filters.creating(job.method().name(), job.method().queue(),
                    JobState.SCHEDULED);
            String reason = "Scheduled for " + at;
            try {
                NewJobRow row = new NewJobRow(job.method().name(), job.method().queue(), job.arguments(),
                        JobState.SCHEDULED, reason, at, null, null, true, Flow.NONE, BatchLink.memberOf(batchId));
                long id = jobs.insertJob(c, row, now);
                Transition first = Transition.toScheduled(row.inserted(id, now), at, reason);
                states.recordCreation(c, first, now);
                filtered.stored(c, id, reason, first.data(), now);
                members++;
                return JobId.format(id);
            } catch (SQLException e) {
                throw new io.quarkiverse.hangfire.runtime.storage.StorageException(e);
            }
        }

        @Override
        public <T> String continueWith(String parentId, Class<T> jobClass, JobCall<T> call, ContinuationOption parentOption) {
            checkOpen();
            required(parentOption, "option");
            EncodedCall job = limits.checked(EncodedCall.captured(jobClass, call));
            long parent = JobId.parse(parentId, "parentId");
            FilteredCreation.Creation filtered = filters.creating(job.method().name(), job.method().queue(),
                    JobState.AWAITING);
            try {
                JobRow parentRow = jobs.lockJob(c, parent);
                if (parentRow == null) {
                    throw new JobNotFoundException(parentId);
                }
                String reason = "Waiting for parent job " + parent + " (" + parentOption + ")";
                NewJobRow created = new NewJobRow(job.method().name(), job.method().queue(), job.arguments(),
                        JobState.AWAITING, reason, null, parent, parentOption, true, Flow.NONE,
                        BatchLink.memberOf(batchId));
                long id = jobs.insertJob(c, created, now);
                JobRow row = created.inserted(id, now);
                Transition first = Transition.to(row, JobState.AWAITING, reason);
                states.recordCreation(c, first, now);
                filtered.stored(c, id, reason, first.data(), now);
                members++;
                if (parentRow.state().isFinal()) {
                    states.apply(c, List.of(StateMachine.continuationTransition(row, parentRow.state())), now);
                }
                return JobId.format(id);
            } catch (SQLException e) {
                throw new io.quarkiverse.hangfire.runtime.storage.StorageException(e);
            }
        }

        /** A job of no batch that waits for {@code antecedent} (locked), resolved at once when it finished. */
        long waitingJob(EncodedCall job, BatchRow antecedent) throws SQLException {
            FilteredCreation.Creation filtered = filters.creating(job.method().name(), job.method().queue(),
                    JobState.AWAITING);
            String reason = "Waiting for batch " + antecedent.id() + " (" + option + ")";
            NewJobRow created = new NewJobRow(job.method().name(), job.method().queue(), job.arguments(), JobState.AWAITING,
                    reason, null, null, option, true, Flow.NONE, new BatchLink(null, antecedent.id()));
            long id = jobs.insertJob(c, created, now);
            JobRow row = created.inserted(id, now);
            Transition first = Transition.to(row, JobState.AWAITING, reason);
            states.recordCreation(c, first, now);
            filtered.stored(c, id, reason, first.data(), now);
            if (antecedent.state().isFinal()) {
                states.releaseBatchContinuations(c, Map.of(antecedent.id(), antecedent.state()), now);
            }
            return id;
        }

        @Override
        public String batch(String description, Consumer<BatchBuilder> build) {
            checkOpen();
            required(build, "build");
            try {
                long id = HangfireBatches.this.build(c, batchId, description, build, awaited, option, now);
                members++;
                return JobId.format(id);
            } catch (SQLException e) {
                throw new io.quarkiverse.hangfire.runtime.storage.StorageException(e);
            }
        }
    }
}
