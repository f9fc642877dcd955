package io.quarkiverse.hangfire.runtime.server;

/** Removes finished jobs past their expiration time, then statistics past their retention, in bounded batches. */
final class ExpirationManager implements ServerLoop.Round {

    private final ServerLoop.Round steps;

    ExpirationManager(ServerTransactions storage, int batch) {
        this.steps = ServerLoop.inTurn(
                () -> storage.removeExpired(batch) == batch,
                () -> storage.removeExpiredStatistics(batch) == batch);
    }

    @Override
    public boolean run() throws InterruptedException {
        return steps.run();
    }
}
