package io.quarkiverse.hangfire.it.observability;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkiverse.hangfire.JobFilter;

/**
 * Fails the creation of {@code workload.blocked} jobs while {@link #BLOCKED} is set, as a filter whose dependency is
 * down would: a recurring job of it stays due, and the recurring lateness gauge grows.
 */
@ApplicationScoped
public class BlockingFilter implements JobFilter {

    public static volatile boolean BLOCKED;

    @Override
    public void onCreating(Creating job) {
        if (BLOCKED && job.jobName().equals("workload.blocked")) {
            throw new IllegalStateException("the creation of workload.blocked is blocked by the test");
        }
    }
}
