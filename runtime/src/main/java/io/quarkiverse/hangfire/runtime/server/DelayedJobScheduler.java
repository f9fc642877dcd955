package io.quarkiverse.hangfire.runtime.server;

/**
 * Moves scheduled jobs and retries whose time came to their queues, and deletes jobs whose deadline passed before they
 * started (in a paused queue, say), in bounded batches.
 */
final class DelayedJobScheduler implements ServerLoop.Round {

    private static final int BATCH = 1000;

    private final ServerTransactions storage;

    DelayedJobScheduler(ServerTransactions storage) {
        this.storage = storage;
    }

    @Override
    public boolean run() {
        boolean more = storage.enqueueDueScheduled(BATCH) == BATCH;
        return storage.deletePastDeadline(BATCH) == BATCH || more;
    }
}
