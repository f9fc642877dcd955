package io.quarkiverse.hangfire.it;

import jakarta.inject.Inject;

import io.quarkiverse.hangfire.BackgroundJob;

/** Jobs with flow control: priorities, unique keys, deadlines and rate limits. Each records its start under a key. */
public class FlowJobs {

    @Inject
    Executions executions;

    /** In the "flow" queue, which runs one job at a time (configuration), so that the order of starts shows. */
    @BackgroundJob(queue = "flow", retries = 0)
    public void ordered(String key, String label) {
        executions.record(key, label);
    }

    /** Unique per customer while it waits to start. */
    @BackgroundJob(unique = "sync-{customer}", retries = 0)
    public void sync(String customer, String key) {
        executions.record(key, customer);
    }

    /** Unique per customer until it finished, and for 1 hour after it succeeded. */
    @BackgroundJob(unique = "report-{0}", uniqueWhileProcessing = true, uniqueAfterFinish = "PT1H", retries = 0)
    public void report(String customer, String key) {
        executions.record(key, customer);
    }

    /** Deleted when it has not started within a second of its creation; priority 2. */
    @BackgroundJob(queue = "flow", deadline = "PT1S", priority = 2, retries = 0)
    public void hurried(String key) {
        executions.record(key);
    }

    /** At most 5 starts per second per tenant. */
    @BackgroundJob(rateLimit = "5/PT1S", rateLimitKey = "tenant-{tenant}", retries = 0)
    public void rated(String tenant, String key) {
        executions.record(key, System.currentTimeMillis());
    }

    /**
     * At most 100 starts a minute per tenant and API key. The key is a secret (its name is redacted), so the dashboard
     * hides the values in this limit's name.
     */
    @BackgroundJob(rateLimit = "100/PT1M", rateLimitKey = "{tenant}-{apiKey}", retries = 0)
    public void apiCall(String tenant, String apiKey, String key) {
        executions.record(key, tenant);
    }

    /** In the "flow" queue and unique per key, also while it runs: a recurring job on it never overlaps itself. */
    @BackgroundJob(queue = "flow", unique = "exclusive-{key}", uniqueWhileProcessing = true, retries = 0)
    public void exclusive(String key) {
        executions.record(key);
    }
}
