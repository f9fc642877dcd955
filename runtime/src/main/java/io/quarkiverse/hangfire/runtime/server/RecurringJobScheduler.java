package io.quarkiverse.hangfire.runtime.server;

import io.quarkiverse.hangfire.runtime.recurring.RecurringStore;

/**
 * Creates the occurrences of recurring jobs that are due, in bounded batches; {@link RecurringStore} makes sure
 * that each occurrence is created once across all servers.
 */
final class RecurringJobScheduler implements ServerLoop.Round {

    private static final int BATCH = 200;

    private final RecurringStore recurring;

    RecurringJobScheduler(RecurringStore recurring) {
        this.recurring = recurring;
    }

    @Override
    public boolean run() {
        return recurring.enqueueDue(BATCH) == BATCH;
    }
}
