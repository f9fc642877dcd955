package io.quarkiverse.hangfire.runtime.storage;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.hibernate.Session;

/**
 * The reads of the queues (the queue columns of the job rows, schema version 3) shared by the monitor API, the dashboard and the Dev UI. Each runs in the caller's session
 * (see {@link Transactions#read}).
 */
public final class QueueReads {

    private QueueReads() {
    }

    /**
     * A queue's jobs now.
     *
     * @param enqueued waiting for a worker
     * @param fetched claimed by a server
     */
    public record QueueCount(long enqueued, long fetched) {
    }

    /** The enqueued (not claimed) jobs per queue, by queue name; only queues that have some. */
    public static Map<String, Long> enqueuedByQueue(Session session) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Object[] row : session.createSelectionQuery(
                "select j.waitingQueue, count(j) from JobEntity j where j.waitingQueue is not null group by j.waitingQueue"
                        + " order by j.waitingQueue",
                Object[].class).getResultList()) {
            counts.put((String) row[0], (Long) row[1]);
        }
        return counts;
    }

    /**
     * A queue's backlog: its waiting jobs and when the oldest of them entered the queue.
     *
     * @param oldestEnqueuedAt null when none waits
     */
    public record Backlog(long enqueued, Instant oldestEnqueuedAt) {
    }

    /** The waiting (not claimed) jobs per queue and the oldest one's time, by queue name; only queues that have some. */
    public static Map<String, Backlog> backlog(Session session) {
        Map<String, Backlog> backlog = new TreeMap<>();
        for (Object[] row : session.createSelectionQuery("select j.waitingQueue, count(j), min(j.enqueuedAt)"
                + " from JobEntity j where j.waitingQueue is not null group by j.waitingQueue", Object[].class)
                .getResultList()) {
            backlog.put((String) row[0], new Backlog((Long) row[1], JobClock.fromDb((LocalDateTime) row[2])));
        }
        return backlog;
    }

    /** Enqueued and fetched jobs per queue, by queue name; only queues that have some. */
    public static Map<String, QueueCount> counts(Session session) {
        // the waiting ones on the claim index, the claimed ones (a few per worker) along the state's index
        Map<String, Long> enqueued = enqueuedByQueue(session);
        Map<String, Long> fetched = new LinkedHashMap<>();
        for (Object[] row : session.createSelectionQuery("select j.queue, count(j) from JobEntity j"
                + " where j.state = 'PROCESSING' group by j.queue", Object[].class).getResultList()) {
            fetched.put((String) row[0], (Long) row[1]);
        }
        Map<String, QueueCount> counts = new TreeMap<>();
        enqueued.forEach((queue, n) -> counts.put(queue, new QueueCount(n, fetched.getOrDefault(queue, 0L))));
        fetched.forEach((queue, n) -> counts.putIfAbsent(queue, new QueueCount(0, n)));
        return counts;
    }

    /** The ids of the next {@code max} jobs a worker of {@code queue} would take, first first. */
    public static List<Long> next(Session session, String queue, int max) {
        return session.createSelectionQuery(
                "select j.id from JobEntity j where j.waitingQueue = :queue"
                        + " order by j.priority, j.enqueuedAt, j.id", Long.class)
                .setParameter("queue", queue).setMaxResults(max).getResultList();
    }
}
