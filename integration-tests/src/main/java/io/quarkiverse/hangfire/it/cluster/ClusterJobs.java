package io.quarkiverse.hangfire.it.cluster;

import jakarta.inject.Inject;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobContext;

/**
 * The jobs of the process-level cluster tests. Each run records itself in {@link ExecutionLog} when it starts
 * and when it ends, and sleeps in between, stopping early when it is cancelled.
 */
public class ClusterJobs {

    @Inject
    ExecutionLog executions;

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
