package io.quarkiverse.hangfire.runtime.server;

/**
 * Removes finished jobs past their expiration time, then finished batches whose jobs are gone, then statistics past
 * their retention, in bounded batches.
 */
final class ExpirationManager implements ServerLoop.Round {

    private final ServerLoop.Round steps;

    ExpirationManager(ServerTransactions storage, int batch) {
        this.steps = ServerLoop.inTurn(
                () -> storage.removeExpired(batch) == batch,
                () -> storage.removeExpiredBatches(batch) == batch,
                () -> storage.removeExpiredStatistics(batch) == batch);
    }

    @Override
    public boolean run() throws InterruptedException {
        return steps.run();
    }
}
