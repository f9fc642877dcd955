package io.quarkiverse.hangfire.runtime.server;

import io.quarkiverse.hangfire.runtime.recurring.RecurringJobManager;

/**
 * Creates the occurrences of recurring jobs that are due, in bounded batches; {@link RecurringJobManager} makes sure
 * that each occurrence is created once across all servers.
 */
final class RecurringJobScheduler implements ServerLoop.Round {

    private static final int BATCH = 200;

    private final RecurringJobManager recurring;

    RecurringJobScheduler(RecurringJobManager recurring) {
        this.recurring = recurring;
    }

    @Override
    public boolean run() {
        return recurring.enqueueDue(BATCH) == BATCH;
    }
}
