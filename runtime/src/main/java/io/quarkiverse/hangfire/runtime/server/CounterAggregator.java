package io.quarkiverse.hangfire.runtime.server;

/**
 * Merges the statistics rows that state changes append (no hot row to update) into one row per counter, in bounded
 * batches.
 */
final class CounterAggregator implements ServerLoop.Round {

    private static final int BATCH = 1000;

    private final ServerTransactions storage;

    CounterAggregator(ServerTransactions storage) {
        this.storage = storage;
    }

    @Override
    public boolean run() {
        return storage.aggregateStatistics(BATCH) > 0;
    }
}
