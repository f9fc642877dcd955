package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobState;

/**
 * Statistics of finished jobs: how many reached Succeeded, Failed and Deleted, in total, per UTC day and per
 * UTC hour; and how many jobs are in each state now, so that counting them costs a read per state, not a scan of
 * the jobs. Every state change appends rows to the counter table in its own transaction (an insert never
 * waits for another one, unlike an update of one hot row), and a background task merges the rows of each
 * counter into one. A count is the sum of a counter's rows, so it is exact before and after merging.
 */
@Singleton
public class Statistics {

    /** The states that are counted. */
    public static final List<JobState> COUNTED = List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.DELETED);
    /**
     * The states whose number of jobs is kept in a counter ({@code jobs:scheduled}), changed with every state change.
     * Enqueued and Processing jobs are counted on the claim index instead: their number is the backlog, not the
     * history, and a counter for them would cost the enqueue, which is one INSERT, a second statement.
     */
    public static final List<JobState> KEPT_COUNTS = List.of(JobState.SCHEDULED, JobState.AWAITING, JobState.SUCCEEDED,
            JobState.FAILED, JobState.DELETED);
    /** Hourly counters are kept two days, so that the last 24 hours are always complete. */
    public static final Duration HOURLY_RETENTION = Duration.ofDays(2);
    /** Daily counters are kept for a month and a day. */
    public static final Duration DAILY_RETENTION = Duration.ofDays(32);

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH").withZone(ZoneOffset.UTC);

    private final Transactions transactions;
    private final Tables t;

    @Inject
    public Statistics(Transactions transactions) {
        this.transactions = transactions;
        this.t = transactions.tables();
    }

    /** The counter of all time for a state: {@code stats:succeeded}. */
    public static String totalName(JobState state) {
        return "stats:" + state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The counter of the UTC day or hour that contains {@code at}. */
    public static String periodName(JobState state, ChronoUnit unit, Instant at) {
        return totalName(state) + ":" + (unit == ChronoUnit.DAYS ? DAY : HOUR).format(at);
    }

    /** The counter of the number of jobs in a state now: {@code jobs:scheduled}. */
    public static String currentName(JobState state) {
        return "jobs:" + state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Appends the counts of one batch of state changes in one INSERT: three rows per counted state reached
     * ({@code reached}), and a row per state whose number of jobs changed ({@code moved}: jobs in minus jobs out).
     */
    public void record(Connection c, Map<JobState, Integer> reached, Map<JobState, Integer> moved, Instant now)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        moved.forEach((state, change) -> {
            if (change != 0 && KEPT_COUNTS.contains(state)) {
                rows.add(new Object[] { currentName(state), change, null });
            }
        });
        Map<JobState, Integer> counts = reached;
        counts.forEach((state, count) -> {
            if (count > 0 && COUNTED.contains(state)) {
                rows.add(new Object[] { totalName(state), count, null });
                rows.add(new Object[] { periodName(state, ChronoUnit.DAYS, now), count,
                        start(ChronoUnit.DAYS, now).plus(DAILY_RETENTION) });
                rows.add(new Object[] { periodName(state, ChronoUnit.HOURS, now), count,
                        start(ChronoUnit.HOURS, now).plus(HOURLY_RETENTION) });
            }
        });
        insert(c, rows);
    }

    /**
     * Merges the rows of each counter among the oldest {@code limit} rows into one; returns how many rows it
     * removed. Rows other transactions hold are left for the next round.
     */
    public int aggregate(Connection c, int limit) throws SQLException {
        Map<String, List<Long>> idsByName = new LinkedHashMap<>();
        Map<String, long[]> sums = new LinkedHashMap<>();
        Map<String, Instant> expiry = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, amount, expire_at FROM " + t.counter
                + " ORDER BY id LIMIT ?" + transactions.dialect().forUpdateSkipLocked())) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(2);
                    idsByName.computeIfAbsent(name, n -> new ArrayList<>()).add(rs.getLong(1));
                    sums.computeIfAbsent(name, n -> new long[1])[0] += rs.getLong(3);
                    LocalDateTime expire = rs.getObject(4, LocalDateTime.class);
                    if (expire != null) {
                        expiry.merge(name, JobClock.fromDb(expire), (a, b) -> a.isAfter(b) ? a : b);
                    }
                }
            }
        }
        List<Long> merged = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        idsByName.forEach((name, ids) -> {
            if (ids.size() > 1) {
                merged.addAll(ids);
                rows.add(new Object[] { name, sums.get(name)[0], expiry.get(name) });
            }
        });
        if (merged.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.counter + " WHERE id IN ("
                + Rows.marks(merged.size()) + ")")) {
            Rows.bindLongs(ps, 1, merged);
            ps.executeUpdate();
        }
        insert(c, rows);
        return merged.size() - rows.size();
    }

    /** Removes up to {@code limit} counter rows whose period is past its retention; returns how many. */
    public int removeExpired(Connection c, Instant now, int limit) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + t.counter + " WHERE expire_at < ? ORDER BY id LIMIT ?"
                + transactions.dialect().forUpdateSkipLocked())) {
            ps.setObject(1, transactions.dialect().timestamp(now));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (!ids.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.counter + " WHERE id IN ("
                    + Rows.marks(ids.size()) + ")")) {
                Rows.bindLongs(ps, 1, ids);
                ps.executeUpdate();
            }
        }
        return ids.size();
    }

    /** The start of the UTC hour or day that contains {@code at}. */
    public static Instant start(ChronoUnit unit, Instant at) {
        return at.truncatedTo(unit);
    }

    private void insert(Connection c, List<Object[]> rows) throws SQLException {
        Rows.insert(c, t.counter, "name, amount, expire_at", rows, (ps, i, row) -> {
            ps.setString(i++, (String) row[0]);
            ps.setLong(i++, ((Number) row[1]).longValue());
            ps.setObject(i++, row[2] == null ? null : transactions.dialect().timestamp((Instant) row[2]));
            return i;
        });
    }
}
