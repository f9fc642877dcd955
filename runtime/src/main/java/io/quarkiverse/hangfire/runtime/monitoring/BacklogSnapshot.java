package io.quarkiverse.hangfire.runtime.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.storage.CountReads;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.QueueReads;
import io.quarkiverse.hangfire.runtime.storage.RecurringReads;
import io.quarkiverse.hangfire.runtime.storage.ServerReads;
import io.quarkiverse.hangfire.runtime.storage.Transactions;

/**
 * The numbers the health checks and the metrics' gauges show about the whole job system (every server's work, not
 * only this instance's): jobs per state, per queue the jobs waiting and since when the oldest waits, and how late
 * the recurring jobs' creation is. Read in one read transaction of a few simple queries at most once per
 * {@code quarkus.hangfire.snapshot-interval}, by whoever asks first once the last one is older; everyone else gets the cached one, so a scrape or a health probe never queries per gauge.
 */
@Singleton
public class BacklogSnapshot {

    private static final Logger LOG = Logger.getLogger(BacklogSnapshot.class);

    /**
     * @param enqueued jobs waiting in the queue (not claimed)
     * @param oldestEnqueuedAt when the oldest of them entered it, or null when none waits
     */
    public record QueueBacklog(long enqueued, Instant oldestEnqueuedAt) {

        /** How long the oldest waiting job has waited at {@code now}; zero when none waits. */
        public Duration oldestAge(Instant now) {
            return oldestEnqueuedAt == null || oldestEnqueuedAt.isAfter(now) ? Duration.ZERO
                    : Duration.between(oldestEnqueuedAt, now);
        }
    }

    /**
     * @param byState jobs per state, every state present
     * @param queues the backlog of every queue that has waiting jobs, by name
     * @param liveServers the servers with a row (those declared dead are removed by the watchdog)
     * @param oldestDueRecurring the earliest due, not yet created occurrence of a recurring job that is not paused;
     *        null when none is due
     * @param takenAt when it was read
     */
    public record Snapshot(Map<JobState, Long> byState, Map<String, QueueBacklog> queues, int liveServers,
            Instant oldestDueRecurring, Instant takenAt) {

        /** How late the recurring jobs' creation is: zero when no occurrence is due. */
        public Duration recurringLateness() {
            return oldestDueRecurring == null || oldestDueRecurring.isAfter(takenAt) ? Duration.ZERO
                    : Duration.between(oldestDueRecurring, takenAt);
        }
    }

    @Inject
    Transactions storage;

    @Inject
    HangfireConfig config;

    private volatile Snapshot last;

    /**
     * The snapshot, read again first when the cached one is older than the interval. Throws when the database does
     * not answer and no snapshot was read yet; otherwise a failed refresh keeps the last one (see its {@code takenAt}).
     */
    public Snapshot current() {
        Snapshot s = last;
        if (s != null && s.takenAt().plus(config.snapshotInterval()).isAfter(JobClock.now())) {
            return s;
        }
        synchronized (this) {
            s = last;
            if (s != null && s.takenAt().plus(config.snapshotInterval()).isAfter(JobClock.now())) {
                return s;
            }
            try {
                last = s = read();
            } catch (RuntimeException e) {
                if (s == null) {
                    throw e;
                }
                LOG.debugf("Hangfire could not refresh its backlog snapshot; keeping the one of %s: %s", s.takenAt(), e);
            }
            return s;
        }
    }

    /** One read transaction: the counts, the queues, the servers and the recurring jobs as of one moment. */
    private Snapshot read() {
        Instant now = JobClock.now();
        return storage.read(session -> {
            Map<String, QueueBacklog> backlog = new TreeMap<>();
            QueueReads.backlog(session).forEach((queue, b) -> backlog.put(queue,
                    new QueueBacklog(b.enqueued(), b.oldestEnqueuedAt())));
            return new Snapshot(CountReads.byState(session), backlog,
                    ServerReads.alive(session, config.server().leaseTimeout()).size(),
                    RecurringReads.oldestDue(session, now), now);
        });
    }
}
