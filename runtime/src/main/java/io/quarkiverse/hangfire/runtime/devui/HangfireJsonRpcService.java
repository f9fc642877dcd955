package io.quarkiverse.hangfire.runtime.devui;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.hangfire.JobMonitor;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.smallrye.common.annotation.Blocking;

/**
 * What the Dev UI card polls: the numbers a developer glances at while the application runs in dev mode. Registered
 * as a JSON-RPC provider only in dev mode; each public method is callable from the card as {@code jsonRpc.<name>()}.
 */
public class HangfireJsonRpcService {

    @Inject
    JobScheduler jobs;

    /** Reads the database, so it runs on a worker thread, never on the event loop. */
    @Blocking
    public Counts getCounts() {
        JobMonitor monitor = jobs.monitor();
        return new Counts(monitor.countsByState(), monitor.enqueuedCountsByQueue(), monitor.servers().size(),
                jobs.recurring().list().size());
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
