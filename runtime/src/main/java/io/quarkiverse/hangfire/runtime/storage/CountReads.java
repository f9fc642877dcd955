package io.quarkiverse.hangfire.runtime.storage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hibernate.Session;

import io.quarkiverse.hangfire.CountPoint;
import io.quarkiverse.hangfire.JobState;

/**
 * The counts shared by the monitor API, the dashboard and the Dev UI: jobs by state now, and the statistics counters
 * {@link Statistics} keeps of finished jobs. Each runs in the caller's session (see {@link Transactions#read}).
 */
public final class CountReads {

    private CountReads() {
    }

    /**
     * The jobs stored now in each state, every state present: a read per state, whatever the number of jobs stored.
     * The counters {@link Statistics} keeps for {@link Statistics#KEPT_COUNTS}, and for Enqueued and Processing a count
     * along the state's index, which the backlog bounds.
     */
    public static Map<JobState, Long> byState(Session session) {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            counts.put(state, 0L);
        }
        Map<String, JobState> names = new LinkedHashMap<>();
        for (JobState state : Statistics.KEPT_COUNTS) {
            names.put(Statistics.currentName(state), state);
        }
        sums(session, names.keySet()).forEach((name, sum) -> counts.put(names.get(name), sum));
        for (Object[] row : session.createSelectionQuery("select j.state, count(j) from JobEntity j"
                + " where j.state in ('ENQUEUED', 'PROCESSING') group by j.state", Object[].class).getResultList()) {
            counts.put(JobState.valueOf((String) row[0]), (Long) row[1]);
        }
        return counts;
    }

    /** The all-time totals of the {@link Statistics#COUNTED} states, every one present. */
    public static Map<JobState, Long> finishedTotals(Session session) {
        Map<String, JobState> names = new LinkedHashMap<>();
        for (JobState state : Statistics.COUNTED) {
            names.put(Statistics.totalName(state), state);
        }
        Map<String, Long> sums = sums(session, names.keySet());
        Map<JobState, Long> totals = new EnumMap<>(JobState.class);
        names.forEach((name, state) -> totals.put(state, sums.getOrDefault(name, 0L)));
        return totals;
    }

    /**
     * The jobs that entered {@code state} (one of {@link Statistics#COUNTED}) in each of the last {@code periods}
     * {@code unit}s, the current one last; the caller checks that statistics are kept for these.
     */
    public static List<CountPoint> history(Session session, JobState state, ChronoUnit unit, int periods) {
        Instant current = Statistics.start(unit, JobClock.now());
        List<Instant> starts = new ArrayList<>(periods);
        List<String> names = new ArrayList<>(periods);
        for (int i = periods - 1; i >= 0; i--) {
            Instant start = current.minus(i, unit);
            starts.add(start);
            names.add(Statistics.periodName(state, unit, start));
        }
        Map<String, Long> sums = sums(session, names);
        List<CountPoint> points = new ArrayList<>(periods);
        for (int i = 0; i < periods; i++) {
            points.add(new CountPoint(starts.get(i), sums.getOrDefault(names.get(i), 0L)));
        }
        return points;
    }

    /** The counters {@code names} summed over their rows (the aggregator folds them now and then), by name. */
    private static Map<String, Long> sums(Session session, Collection<String> names) {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (Object[] row : session.createSelectionQuery(
                "select c.name, sum(c.amount) from CounterEntity c where c.name in :names group by c.name", Object[].class)
                .setParameter("names", names).getResultList()) {
            sums.put((String) row[0], ((Number) row[1]).longValue());
        }
        return sums;
    }
}
