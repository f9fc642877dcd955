package io.quarkiverse.hangfire.runtime.storage;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hibernate.Session;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.Misfire;

import static io.quarkiverse.hangfire.runtime.storage.JobClock.fromDb;

/**
 * The recurring jobs as the dashboard and the Dev UI list them, in the caller's session; their arguments read as a
 * prefix of the length the caller asks for. (Reading and writing one recurring job by id is the recurring store's.)
 */
public final class RecurringReads {

    private RecurringReads() {
    }

    /**
     * A recurring job as listed.
     *
     * @param arguments the first characters of its arguments as asked for
     * @param lastJobState the state of the job it last triggered, null when none or gone
     */
    public record Listed(String id, String jobName, String arguments, String cron, String timeZone, String queue,
            Misfire misfire, boolean paused, Instant nextExecution, Instant lastExecution, Long lastJobId,
            JobState lastJobState, String error, Instant createdAt) {
    }

    /** How many recurring jobs there are, paused ones included. */
    public static long count(Session session) {
        return session.createSelectionQuery("select count(r) from RecurringJobEntity r", Long.class).getSingleResult();
    }

    /** Every recurring job's id, in order. */
    public static List<String> ids(Session session) {
        return session.createSelectionQuery("select r.id from RecurringJobEntity r order by r.id", String.class)
                .getResultList();
    }

    /** The recurring jobs {@code ids} in their order, those gone since left out. */
    public static List<Listed> listed(Session session, Collection<String> ids, int argumentsChars) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Listed> rows = new LinkedHashMap<>();
        for (Object[] r : session.createSelectionQuery("select r.id, r.jobName, substring(r.arguments, 1, " + argumentsChars
                + "), r.cron, r.timeZone, r.queue, r.misfire, r.paused, r.nextExecution, r.lastExecution, r.lastJobId,"
                + " (select j.state from JobEntity j where j.id = r.lastJobId), r.error, r.createdAt"
                + " from RecurringJobEntity r where r.id in :ids", Object[].class).setParameter("ids", ids).getResultList()) {
            rows.put((String) r[0], new Listed((String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    (String) r[5], Misfire.valueOf((String) r[6]), (Boolean) r[7], fromDb((LocalDateTime) r[8]),
                    fromDb((LocalDateTime) r[9]), (Long) r[10], r[11] == null ? null : JobState.valueOf((String) r[11]),
                    (String) r[12], fromDb((LocalDateTime) r[13])));
        }
        List<Listed> listed = new ArrayList<>(rows.size());
        for (String id : ids) {
            if (rows.containsKey(id)) {
                listed.add(rows.get(id));
            }
        }
        return listed;
    }
}
