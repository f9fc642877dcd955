package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.state.Transition;
import io.quarkiverse.hangfire.runtime.storage.JobClock;

/**
 * Claims jobs for the workers and runs them: one job per idle worker and, while the queues have a backlog of short
 * jobs, a few ahead of the workers, so that a worker that finishes a job starts the next without waiting for a
 * claim. Workers run on a managed executor and hand their outcomes to the {@link OutcomeWriter}. A local enqueue
 * wakes the claiming loop after its commit; otherwise it polls.
 */
final class Dispatcher {

    /**
     * How long a job claimed ahead may wait for a worker, at the average run time of recent jobs. This bounds
     * how many jobs one server holds that it has not started, which another, idle server could have run.
     */
    private static final long AHEAD_HORIZON_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long a stop waits for a claim in progress before it interrupts it, and then for its jobs to be handed out. */
    private static final Duration CLAIM_GRACE = Duration.ofSeconds(1);
    private static final Duration INTERRUPTED_CLAIM_GRACE = Duration.ofSeconds(5);

    private final HangfireConfig.Server config;
    private final ServerTransactions storage;
    private final JobPerformer performer;
    private final ServerIdentity identity;
    private final HeldClaims held;
    private final OutcomeWriter outcomes;
    private final List<String> queues;
    private final int workerCount;
    private final ServerLoop loop;
    private ManagedExecutor workers;

    /** Guards {@link #idleWorkers}, {@link #ahead} and {@link #backlog}; the loop waits on it for room to claim. */
    private final Object dispatch = new Object();
    private int idleWorkers;
    /** Jobs claimed ahead of the workers, oldest first: a worker that finishes a job takes the next from here. */
    private final ArrayDeque<ClaimedJob> ahead = new ArrayDeque<>();
    /** Whether the last claim got all it asked for: more jobs are probably waiting. */
    private boolean backlog;
    /** Moving average of a job's run time on a worker, in nanoseconds; negative until a job ran. */
    private volatile long averageRunNanos = -1;

    Dispatcher(HangfireConfig.Server config, ServerTransactions storage, JobPerformer performer, ServerIdentity identity,
            HeldClaims held, OutcomeWriter outcomes) {
        this.config = config;
        this.storage = storage;
        this.performer = performer;
        this.identity = identity;
        this.held = held;
        this.outcomes = outcomes;
        this.queues = List.copyOf(config.queues());
        this.workerCount = HangfireConfig.effectiveWorkers(config);
        this.idleWorkers = workerCount;
        this.loop = ServerLoop.busy("job fetch", config.pollInterval(), this::claimRound);
    }

    void start() {
        workers = ManagedExecutor.builder().maxAsync(workerCount).maxQueued(workerCount)
                .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();
        loop.start();
    }

    ServerLoop loop() {
        return loop;
    }

    /** How many workers run a job now. */
    int busyWorkers() {
        synchronized (dispatch) {
            return workerCount - idleWorkers;
        }
    }

    /** Wakes the loop: jobs were enqueued, it should not wait for its poll interval. */
    void wake() {
        loop.wake();
    }

    /** Stops claiming; returns once the claim in progress, if any, handed out its jobs or was interrupted. */
    void stopClaiming() {
        loop.requestStop();
        synchronized (dispatch) {
            dispatch.notifyAll();
        }
        if (!loop.join(CLAIM_GRACE)) {
            loop.interrupt();
            loop.join(INTERRUPTED_CLAIM_GRACE);
        }
    }

    /** Stops the workers' executor, once the jobs have ended or been cancelled. */
    void stopWorkers() {
        workers.shutdownNow();
    }

    /** Claims what {@link #wanted()} says and hands the jobs to idle workers; true when it got all it asked for. */
    private boolean claimRound() throws InterruptedException {
        if (!identity.registered()) {
            // fenced, or not registered yet: claims would carry an identity nobody renews
            return false;
        }
        int wanted;
        boolean drained;
        synchronized (dispatch) {
            while ((wanted = wanted()) == 0 && loop.running()) {
                // all workers busy: a wait, not a hang
                loop.waitingForWork();
                dispatch.wait();
            }
            drained = !backlog;
        }
        loop.working();
        if (!loop.running()) {
            return false;
        }
        if (drained && !storage.anyWaiting(loop.connection(), queues)) {
            // the last claim emptied the queues and none has a job now: an index entry read, no locking claim
            return false;
        }
        String owner = identity.id();
        List<ClaimedJob> claimed;
        try {
            ServerTransactions.Claim claim = storage.claimRound(loop.connection(), owner, queues, wanted,
                    JobClock.now().plus(config.leaseTimeout()));
            claimed = claim.jobs();
            if (claim.retryAt() != null) {
                // a job waits for a rate limit's window, or jobs past their deadline took room: look again then
                loop.nextWaitAtMost(java.time.Duration.between(JobClock.now(), claim.retryAt()));
            }
        } catch (RuntimeException e) {
            synchronized (dispatch) {
                backlog = false;
            }
            throw e;
        }
        List<ClaimedJob> toStart = new ArrayList<>();
        synchronized (dispatch) {
            if (!owner.equals(identity.id())) {
                // fenced during the claim: the fence has emptied (or will empty) the jobs claimed ahead, and these
                // carry the identity it gave up. Kept, they would wait here for workers that no longer take jobs
                // ahead, and with as many as the idle workers the loop would wait for ever. Other servers run
                // them once their leases expire.
                backlog = false;
                return false;
            }
            claimed.forEach(held::add);
            backlog = claimed.size() == wanted;
            ahead.addAll(claimed);
            while (idleWorkers > 0 && !ahead.isEmpty()) {
                idleWorkers--;
                toStart.add(ahead.poll());
            }
        }
        for (ClaimedJob job : toStart) {
            workers.execute(() -> work(job));
        }
        // fewer than asked for: the queues are drained, sleep until a local enqueue wakes us or the poll interval passes
        return claimed.size() == wanted;
    }

    /**
     * How many jobs to claim now (under {@link #dispatch}): one per idle worker, and while the queues have a
     * backlog of short jobs, enough to refill the jobs claimed ahead once they run down to half. Zero means wait.
     */
    private int wanted() {
        int limit = backlog ? aheadLimit() : 0;
        int refill = limit > 0 && ahead.size() <= limit / 2 ? limit - ahead.size() : 0;
        return Math.min(config.fetchBatchSize(), Math.max(0, idleWorkers - ahead.size()) + refill);
    }

    /**
     * How many jobs may wait here for a worker: as many as the workers finish within {@link #AHEAD_HORIZON_NANOS}
     * at the recent average run time, at most a fetch batch. Jobs of a second or more are never claimed ahead.
     */
    private int aheadLimit() {
        long average = averageRunNanos;
        if (average < 0) {
            return 0;
        }
        long fit = workerCount * AHEAD_HORIZON_NANOS / Math.max(1, average);
        return (int) Math.min(config.fetchBatchSize(), fit);
    }

    /** A worker: runs its job, then the jobs claimed ahead while there are any, then goes idle. */
    private void work(ClaimedJob first) {
        ClaimedJob job = first;
        try {
            while (job != null) {
                long started = System.nanoTime();
                run(job);
                long took = System.nanoTime() - started;
                long average = averageRunNanos;
                averageRunNanos = average < 0 ? took : average + (took - average) / 8;
                job = nextOrIdle();
            }
        } catch (RuntimeException | Error e) {
            synchronized (dispatch) {
                goIdle();
            }
            throw e;
        }
    }

    private void run(ClaimedJob job) {
        Transition outcome = performer.perform(job);
        if (outcome != null) {
            outcomes.add(new ServerTransactions.Outcome(job, outcome));
        } else {
            held.release(job);
        }
    }

    /** The next job claimed ahead, or null after counting this worker idle. */
    private ClaimedJob nextOrIdle() {
        synchronized (dispatch) {
            ClaimedJob next = identity.registered() ? ahead.poll() : null;
            if (next == null) {
                goIdle();
            } else {
                // the jobs claimed ahead may have run down to the refill mark
                dispatch.notifyAll();
            }
            return next;
        }
    }

    /** Counts a worker idle (under {@link #dispatch}) and lets the loop, or a stop waiting for idle workers, see it. */
    private void goIdle() {
        idleWorkers++;
        dispatch.notifyAll();
    }

    /** The claims of the jobs claimed ahead, not started yet. */
    List<Long> aheadClaims() {
        synchronized (dispatch) {
            return ahead.stream().map(ClaimedJob::claim).toList();
        }
    }

    /** Takes every job claimed ahead out of the dispatcher, to return them or drop them. */
    List<ClaimedJob> takeAllAhead() {
        synchronized (dispatch) {
            List<ClaimedJob> all = new ArrayList<>(ahead);
            ahead.clear();
            return all;
        }
    }

    /**
     * Drops a job claimed ahead that was taken out of Processing here or elsewhere before it started; returns
     * whether it was waiting here.
     */
    boolean dropAhead(long claim) {
        List<ClaimedJob> dropped = new ArrayList<>(1);
        synchronized (dispatch) {
            ahead.removeIf(job -> job.claim() == claim && dropped.add(job));
        }
        dropped.forEach(held::release);
        return !dropped.isEmpty();
    }

    /** Waits up to {@code timeout} until every worker is idle; returns whether they are. */
    boolean awaitIdleWorkers(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (dispatch) {
            while (idleWorkers < workerCount) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(dispatch, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    List<String> queues() {
        return queues;
    }

    int workerCount() {
        return workerCount;
    }
}
