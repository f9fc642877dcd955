package io.quarkiverse.hangfire.it;

import jakarta.inject.Inject;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobContext;

/** Jobs with timeouts, mutexes and concurrency limits. Each records its run as an interval under a key. */
public class LimitedJobs {

    @Inject
    Executions executions;

    /** One at a time per group, across all servers. */
    @BackgroundJob(mutex = "group-{group}", retries = 0)
    public void exclusive(String key, String group, long millis) throws InterruptedException {
        run(millis, key + ":" + group, key);
    }

    /** At most two at a time, whatever the arguments. */
    @BackgroundJob(concurrency = 2, retries = 0)
    public void atMostTwo(String key, long millis) throws InterruptedException {
        run(millis, key);
    }

    /** In a queue that the configuration limits to one job at a time. */
    @BackgroundJob(queue = "limited", retries = 0)
    public void inLimitedQueue(String key, long millis) throws InterruptedException {
        run(millis, key);
    }

    /** Sleeps far past its timeout; records whether it saw the interrupt and the cancellation request. */
    @BackgroundJob(timeout = "PT0.5S", retries = 1, retryDelays = "PT0.1S")
    public void overrunsItsTimeout(String key, JobContext context) {
        executions.record(key + ":started");
        try {
            Thread.sleep(20_000);
        } catch (InterruptedException e) {
            executions.record(key + ":interrupted", context.isCancellationRequested());
        }
    }

    /** Holds a mutex while it runs until cancelled. */
    @BackgroundJob(mutex = "held-{0}", retries = 0)
    public void holdsMutex(String key, JobContext context) throws InterruptedException {
        executions.record(key + ":started");
        while (!context.isCancellationRequested()) {
            Thread.sleep(20);
        }
        executions.record(key + ":cancelled");
    }

    /** Sleeps, recorded as one interval under each key. */
    private void run(long millis, String... keys) throws InterruptedException {
        long[] started = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            started[i] = executions.started(keys[i]);
        }
        try {
            Thread.sleep(millis);
        } finally {
            for (int i = 0; i < keys.length; i++) {
                executions.ended(keys[i], started[i]);
            }
        }
    }
}
