package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.registry.JobMethod.RateLimit;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;

/**
 * The SQL of rate limits, by job ({@code @BackgroundJob(rateLimit)}, split by {@code rateLimitKey}) and by queue
 * (configuration). A limit is one row holding the start times within its window; a claim locks the row, passing
 * over it when another server's claim holds it, and starts a job only when every limit of the job has room. The
 * window slides: no span of the window's length (both ends included) ever holds more starts than the limit, across all servers.
 */
@Singleton
public class RateLimits {

    /** The start of the name of a job's limit: then the job name, and ":" and its key when it has a key template. */
    public static final String JOB = "rate:job:";
    private static final String QUEUE = "rate:queue:";
    /** How soon a claim tries again a limit whose row another server's claim held. */
    private static final long BUSY_RETRY_MILLIS = 20;

    private final Transactions transactions;
    private final Tables t;
    private final Map<String, RateLimit> queueLimits = new HashMap<>();
    private volatile Boolean enabled;

    @Inject
    public RateLimits(Transactions transactions, HangfireConfig config) {
        this.transactions = transactions;
        this.t = transactions.tables();
        config.queue().forEach((queue, q) -> q.rateLimit().ifPresent(limit -> {
            try {
                queueLimits.put(queue, RateLimit.parse(limit));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("quarkus.hangfire.queue.\"" + queue + "\".rate-limit: " + e.getMessage(), e);
            }
        }));
    }

    /** Whether any job of this application is rate limited; when none is, claims skip the rate limit table. */
    public boolean enabled() {
        Boolean e = enabled;
        if (e == null) {
            e = !queueLimits.isEmpty() || JobRegistry.names().stream().map(JobRegistry::find)
                    .anyMatch(m -> m != null && m.flow() != null && m.flow().rateLimit() != null);
            enabled = e;
        }
        return e;
    }

    /** A limit a job is subject to: its row's name and its rate. */
    record Named(String name, RateLimit limit) {
    }

    List<Named> limitsOf(JobRow job) {
        List<Named> limits = new ArrayList<>(2);
        JobMethod method = JobRegistry.find(job.jobName());
        if (method != null && method.flow() != null && method.flow().rateLimit() != null) {
            String name = JOB + job.jobName();
            if (method.flow().rateLimitKey() != null) {
                name += ":" + method.flow().rateLimitKey().key(job.arguments());
            }
            limits.add(new Named(UniqueKeys.stored(name), method.flow().rateLimit()));
        }
        RateLimit queue = queueLimits.get(job.queue());
        if (queue != null) {
            limits.add(new Named(QUEUE + job.queue(), queue));
        }
        return limits;
    }

    /** The limits of one claim transaction: each row is read and locked once, and written once at the end. */
    public Round round(Connection c, Instant now) {
        return new Round(c, now);
    }

    public final class Round {
        private final Connection c;
        private final Instant now;
        /** The start times in each window read, oldest first; null for a limit whose row another claim holds. */
        private final Map<String, ArrayDeque<Long>> windows = new HashMap<>();
        private final Map<String, Boolean> changed = new HashMap<>();

        private Round(Connection c, Instant now) {
            this.c = c;
            this.now = now;
        }

        /**
         * Starts the job if every one of its limits has room, recording the start; otherwise returns when it may
         * start (the earliest a start leaves the window of a full limit).
         */
        public Instant tryStart(JobRow job) throws SQLException {
            List<Named> limits = limitsOf(job);
            if (limits.isEmpty()) {
                return null;
            }
            long nowMillis = now.toEpochMilli();
            Instant retryAt = null;
            for (Named limit : limits) {
                ArrayDeque<Long> window = window(limit, nowMillis);
                Instant free = window == null ? now.plusMillis(BUSY_RETRY_MILLIS)
                        : window.size() < limit.limit().count() ? null
                                : Instant.ofEpochMilli(window.peekFirst() + limit.limit().window().toMillis() + 1);
                if (free != null && (retryAt == null || free.isAfter(retryAt))) {
                    retryAt = free;
                }
            }
            if (retryAt != null) {
                return retryAt;
            }
            for (Named limit : limits) {
                windows.get(limit.name()).addLast(nowMillis);
                changed.put(limit.name(), true);
            }
            return null;
        }

        private ArrayDeque<Long> window(Named limit, long nowMillis) throws SQLException {
            if (windows.containsKey(limit.name())) {
                return windows.get(limit.name());
            }
            ArrayDeque<Long> window = read(limit.name());
            if (window != null) {
                long from = nowMillis - limit.limit().window().toMillis();
                while (!window.isEmpty() && window.peekFirst() < from) {
                    window.pollFirst();
                    changed.put(limit.name(), true);
                }
            }
            windows.put(limit.name(), window);
            return window;
        }

        /** The limit's start times, its row locked; null when another transaction holds the row. */
        private ArrayDeque<Long> read(String name) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT starts FROM " + t.rateLimit + " WHERE name = ?"
                    + transactions.dialect().forUpdateSkipLocked())) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        ArrayDeque<Long> window = new ArrayDeque<>();
                        String starts = rs.getString(1);
                        if (starts != null && !starts.isEmpty()) {
                            for (String start : starts.split(",")) {
                                window.addLast(Long.parseLong(start));
                            }
                        }
                        return window;
                    }
                }
            }
            // no row, or a row another claim holds: the INSERT tells which
            Dialect dialect = transactions.dialect();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.rateLimit + " (name, starts) VALUES (?, '')"
                    + dialect.onDuplicateKeyDoNothing("name"))) {
                ps.setString(1, name);
                return ps.executeUpdate() == 1 ? new ArrayDeque<>() : null;
            } catch (SQLException e) {
                if (dialect.duplicateKey(e)) {
                    return null;
                }
                throw e;
            }
        }

        /** Writes the windows that changed. */
        public void flush() throws SQLException {
            for (String name : changed.keySet()) {
                StringBuilder starts = new StringBuilder();
                for (long start : windows.get(name)) {
                    if (starts.length() > 0) {
                        starts.append(',');
                    }
                    starts.append(start);
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.rateLimit + " SET starts = ? WHERE name = ?")) {
                    ps.setString(1, starts.toString());
                    ps.setString(2, name);
                    ps.executeUpdate();
                }
            }
        }
    }

    /** A limit as the dashboard shows it: its name, how many starts its window holds now, and its rate. */
    public record Usage(String name, int starts, String rate) {
    }

    /** The first {@value #SHOWN} rate limits by name, with their use now, read in a transaction of its own. */
    public List<Usage> usage() {
        return transactions.inTransaction(c -> usage(c, JobClock.now()));
    }

    private static final int SHOWN = 50;

    private List<Usage> usage(Connection c, Instant now) throws SQLException {
        List<Usage> usage = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, starts FROM " + t.rateLimit + " ORDER BY name LIMIT "
                + SHOWN)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    RateLimit limit = limitNamed(name);
                    String starts = rs.getString(2);
                    int count = 0;
                    if (limit != null && starts != null && !starts.isEmpty()) {
                        long from = now.toEpochMilli() - limit.window().toMillis();
                        for (String start : starts.split(",")) {
                            if (Long.parseLong(start) >= from) {
                                count++;
                            }
                        }
                    }
                    usage.add(new Usage(name, count, limit == null ? "?" : limit.toString()));
                }
            }
        }
        return usage;
    }

    private RateLimit limitNamed(String name) {
        if (name.startsWith(QUEUE)) {
            return queueLimits.get(name.substring(QUEUE.length()));
        }
        JobMethod m = limitedJob(name);
        return m == null ? null : m.flow().rateLimit();
    }

    /** The rate-limited job method whose limit has this name, or null (a queue's limit, or a job unknown here). */
    public static JobMethod limitedJob(String name) {
        if (name.startsWith(JOB)) {
            String rest = name.substring(JOB.length());
            for (String jobName : JobRegistry.names()) {
                JobMethod m = JobRegistry.find(jobName);
                if ((rest.equals(jobName) || rest.startsWith(jobName + ":")) && m != null && m.flow() != null
                        && m.flow().rateLimit() != null) {
                    return m;
                }
            }
        }
        return null;
    }
}
