package io.quarkiverse.hangfire.runtime.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.BatchState;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.storage.BatchStore;
import io.quarkiverse.hangfire.runtime.storage.BatchStore.BatchRow;
import io.quarkiverse.hangfire.runtime.storage.JobRow;

/**
 * Keeps the counters of batches with the state changes of their members, and finishes a batch when its last member
 * reaches a final state: in the transaction of that change, under the batch row's lock, so that two servers recording
 * the last two jobs of a batch at the same moment are ordered by that lock and only the second sees the batch
 * complete. Finishing a batch counts it in its parent batch and releases what waits for it (continuation jobs and the
 * jobs of continuation batches), exactly once, as the batch leaves {@link BatchState#STARTED} only once. The cost is one
 * locking read and one UPDATE per batch touched by a transaction, whatever the size of the batch.
 */
@Singleton
public class BatchProgress {

    @Inject
    BatchStore batches;

    /**
     * Counts the moves of batch members in their batches; returns the transitions of the continuations that batches
     * finished by these moves release, for the caller to apply in the same transaction.
     */
    List<Transition> track(Connection c, List<Transition> transitions, Instant now) throws SQLException {
        Map<Long, int[]> deltas = new TreeMap<>();
        for (Transition t : transitions) {
            Long batch = t.job().batchId();
            if (batch != null) {
                int[] delta = delta(t.job().state(), t.to());
                if (delta != null) {
                    deltas.merge(batch, delta, BatchProgress::sum);
                }
            }
        }
        return deltas.isEmpty() ? List.of() : count(c, deltas, now);
    }

    /** {total, succeeded, deleted, failed} changes of a member moving between these states, or null for none. */
    private static int[] delta(JobState from, JobState to) {
        int[] d = { 0, is(to, JobState.SUCCEEDED) - is(from, JobState.SUCCEEDED),
                is(to, JobState.DELETED) - is(from, JobState.DELETED), is(to, JobState.FAILED) - is(from, JobState.FAILED) };
        return d[1] == 0 && d[2] == 0 && d[3] == 0 ? null : d;
    }

    private static int is(JobState state, JobState expected) {
        return state == expected ? 1 : 0;
    }

    private static int[] sum(int[] a, int[] b) {
        return new int[] { a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3] };
    }

    /** Adds the deltas to the batches (locked in id order), finishes those complete now, and releases what waited. */
    List<Transition> count(Connection c, Map<Long, int[]> deltas, Instant now) throws SQLException {
        Map<Long, BatchState> finished = new TreeMap<>();
        for (BatchRow row : batches.lock(c, deltas.keySet())) {
            BatchRow counted = row.plus(deltas.get(row.id()));
            batches.updateCounts(c, counted);
            if (counted.state() == BatchState.STARTED && counted.allFinished()
                    && batches.changeState(c, row.id(), BatchState.STARTED, BatchState.SUCCEEDED, now)) {
                finished.put(row.id(), BatchState.SUCCEEDED);
            }
        }
        return finished(c, finished, now);
    }

    /**
     * What follows batches that just reached a final state: their parents count them (and may finish in turn), their
     * continuation batches start, and the jobs waiting for them are enqueued or, if their condition is not met,
     * deleted. Returns those jobs' transitions.
     */
    List<Transition> finished(Connection c, Map<Long, BatchState> finished, Instant now) throws SQLException {
        if (finished.isEmpty()) {
            return List.of();
        }
        Map<Long, int[]> parents = new TreeMap<>();
        for (Map.Entry<Long, BatchState> batch : finished.entrySet()) {
            BatchRow row = batches.read(c, batch.getKey());
            if (row.parentBatchId() != null) {
                int[] delta = delta(JobState.PROCESSING, batch.getValue().asJobState());
                parents.merge(row.parentBatchId(), delta, BatchProgress::sum);
            }
        }
        List<Transition> released = new ArrayList<>(release(c, finished, now));
        if (!parents.isEmpty()) {
            released.addAll(count(c, parents, now));
        }
        return released;
    }

    /**
     * Releases what waits for batches in a final state: their continuation batches start (and an empty one succeeds),
     * and the jobs waiting for them are enqueued or, when their condition is not met, deleted. Returns those jobs'
     * transitions.
     */
    List<Transition> release(Connection c, Map<Long, BatchState> finished, Instant now) throws SQLException {
        List<Transition> released = new ArrayList<>();
        Map<Long, int[]> started = new TreeMap<>();
        for (Long batch : finished.keySet()) {
            for (BatchRow continuation : batches.continuations(c, batch)) {
                if (batches.changeState(c, continuation.id(), BatchState.AWAITING, BatchState.STARTED, now)) {
                    started.put(continuation.id(), new int[4]);
                }
            }
        }
        for (JobRow waiting : batches.lockAwaitingJobs(c, finished.keySet())) {
            released.add(continuationTransition(waiting, finished.get(waiting.awaitedBatchId())));
        }
        if (!started.isEmpty()) {
            // counted with no change: a continuation batch with nothing in it succeeds as it starts
            released.addAll(count(c, started, now));
        }
        return released;
    }

    /** What a job waiting for a batch becomes once the batch reached {@code batchState}. */
    static Transition continuationTransition(JobRow job, BatchState batchState) {
        String batch = "batch " + job.awaitedBatchId();
        if (Objects.requireNonNull(job.continuationOption()).isSatisfiedBy(batchState.asJobState())) {
            return Transition.to(job, JobState.ENQUEUED, "Continuation of " + batch + ", which reached " + batchState);
        }
        return Transition.to(job, JobState.DELETED, "Continuation condition " + job.continuationOption()
                + " was not met: " + batch + " reached " + batchState);
    }
}
