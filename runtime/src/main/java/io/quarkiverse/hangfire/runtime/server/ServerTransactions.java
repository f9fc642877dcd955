package io.quarkiverse.hangfire.runtime.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.state.StateMachine;
import io.quarkiverse.hangfire.runtime.state.Transition;
import io.quarkiverse.hangfire.runtime.storage.BatchStore;
import io.quarkiverse.hangfire.runtime.storage.BatchStore.BatchRow;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobLocks;
import io.quarkiverse.hangfire.runtime.storage.JobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore;
import io.quarkiverse.hangfire.runtime.storage.QueuePauses;
import io.quarkiverse.hangfire.runtime.storage.QueueStore;
import io.quarkiverse.hangfire.runtime.storage.RateLimits;
import io.quarkiverse.hangfire.runtime.storage.QueueStore.Waiting;
import io.quarkiverse.hangfire.runtime.storage.ServerStore;
import io.quarkiverse.hangfire.runtime.storage.LoopConnection;
import io.quarkiverse.hangfire.runtime.storage.Statistics;
import io.quarkiverse.hangfire.runtime.storage.Transactions;

/**
 * The server's transactions: claim jobs, record outcomes, promote due scheduled jobs, return jobs whose lease ran
 * out, remove expired jobs and batches, and keep the server row alive. Each is one short transaction over a batch, run by
 * {@link Transactions} (again when the database picks it as a deadlock victim); the SQL is in {@code storage}, one
 * class per table family, and this class decides what to claim, record or return.
 */
@Singleton
public class ServerTransactions {

    @Inject
    Transactions transactions;

    @Inject
    JobStore jobs;

    @Inject
    QueueStore queueRows;

    @Inject
    ServerStore servers;

    @Inject
    StateMachine states;

    @Inject
    JobLocks locks;

    @Inject
    Statistics statistics;

    @Inject
    QueuePauses pauses;

    @Inject
    RateLimits rateLimits;

    @Inject
    BatchStore batches;

    @Inject
    HangfireConfig config;

    /** At most how many waiting jobs one fetch looks at per queue when limits pass jobs over. */
    private static final int SCAN_LIMIT = 1000;

    /**
     * What a claim got, and when a job it passed over for a rate limit may start (null: none was), so that the
     * fetcher looks again then rather than at its next poll.
     */
    public record Claim(List<ClaimedJob> jobs, Instant retryAt) {
    }

    /** {@link #claimRound}'s jobs. */
    public List<ClaimedJob> claim(LoopConnection loop, String owner, List<String> queues, int max, Instant leaseUntil) {
        return claimRound(loop, owner, queues, max, leaseUntil).jobs();
    }

    /**
     * Claims up to {@code max} jobs from the queues in the configured order, passing over paused queues; within a
     * queue, higher priority first, oldest first within a priority. A job whose mutex, concurrency or rate limit is
     * full is passed over and stays in its queue; the scan goes on past it, up to a bounded number of rows, so that
     * jobs behind a busy mutex still run. A job whose deadline passed is deleted instead. {@code loop} is the
     * fetcher's connection (null: borrow one).
     */
    public Claim claimRound(LoopConnection loop, String owner, List<String> queues, int max, Instant leaseUntil) {
        return transactions.inServerTransaction(loop, c -> {
            Instant now = JobClock.now();
            List<ClaimedJob> claimed = new ArrayList<>();
            List<Transition> processing = new ArrayList<>();
            List<Transition> late = new ArrayList<>();
            boolean limited = locks.enabled();
            RateLimits.Round rates = rateLimits.enabled() ? rateLimits.round(c, now) : null;
            boolean scanAhead = limited || rates != null;
            Instant retryAt = null;
            Set<String> paused = pauses.paused(c, now);
            Set<String> fullLimits = new HashSet<>();
            // a scan that goes on may meet a job again, when another transaction's locks moved the rows before it
            Set<Long> seen = new HashSet<>();
            for (String queue : queues) {
                if (paused.contains(queue)) {
                    continue;
                }
                int scanned = 0;
                while (claimed.size() < max && scanned < SCAN_LIMIT) {
                    int wanted = max - claimed.size();
                    // when limits may pass jobs over, read ahead a little to fill the batch in one go; a job locked
                    // by a state change in progress is passed over, not waited for
                    List<Waiting> waiting = queueRows.lockWaiting(c, queue, scanned, scanAhead ? Math.max(wanted, 20) : wanted);
                    scanned += waiting.size();
                    for (Waiting w : waiting) {
                        JobRow job = w.job();
                        if (claimed.size() >= max || !seen.add(job.id())) {
                            continue;
                        }
                        if (job.deadline() != null && !job.deadline().isAfter(now)) {
                            late.add(pastDeadline(job));
                            continue;
                        }
                        if (rates != null) {
                            Instant free = rates.tryStart(job);
                            if (free != null) {
                                retryAt = retryAt == null || free.isBefore(retryAt) ? free : retryAt;
                                continue;
                            }
                        }
                        if (limited && locks.tryAcquire(c, job, leaseUntil, fullLimits) != null) {
                            continue;
                        }
                        processing.add(Transition.to(job, JobState.PROCESSING, null).withData(Map.of("server", owner)));
                        claimed.add(new ClaimedJob(job.claimed(owner), w.enqueuedAt()));
                    }
                    if (!scanAhead && late.isEmpty() || waiting.isEmpty()) {
                        break;
                    }
                }
            }
            if (rates != null) {
                rates.flush();
            }
            if (!late.isEmpty()) {
                states.apply(c, late, now);
                // the deleted jobs took room in the batch: look again at once
                retryAt = now;
            }
            // the Processing states go to the history with the outcomes
            states.claim(c, processing, owner, leaseUntil, false, now);
            return new Claim(claimed, retryAt);
        });
    }

    /** A job that did not start by its deadline: deleted, with a reason naming the deadline. */
    private static Transition pastDeadline(JobRow job) {
        return Transition.to(job, JobState.DELETED, "Deadline " + job.deadline() + " passed before the job started");
    }

    /** Deletes up to {@code limit} jobs waiting to start (in a paused queue, say) whose deadline passed; returns how many. */
    public int deletePastDeadline(int limit) {
        return transactions.inServerTransaction(c -> {
            Instant now = JobClock.now();
            List<Transition> late = new ArrayList<>();
            for (JobRow row : jobs.lockPastDeadline(c, now, limit)) {
                late.add(pastDeadline(row));
            }
            states.apply(c, late, now);
            return late.size();
        });
    }

    /**
     * Whether a job waits in one of {@code queues}, read without locking on {@code loop}'s connection: the probe an
     * idle dispatcher makes before it claims.
     */
    public boolean anyWaiting(LoopConnection loop, List<String> queues) {
        return transactions.inServerTransaction(loop, c -> queueRows.anyWaiting(c, queues));
    }

    /** Claims one stored job for {@code JobScheduler.perform}, whatever its state but Processing. */
    public ClaimedJob claimOne(String jobId, String owner, Instant leaseUntil) {
        long id = JobId.parse(jobId);
        return transactions.inNewTransaction(c -> {
            JobRow row = jobs.lockJob(c, id);
            if (row == null) {
                throw new io.quarkiverse.hangfire.JobNotFoundException(jobId);
            }
            if (row.state() == JobState.PROCESSING) {
                throw new IllegalStateException("Job " + jobId + " is being processed right now; it cannot be performed"
                        + " until that run ends");
            }
            if (locks.enabled()) {
                JobLocks.Limit full = locks.tryAcquire(c, row, leaseUntil, new HashSet<>());
                if (full != null) {
                    throw new IllegalStateException("Job " + jobId + " cannot be performed now: its limit '" + full.name()
                            + "' (" + full.slots() + " at a time) is taken by running jobs");
                }
            }
            Instant now = JobClock.now();
            states.claim(c, List.of(Transition.to(row, JobState.PROCESSING, "Performed on request")
                    .withData(Map.of("server", owner))), owner, leaseUntil, true, now);
            return new ClaimedJob(row.claimed(owner), now);
        });
    }

    /** One outcome a worker reported, with the claim it ran under. */
    public record Outcome(ClaimedJob claimed, Transition transition) {
    }

    /**
     * Records outcomes, each only if its claim is still held by {@code owner}: a job that was deleted,
     * requeued or taken back from this server in the meantime keeps its newer state. Returns how many were
     * recorded.
     */
    public int complete(LoopConnection loop, String owner, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        return transactions.inServerTransaction(loop, c -> {
            Map<Long, Outcome> byJob = new HashMap<>();
            for (Outcome o : outcomes) {
                byJob.put(o.claimed().claim(), o);
            }
            // one locking read, in id order like every state change, so that none of them deadlocks with this
            List<Transition> transitions = new ArrayList<>(byJob.size());
            for (JobRow row : jobs.lockJobs(c, byJob.keySet())) {
                Outcome o = byJob.get(row.id());
                if (row.claimedBy(owner, o.claimed().attempt())) {
                    transitions.add(o.transition().from(row));
                }
            }
            states.applyOutcomes(c, transitions, JobClock.now());
            return transitions.size();
        });
    }

    /**
     * Records the success of a transactional job in the caller's JTA transaction, the job's own, if the claim it ran
     * under is still held with a live lease: the job row is locked from here to the commit, so no other server can
     * claim it in between. Returns false, recording nothing, when the claim was taken back or claimed again: the
     * caller must then roll back, and the job's writes with it.
     */
    public boolean completeInJobTransaction(ClaimedJob claimed, Transition success) {
        return transactions.inTransaction(c -> {
            Instant now = JobClock.now();
            JobRow row = queueRows.lockHeldClaim(c, claimed.claim(), claimed.job().owner(), claimed.attempt(), now);
            if (row == null) {
                return false;
            }
            states.applyOutcomes(c, List.of(success.from(row)), now);
            return true;
        });
    }

    /** The most connections the pool of the jobs' datasource hands out, or -1 when it does not say. */
    public int poolMaxSize() {
        return transactions.poolMaxSize();
    }

    /** Moves up to {@code limit} due scheduled jobs to their queues; returns how many. */
    public int enqueueDueScheduled(int limit) {
        return transactions.inServerTransaction(c -> {
            Instant now = JobClock.now();
            List<Transition> due = new ArrayList<>();
            for (JobRow row : jobs.lockDueScheduled(c, now, limit)) {
                due.add(Transition.to(row, JobState.ENQUEUED, "Scheduled time reached"));
            }
            states.apply(c, due, now);
            return due.size();
        });
    }

    /**
     * Returns up to {@code limit} jobs whose lease ran out to their queues, with a history entry that names the
     * server that held them; returns how many.
     */
    public int requeueExpiredLeases(int limit) {
        return transactions.inServerTransaction(c -> {
            Instant now = JobClock.now();
            List<JobRow> expired = queueRows.lockExpiredLeases(c, now, limit);
            if (expired.isEmpty()) {
                return 0;
            }
            Map<String, Instant> heartbeats = servers.lastHeartbeats(c, expired.stream().map(JobRow::owner).toList());
            List<Transition> back = new ArrayList<>();
            for (JobRow row : expired) {
                String owner = row.owner();
                Instant heartbeat = heartbeats.get(owner);
                back.add(Transition.to(row, JobState.ENQUEUED, "Server " + owner + " stopped renewing its lease on the job ("
                        + (heartbeat == null ? "it is no longer registered: declared dead, or back under a new id"
                                : "last heartbeat at " + heartbeat)
                        + "); returned to the queue")
                        .withData(Map.of("deadServer", owner)));
            }
            states.apply(c, back, now);
            return back.size();
        });
    }

    /** Removes up to {@code limit} jobs past their expiration time; returns how many. */
    public int removeExpired(int limit) {
        return transactions.inServerTransaction(c -> {
            Instant now = JobClock.now();
            Map<Long, JobState> expired = jobs.lockExpired(c, now, limit);
            jobs.deleteJobs(c, expired.keySet());
            Map<JobState, Integer> gone = new java.util.EnumMap<>(JobState.class);
            expired.values().forEach(state -> gone.merge(state, -1, Integer::sum));
            statistics.record(c, Map.of(), gone, now);
            return expired.size();
        });
    }

    /**
     * Removes up to {@code limit} finished batches past their expiration time, once nothing of them remains: their
     * jobs and nested batches are gone (removed by their own expiration), and no continuation waits for them. A
     * continuation that was released keeps the batch's id and does not hold the batch. A batch that still has members
     * is looked at again when the last of them expires, or, if one has not finished (a job requeued after the batch
     * finished), after another expiration period. Returns how many were removed.
     */
    public int removeExpiredBatches(int limit) {
        return transactions.inServerTransaction(c -> {
            Instant now = JobClock.now();
            List<BatchRow> due = batches.lockExpired(c, now, limit);
            Map<Long, BatchStore.Remains> remains = batches.remains(c, due.stream().map(BatchRow::id).toList());
            // nested batches first: a parent whose last nested batches go in this round goes with them
            Set<Long> removed = new HashSet<>();
            boolean more = true;
            while (more) {
                more = false;
                for (BatchRow row : due) {
                    BatchStore.Remains left = remains.get(row.id());
                    if (!removed.contains(row.id()) && (left == null
                            || left.jobs == 0 && !left.awaited && removed.containsAll(left.children))) {
                        more = removed.add(row.id());
                    }
                }
            }
            for (BatchRow row : due) {
                if (!removed.contains(row.id())) {
                    BatchStore.Remains left = remains.get(row.id());
                    Instant next = left.unfinished ? now.plus(config.jobExpiration())
                            : left.latest != null && left.latest.isAfter(now) ? left.latest : now;
                    batches.postpone(c, row.id(), next);
                }
            }
            batches.delete(c, removed);
            return removed.size();
        });
    }

    /**
     * Refreshes this server's heartbeat and renews the leases of the claims it holds, in one transaction. Returns
     * false, renewing nothing, when the server row is gone: another server declared this one dead.
     */
    public boolean heartbeat(String serverId, Collection<Long> claims, Instant leaseUntil) {
        return transactions.inServerTransaction(c -> {
            if (!servers.heartbeat(c, serverId, JobClock.now())) {
                return false;
            }
            queueRows.renewLeases(c, serverId, claims, leaseUntil);
            return true;
        });
    }

    /** Adds this server's row, with what it serves. */
    public void register(String serverId, List<String> queues, int workers, Instant startedAt) {
        transactions.inServerTransaction(c -> {
            servers.insert(c, serverId, queues, workers, startedAt, JobClock.now());
            return null;
        });
    }

    /** The claims among these that {@code owner} still holds: the others were deleted or requeued elsewhere. */
    public Set<Long> ownedClaims(String owner, Collection<Long> claims) {
        return transactions.inServerTransaction(c -> queueRows.owned(c, claims, owner));
    }

    /** Merges raw statistics rows; returns how many rows it removed. */
    public int aggregateStatistics(int limit) {
        return transactions.inServerTransaction(c -> statistics.aggregate(c, limit));
    }

    /** Removes statistics past their retention; returns how many rows. */
    public int removeExpiredStatistics(int limit) {
        return transactions.inServerTransaction(c -> statistics.removeExpired(c, JobClock.now(), limit));
    }

    /** Removes limit slots whose job is no longer claimed; returns how many. */
    public int sweepLocks() {
        return locks.enabled() ? transactions.inServerTransaction(locks::sweep) : 0;
    }

    /** Removes the rows of servers that stopped heartbeating before {@code deadline}; returns their ids. */
    public List<String> removeDeadServers(Instant deadline) {
        return transactions.inServerTransaction(c -> servers.removeSilentSince(c, deadline));
    }

    public void removeServer(String serverId) {
        transactions.inNewTransaction(c -> {
            servers.delete(c, serverId);
            return null;
        });
    }
}
