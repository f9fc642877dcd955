package io.quarkiverse.hangfire.it.observability;

import io.quarkiverse.hangfire.BackgroundJob;

/** The jobs of the known workload the metrics test runs. */
public class WorkloadJobs {

    @BackgroundJob(name = "workload.quick", retries = 0)
    public void quick(long sleepMillis) throws InterruptedException {
        Thread.sleep(sleepMillis);
    }

    /** Fails its first attempt, succeeds its retry. */
    @BackgroundJob(name = "workload.flaky", retries = 1, retryDelays = "PT0S")
    public void flaky(io.quarkiverse.hangfire.JobContext context) {
        if (context.attempt() == 1) {
            throw new IllegalStateException("first attempt fails");
        }
    }

    @BackgroundJob(name = "workload.broken", retries = 0)
    public void broken() {
        throw new IllegalArgumentException("always fails");
    }

    /** In a queue no server of this app serves: it waits there, for the backlog gauges. */
    @BackgroundJob(name = "workload.waiting", queue = "unserved")
    public void waiting() {
    }
}
