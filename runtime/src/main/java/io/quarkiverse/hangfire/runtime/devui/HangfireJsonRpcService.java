package io.quarkiverse.hangfire.runtime.devui;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.storage.CountReads;
import io.quarkiverse.hangfire.runtime.storage.QueueReads;
import io.quarkiverse.hangfire.runtime.storage.RecurringReads;
import io.quarkiverse.hangfire.runtime.storage.ServerReads;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.smallrye.common.annotation.Blocking;

/**
 * What the Dev UI card polls: the numbers a developer glances at while the application runs in dev mode. Registered
 * as a JSON-RPC provider only in dev mode; each public method is callable from the card as {@code jsonRpc.<name>()}.
 * It reads through the read model the monitor API and the dashboard share, all numbers in one transaction.
 */
public class HangfireJsonRpcService {

    @Inject
    Transactions storage;

    @Inject
    HangfireConfig config;

    /** Reads the database, so it runs on a worker thread, never on the event loop. */
    @Blocking
    public Counts getCounts() {
        return storage.read(session -> new Counts(CountReads.byState(session), QueueReads.enqueuedByQueue(session),
                ServerReads.alive(session, config.server().leaseTimeout()).size(),
                Math.toIntExact(RecurringReads.count(session))));
    }

    /**
     * @param states jobs stored now in each state, every state present
     * @param enqueuedByQueue enqueued jobs per queue, only queues that have some
     * @param servers servers alive now
     * @param recurring recurring jobs, paused ones included
     */
    public record Counts(Map<JobState, Long> states, Map<String, Long> enqueuedByQueue, int servers, int recurring) {
    }
}
