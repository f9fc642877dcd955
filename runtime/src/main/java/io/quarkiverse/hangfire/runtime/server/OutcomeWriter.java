package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.quarkiverse.hangfire.runtime.storage.LoopConnection;

/**
 * Records the outcomes the workers report, in batches: one transaction for the outcomes of many workers, on a
 * connection kept while outcomes keep coming. An outcome is kept until the database has it, and written only if
 * this server still owns its claim.
 */
final class OutcomeWriter {

    private static final int BATCH = 200;
    /** How long the writer waits to gather the outcomes of other workers into one transaction. */
    private static final long GATHER_MICROS = 2000;
    /** How long an idle writer waits for an outcome before it looks again whether it should stop. */
    private static final long IDLE_POLL_MILLIS = 200;
    /** How long a stop waits for the batch in progress. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final ServerTransactions storage;
    private final ServerIdentity identity;
    private final HeldClaims held;
    private final BlockingQueue<ServerTransactions.Outcome> outcomes = new LinkedBlockingQueue<>();
    // its idle wait is the poll for the next outcome
    private final ServerLoop loop = ServerLoop.busy("outcome recording", Duration.ZERO, this::writeNextBatch);

    OutcomeWriter(ServerTransactions storage, ServerIdentity identity, HeldClaims held) {
        this.storage = storage;
        this.identity = identity;
        this.held = held;
    }

    void start() {
        loop.start();
    }

    ServerLoop loop() {
        return loop;
    }

    void add(ServerTransactions.Outcome outcome) {
        outcomes.add(outcome);
    }

    void addAll(Collection<ServerTransactions.Outcome> more) {
        outcomes.addAll(more);
    }

    /** Drops every outcome not written yet, when the server fenced itself; returns how many. */
    int dropAll() {
        List<ServerTransactions.Outcome> dropped = new ArrayList<>();
        outcomes.drainTo(dropped);
        return dropped.size();
    }

    /** Stops after the batch in progress, then writes what is left on a connection of its own. */
    void stop() {
        loop.requestStop();
        loop.join(STOP_TIMEOUT);
        List<ServerTransactions.Outcome> left = new ArrayList<>();
        outcomes.drainTo(left);
        if (!left.isEmpty()) {
            loop.attempt(() -> write(null, left));
        }
    }

    private boolean writeNextBatch() throws InterruptedException {
        ServerTransactions.Outcome first = outcomes.poll();
        if (first == null) {
            loop.connection().release();
            first = outcomes.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (first == null) {
                return false;
            }
        }
        List<ServerTransactions.Outcome> batch = new ArrayList<>();
        batch.add(first);
        if (outcomes.size() < BATCH - 1) {
            // a moment for the outcomes of the other workers, so that one transaction records them together
            TimeUnit.MICROSECONDS.sleep(GATHER_MICROS);
        }
        outcomes.drainTo(batch, BATCH - 1);
        try {
            write(loop.connection(), batch);
        } catch (RuntimeException e) {
            // keep them: an outcome is only dropped once the database has it
            outcomes.addAll(batch);
            throw e;
        }
        return !outcomes.isEmpty();
    }

    /** Records a batch on {@code connection} (null: a borrowed one) and lets its claims go. */
    private void write(LoopConnection connection, List<ServerTransactions.Outcome> batch) {
        storage.complete(connection, identity.id(), batch);
        batch.forEach(o -> held.release(o.claimed()));
    }
}
