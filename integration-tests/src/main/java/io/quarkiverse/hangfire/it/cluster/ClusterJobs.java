package io.quarkiverse.hangfire.it.cluster;

import jakarta.inject.Inject;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobCancelledException;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.it.Effects;

/**
 * The jobs of the process-level cluster tests. Each run records itself in {@link ExecutionLog} when it starts
 * and when it ends, and sleeps in between, stopping early when it is cancelled.
 */
public class ClusterJobs {

    /** The key of the rows the cluster jobs insert into {@code it_effect}. */
    public static final String EFFECT_KEY = "cluster";

    @Inject
    ExecutionLog executions;

    @Inject
    Effects effects;

    /** Sleeps {@code millis}. */
    @BackgroundJob
    public void work(long millis, JobContext context) {
        run(millis, context);
    }

    /** Sleeps {@code firstAttemptMillis} on the first attempt, {@code laterMillis} on the next ones. */
    @BackgroundJob
    public void slowFirstAttempt(long firstAttemptMillis, long laterMillis, JobContext context) {
        run(context.attempt() == 1 ? firstAttemptMillis : laterMillis, context);
    }

    /** Unique per key while it waits to start (the uniqueness test keeps the queue paused). */
    @BackgroundJob(unique = "u-{key}")
    public void unique(String key, JobContext context) {
        run(1, context);
    }

    /** At most 20 starts per second across all servers. */
    @BackgroundJob(rateLimit = "20/PT1S")
    public void rated(JobContext context) {
        run(1, context);
    }

    /** Inserts its row into {@code it_effect} in its transaction, then sleeps {@code millis} like {@link #work}. */
    @BackgroundJob(transactional = true)
    public void workInTransaction(long millis, JobContext context) {
        effects.insert(EFFECT_KEY, context);
        run(millis, context);
    }

    /**
     * A job that does not cooperate: it inserts its row into {@code it_effect} in its transaction, then runs
     * {@code millis} whatever happens, ignoring cancellation and interrupts.
     */
    @BackgroundJob(transactional = true)
    public void stubbornInTransaction(long millis, JobContext context) {
        long execution = executions.started(context.jobId(), context.attempt());
        try {
            effects.insert(EFFECT_KEY, context);
            ignoreEverythingFor(millis);
        } finally {
            executions.ended(execution, context.isCancellationRequested());
        }
    }

    /**
     * A job that does not cooperate and has effects outside the database transaction: it runs {@code millis} whatever
     * happens, then writes to a fenced external store ({@code it_fenced}, which refuses a token lower than the one it
     * holds) and to its log. Each refused write is recorded in {@code it_refusal}.
     */
    @BackgroundJob
    public void stubborn(long millis, JobContext context) {
        long execution = executions.started(context.jobId(), context.attempt());
        try {
            ignoreEverythingFor(millis);
            if (!executions.fencedWrite(context.jobId(), context.fencingToken())) {
                executions.refused(context.jobId(), context.fencingToken(), "external");
            }
            try {
                context.log("finished with token " + context.fencingToken());
            } catch (JobCancelledException e) {
                executions.refused(context.jobId(), context.fencingToken(), "server");
            }
        } finally {
            executions.ended(execution, context.isCancellationRequested());
        }
    }

    private static void ignoreEverythingFor(long millis) {
        // the monotonic clock runs on while the process is stopped: a stopped job resumes past its end
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                // ignored, as a job that does not cooperate would
            }
        }
    }

    private void run(long millis, JobContext context) {
        long execution = executions.started(context.jobId(), context.attempt());
        boolean interrupted = false;
        long deadline = System.nanoTime() + millis * 1_000_000;
        try {
            for (long left; !context.isCancellationRequested() && (left = deadline - System.nanoTime()) > 0;) {
                Thread.sleep(Math.min(20, Math.max(1, left / 1_000_000)));
            }
        } catch (InterruptedException e) {
            // the server interrupts the jobs it gives up on at shutdown; they are cancelled as well
            interrupted = true;
        }
        executions.ended(execution, context.isCancellationRequested());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
