package io.quarkiverse.hangfire.runtime.storage;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.hibernate.Session;

/**
 * The reads of the queue shared by the monitor API, the dashboard and the Dev UI. Each runs in the caller's session
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
                "select q.queue, count(q) from JobQueueEntity q where q.owner is null group by q.queue order by q.queue",
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
        for (Object[] row : session.createSelectionQuery("select q.queue, count(q), min(q.enqueuedAt)"
                + " from JobQueueEntity q where q.owner is null group by q.queue", Object[].class).getResultList()) {
            backlog.put((String) row[0], new Backlog((Long) row[1], JobClock.fromDb((LocalDateTime) row[2])));
        }
        return backlog;
    }

    /** Enqueued and fetched jobs per queue, by queue name; only queues that have some. */
    public static Map<String, QueueCount> counts(Session session) {
        Map<String, QueueCount> counts = new LinkedHashMap<>();
        for (Object[] row : session.createSelectionQuery("select q.queue, sum(case when q.owner is null then 1 else 0 end),"
                + " sum(case when q.owner is null then 0 else 1 end) from JobQueueEntity q group by q.queue order by q.queue",
                Object[].class).getResultList()) {
            counts.put((String) row[0], new QueueCount(((Number) row[1]).longValue(), ((Number) row[2]).longValue()));
        }
        return counts;
    }

    /** The ids of the next {@code max} jobs a worker of {@code queue} would take, first first. */
    public static List<Long> next(Session session, String queue, int max) {
        return session.createSelectionQuery(
                "select q.jobId from JobQueueEntity q where q.queue = :queue and q.owner is null order by q.id", Long.class)
                .setParameter("queue", queue).setMaxResults(max).getResultList();
    }
}
