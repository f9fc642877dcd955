package io.quarkiverse.hangfire.runtime.server;

/** Removes finished jobs past their expiration time, then statistics past their retention, in bounded batches. */
final class ExpirationManager implements ServerLoop.Round {

    private final ServerTransactions storage;
    private final int batch;

    ExpirationManager(ServerTransactions storage, int batch) {
        this.storage = storage;
        this.batch = batch;
    }

    @Override
    public boolean run() {
        if (storage.removeExpired(batch) == batch) {
            // more jobs expired: remove them first
            return true;
        }
        return storage.removeExpiredStatistics(batch) == batch;
    }
}
