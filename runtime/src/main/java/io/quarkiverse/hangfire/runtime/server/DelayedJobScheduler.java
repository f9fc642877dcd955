package io.quarkiverse.hangfire.runtime.server;

/** Moves scheduled jobs and retries whose time came to their queues, in bounded batches. */
final class DelayedJobScheduler implements ServerLoop.Round {

    private static final int BATCH = 1000;

    private final ServerTransactions storage;

    DelayedJobScheduler(ServerTransactions storage) {
        this.storage = storage;
    }

    @Override
    public boolean run() {
        return storage.enqueueDueScheduled(BATCH) == BATCH;
    }
}
