package io.quarkiverse.hangfire.runtime.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.filter.JobFilters;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobLocks;
import io.quarkiverse.hangfire.runtime.storage.JobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore;
import io.quarkiverse.hangfire.runtime.storage.JobStore.HistoryRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore.NewJobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore.RetryCount;
import io.quarkiverse.hangfire.runtime.storage.QueueStore;
import io.quarkiverse.hangfire.runtime.storage.Statistics;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.quarkiverse.hangfire.runtime.storage.UniqueKeys;
import io.quarkus.arc.All;

/**
 * Applies state changes: the job's current-state columns (its queue and claim among them), a history row per
 * state, the counts per state, the expiration of final states, and the release of continuations waiting for the
 * job. Every state change of every job goes through {@link #apply}, in batches, whether it comes from the API, a
 * worker or the scheduler; claims go through {@link #claim}, one UPDATE, whose Processing states the history gets
 * with the outcome. Once a batch committed, the {@link StateListener}s hear what it did. The counters of the batches
 * (of jobs) that the moved jobs belong to are kept by {@link BatchProgress}, in the same transaction. It is a little over 300
 * lines because creation, claim and change must write the history and the counts the same way.
 */
@Singleton
public class StateMachine {

    private static final Logger LOG = Logger.getLogger(StateMachine.class);

    @Inject
    Transactions transactions;

    @Inject
    JobStore jobs;

    @Inject
    QueueStore queue;

    @Inject
    HangfireConfig config;

    @Inject
    @All
    List<StateListener> listeners;

    @Inject
    JobLocks locks;

    @Inject
    Statistics statistics;

    @Inject
    JobFilters filters;

    @Inject
    UniqueKeys uniqueKeys;

    @Inject
    BatchProgress batches;

    @Inject
    FanInProgress fanIns;

    /**
     * Locks one job and applies the transition {@code decide} returns for it, in the caller's transaction.
     * Returns false, changing nothing, when the job is not in {@code expectedState} (if given) or {@code decide}
     * returns null.
     */
    public boolean change(String jobId, JobState expectedState, Function<JobRow, Transition> decide) {
        long id = JobId.parse(jobId);
        return transactions.inTransaction(c -> {
            JobRow row = jobs.lockJob(c, id);
            if (row == null) {
                throw new JobNotFoundException(jobId);
            }
            return !applyDecided(c, List.of(row), expectedState, decide).isEmpty();
        });
    }

    /**
     * Locks the jobs with one statement and applies, in one transaction, the transitions {@code decide} returns
     * for those in {@code expectedState} (if given); the state changes share the statements of {@link #apply}.
     * Returns the ids of the jobs changed; missing jobs, jobs in another state and jobs for which {@code decide}
     * returns null are passed over.
     */
    public List<Long> changeAll(java.util.Collection<Long> ids, JobState expectedState, Function<JobRow, Transition> decide) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return transactions.inTransaction(c -> applyDecided(c, jobs.lockJobs(c, new java.util.TreeSet<>(ids)), expectedState, decide));
    }

    /** Applies what {@code decide} says for the locked rows in {@code expectedState} (if given); returns their ids. */
    private List<Long> applyDecided(Connection c, List<JobRow> locked, JobState expectedState,
            Function<JobRow, Transition> decide) throws SQLException {
        List<Transition> transitions = new ArrayList<>();
        for (JobRow row : locked) {
            Transition transition = expectedState != null && row.state() != expectedState ? null : decide.apply(row);
            if (transition != null) {
                transitions.add(transition);
            }
        }
        apply(c, transitions, JobClock.now());
        return transitions.stream().map(t -> t.job().id()).toList();
    }

    /**
     * Inserts Enqueued jobs with multi-row inserts and records their creation; returns their ids in the order of
     * {@code rows}, which must all be in the Enqueued state.
     */
    public List<Long> createEnqueued(Connection c, List<NewJobRow> rows, Instant now) throws SQLException {
        List<Long> ids = jobs.insertJobs(c, rows, now);
        recordCreatedEnqueued(c, rows, ids, now);
        return ids;
    }

    /** Records the creation of Enqueued jobs inserted as {@code rows} with {@code ids}, in the same order. */
    public void recordCreatedEnqueued(Connection c, List<NewJobRow> rows, List<Long> ids, Instant now) throws SQLException {
        List<Transition> firsts = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            NewJobRow row = rows.get(i);
            if (row.state() != JobState.ENQUEUED) {
                throw new IllegalArgumentException("Not an Enqueued job: " + row);
            }
            firsts.add(Transition.to(row.inserted(ids.get(i), now), JobState.ENQUEUED, row.reason()));
        }
        recordCreation(c, firsts, now);
    }

    /** Records the first state of a job just inserted with that state's columns already set. */
    public void recordCreation(Connection c, Transition first, Instant now) throws SQLException {
        recordCreation(c, List.of(first), now);
    }

    /**
     * Records the first states of jobs just inserted with those states' columns already set: their history, unless the
     * row stands for it (see {@link JobRow#unlogged}), and the statistics; the listeners hear of them after the commit.
     */
    public void recordCreation(Connection c, List<Transition> firsts, Instant now) throws SQLException {
        List<HistoryRow> history = new ArrayList<>(firsts.size());
        Map<JobState, Integer> finished = new java.util.EnumMap<>(JobState.class);
        Map<JobState, Integer> moved = new java.util.EnumMap<>(JobState.class);
        Map<Map<String, String>, String> encoded = new HashMap<>();
        for (Transition first : firsts) {
            if (Statistics.KEPT_COUNTS.contains(first.to())) {
                moved.merge(first.to(), 1, Integer::sum);
            }
            if (first.job().unlogged() == null) {
                history.add(new HistoryRow(first.job().id(), first.to(), first.reason(), now, json(first.data(), encoded)));
            }
            if (first.to().isFinal()) {
                finished.merge(first.to(), 1, Integer::sum);
            }
        }
        jobs.insertHistory(c, history);
        if (!finished.isEmpty() || !moved.isEmpty()) {
            statistics.record(c, finished, moved, now);
        }
        if (!firsts.isEmpty()) {
            tellListenersAfterCommit(StateChanges.creations(firsts));
        }
    }

    /**
     * Claims locked Enqueued jobs for {@code owner} until {@code leaseUntil}: one UPDATE moves them all to Processing.
     * The transitions, all to Processing with the same reason, are recorded in the history now when {@code logged},
     * and otherwise with the next state change of each job (its outcome, usually), in the same statement.
     */
    public void claim(Connection c, List<Transition> claims, String owner, Instant leaseUntil, boolean logged, Instant now)
            throws SQLException {
        if (claims.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>(claims.size());
        for (Transition t : claims) {
            if (t.to() != JobState.PROCESSING || !Objects.equals(t.reason(), claims.get(0).reason())) {
                throw new IllegalArgumentException("A claim moves jobs to Processing with one reason: " + t);
            }
            ids.add(t.job().id());
        }
        queue.claim(c, ids, owner, leaseUntil, claims.get(0).reason(), now, logged);
        List<Long> unique = null;
        for (Transition t : claims) {
            if (t.job().uniqueKey() != null) {
                (unique == null ? unique = new ArrayList<>() : unique).add(t.job().id());
            }
        }
        if (unique != null) {
            uniqueKeys.started(c, unique);
        }
        if (logged) {
            Map<Map<String, String>, String> encoded = new HashMap<>();
            List<HistoryRow> history = new ArrayList<>(claims.size());
            for (Transition t : claims) {
                history.addAll(t.job().unloggedHistory());
                history.add(new HistoryRow(t.job().id(), JobState.PROCESSING, t.reason(), now, json(t.data(), encoded)));
            }
            jobs.insertHistory(c, history);
        }
        tellListenersAfterCommit(StateChanges.changes(claims, List.of()));
    }

    /**
     * Applies the transitions in the current transaction; each job appears at most once. The claim of a job taken
     * out of Processing is reported as revoked, so that the server that runs it cancels the run.
     */
    public void apply(Connection c, List<Transition> transitions, Instant now) throws SQLException {
        apply(c, transitions, now, true);
    }

    /** Applies the outcomes that workers reported for the claims they still own: nothing to cancel. */
    public void applyOutcomes(Connection c, List<Transition> transitions, Instant now) throws SQLException {
        apply(c, transitions, now, false);
    }

    private void apply(Connection c, List<Transition> proposed, Instant now, boolean revokeClaims) throws SQLException {
        if (proposed.isEmpty()) {
            return;
        }
        List<Transition> transitions = elect(c, proposed);
        Instant expireAt = now.plus(config.jobExpiration());

        // the jobs of one claim share their Processing data: encode it once
        Map<Map<String, String>, String> encoded = new HashMap<>();
        // jobs moved together with the same values share one UPDATE; successes keep their data in their rows
        Map<List<Object>, List<Long>> groups = new LinkedHashMap<>();
        Map<String, Map<Long, String>> successes = new LinkedHashMap<>();
        for (Transition t : transitions) {
            if (keepsHistoryInRow(t)) {
                // each success has data of its own (duration, result): encoded without the shared-data cache
                successes.computeIfAbsent(t.reason(), k -> new LinkedHashMap<>()).put(t.job().id(),
                        t.data() == null || t.data().isEmpty() ? null : JobArguments.toJson(t.data()));
                continue;
            }
            List<Object> key = java.util.Arrays.asList(t.to(), t.reason(), t.scheduledAt(), t.retryCount());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t.job().id());
        }
        for (Map.Entry<List<Object>, List<Long>> group : groups.entrySet()) {
            List<Object> key = group.getKey();
            JobState to = (JobState) key.get(0);
            jobs.updateState(c, group.getValue(), to, (String) key.get(1), now, (Instant) key.get(2),
                    to.isFinal() ? expireAt : null, (RetryCount) key.get(3));
        }
        for (Map.Entry<String, Map<Long, String>> success : successes.entrySet()) {
            jobs.succeedUnlogged(c, success.getValue(), success.getKey(), now, expireAt);
        }

        List<Long> leavingQueue = new ArrayList<>();
        List<Long> revoked = new ArrayList<>();
        List<HistoryRow> history = new ArrayList<>(transitions.size());
        for (Transition t : transitions) {
            JobState from = t.job().state();
            if ((from == JobState.ENQUEUED || from == JobState.PROCESSING) && t.to() != JobState.PROCESSING) {
                leavingQueue.add(t.job().id());
                if (from == JobState.PROCESSING && revokeClaims && t.job().owner() != null) {
                    revoked.add(t.job().id());
                }
            }
            if (keepsHistoryInRow(t)) {
                continue;
            }
            // the states the row stood for come first
            history.addAll(t.job().unloggedHistory());
            if (t.traversed() != null) {
                history.add(new HistoryRow(t.job().id(), t.traversed().state(), t.traversed().reason(), now,
                        json(t.traversed().data(), encoded)));
            }
            history.add(new HistoryRow(t.job().id(), t.to(), t.reason(), now, json(t.data(), encoded)));
        }
        locks.release(c, leavingQueue);
        releaseUniqueKeys(c, transitions, now);
        jobs.insertHistory(c, history);
        Map<JobState, Integer> finished = new java.util.EnumMap<>(JobState.class);
        Map<JobState, Integer> moved = new java.util.EnumMap<>(JobState.class);
        for (Transition t : transitions) {
            finished.merge(t.to(), 1, Integer::sum);
            moved.merge(t.to(), 1, Integer::sum);
            moved.merge(t.job().state(), -1, Integer::sum);
        }
        statistics.record(c, finished, moved, now);
        tellListenersAfterCommit(StateChanges.changes(transitions, revoked));
        List<Transition> released = new ArrayList<>(batches.track(c, transitions, now));
        released.addAll(fanIns.track(c, transitions));
        releaseContinuations(c, transitions, now);
        apply(c, released, now);
    }

    /**
     * Whether the transition leaves the history as it is, its row standing for the new state too: an attempt's success
     * (the most common change of all, one per job) writes no history row; the row keeps the success's data and the
     * job's next state change, if it has one, writes what the history lacks (see {@link JobRow.Unlogged}).
     */
    private static boolean keepsHistoryInRow(Transition t) {
        return t.to() == JobState.SUCCEEDED && t.job().state() == JobState.PROCESSING && t.traversed() == null
                && t.retryCount() == RetryCount.KEEP;
    }

    /**
     * Counts {@code members} new members (jobs or nested batches, created in this transaction) in a locked batch; a
     * started batch whose members all finished already (or that has none) succeeds now, releasing what waits for it.
     */
    public void addBatchMembers(Connection c, long batchId, int members, Instant now) throws SQLException {
        apply(c, batches.count(c, Map.of(batchId, new int[] { members, 0, 0, 0 }), now), now);
    }

    /**
     * Follows batches that this transaction moved to a final state ({@code finished}, by id) outside the counters (a
     * deletion): their parents count them, and what waits for them is released.
     */
    public void batchesFinished(Connection c, Map<Long, io.quarkiverse.hangfire.BatchState> finished, Instant now)
            throws SQLException {
        apply(c, batches.finished(c, new java.util.TreeMap<>(finished), now), now);
    }

    /**
     * Releases what waits for batches that are in a final state already (a continuation created after its antecedent
     * finished): continuation batches start, waiting jobs are enqueued or deleted.
     */
    public void releaseBatchContinuations(Connection c, Map<Long, io.quarkiverse.hangfire.BatchState> finished,
            Instant now) throws SQLException {
        apply(c, batches.release(c, new java.util.TreeMap<>(finished), now), now);
    }

    /** Gives back the unique keys of jobs that left their window: the key's row is kept only while the job holds it. */
    private void releaseUniqueKeys(Connection c, List<Transition> transitions, Instant now) throws SQLException {
        List<Long> succeeded = new ArrayList<>();
        List<Long> ended = new ArrayList<>();
        for (Transition t : transitions) {
            if (t.job().uniqueKey() != null && (t.to().isFinal() || t.to() == JobState.FAILED)) {
                (t.to() == JobState.SUCCEEDED ? succeeded : ended).add(t.job().id());
            }
        }
        uniqueKeys.finished(c, succeeded, true, now);
        uniqueKeys.finished(c, ended, false, now);
    }

    /** The transitions the job filters elected instead of those proposed; a job moved to another queue is moved here. */
    private List<Transition> elect(Connection c, List<Transition> proposed) throws SQLException {
        if (filters.isEmpty()) {
            return proposed;
        }
        List<Transition> elected = new ArrayList<>(proposed.size());
        for (Transition t : proposed) {
            Election election = new Election(t);
            filters.elect(election);
            Transition e = election.elected();
            if (!e.job().queue().equals(t.job().queue())) {
                jobs.moveToQueue(c, e.job().id(), e.job().queue());
            }
            elected.add(e);
        }
        return elected;
    }

    /**
     * Whether the transition may release continuations or fan-ins: it ends the job, and one was created for the job
     * (most jobs have none, and their completion looks for none).
     */
    static boolean releasesContinuations(Transition t) {
        return t.to().isFinal() && t.job().hasContinuations();
    }

    /** Moves the continuations of jobs that reached a final state: enqueued if satisfied, deleted if not. */
    private void releaseContinuations(Connection c, List<Transition> transitions, Instant now) throws SQLException {
        Map<Long, JobState> finalParents = new HashMap<>();
        for (Transition t : transitions) {
            if (releasesContinuations(t)) {
                finalParents.put(t.job().id(), t.to());
            }
        }
        if (finalParents.isEmpty()) {
            return;
        }
        List<Transition> released = new ArrayList<>();
        for (JobRow child : jobs.lockAwaitingChildren(c, finalParents.keySet())) {
            released.add(continuationTransition(child, finalParents.get(child.parentId())));
        }
        apply(c, released, now);
    }

    /** What a waiting continuation becomes once its parent reached {@code parentState}. */
    public static Transition continuationTransition(JobRow child, JobState parentState) {
        String parent = "parent job " + child.parentId();
        if (Objects.requireNonNull(child.continuationOption()).isSatisfiedBy(parentState)) {
            return Transition.to(child, JobState.ENQUEUED, "Continuation of " + parent + ", which reached "
                    + parentState);
        }
        return Transition.to(child, JobState.DELETED, "Continuation condition " + child.continuationOption()
                + " was not met: " + parent + " reached " + parentState);
    }

    /** Tells every listener about {@code changes} once the current transaction committed (never before). */
    private void tellListenersAfterCommit(StateChanges changes) {
        transactions.afterCommit(() -> {
            for (StateListener listener : listeners) {
                try {
                    listener.committed(changes);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Hangfire state listener %s failed after a commit; the committed changes stand",
                            listener.getClass().getName());
                }
            }
        });
    }

    private static String json(Map<String, String> data, Map<Map<String, String>, String> encoded) {
        return data == null || data.isEmpty() ? null : encoded.computeIfAbsent(data, JobArguments::toJson);
    }
}
