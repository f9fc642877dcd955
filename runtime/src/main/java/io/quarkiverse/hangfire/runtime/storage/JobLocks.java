package io.quarkiverse.hangfire.runtime.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;

/**
 * The cluster-wide limits on running jobs: mutex keys, and concurrency limits per job name and per queue. A
 * limit is a set of rows in the lock table, one per slot ({@code name#1 .. name#n}); a job takes its slots in
 * the transaction that claims it and gives them back in the transaction that takes it out of its queue
 * (completion, deletion, requeue, or the lease watchdog after a crash). The slots therefore live exactly as
 * long as the claim, and a sweep removes any whose claim is gone.
 */
@Singleton
public class JobLocks {

    static final String PREFIX = "limit:";
    private static final int MAX_NAME = 200;

    /** One limit a job is subject to: a base name and how many may hold it at once. */
    public record Limit(String name, int slots) {
    }

    private final Transactions transactions;
    private final QueueStore queue;
    private final Tables t;
    private final Map<String, HangfireConfig.Queue> queueLimits;
    private volatile Boolean enabled;

    @Inject
    public JobLocks(Transactions transactions, QueueStore queue, HangfireConfig config) {
        this.transactions = transactions;
        this.queue = queue;
        this.t = transactions.tables();
        this.queueLimits = config.queue();
    }

    /** Whether any job of this application is limited; when none is, claims and releases skip the lock table. */
    public boolean enabled() {
        Boolean e = enabled;
        if (e == null) {
            e = queueLimits.values().stream().anyMatch(q -> q.concurrency().isPresent())
                    || JobRegistry.names().stream().map(JobRegistry::find)
                            .anyMatch(m -> m != null && (m.mutex() != null || m.concurrency() > 0));
            enabled = e;
        }
        return e;
    }

    /** The limits a job must hold to run, in a fixed order. */
    public List<Limit> limitsOf(JobRow job) {
        List<Limit> limits = new ArrayList<>(2);
        JobMethod method = JobRegistry.find(job.jobName());
        if (method != null && method.mutex() != null) {
            limits.add(new Limit("mutex:" + method.mutex().key(job.arguments()), 1));
        }
        if (method != null && method.concurrency() > 0) {
            limits.add(new Limit("job:" + job.jobName(), method.concurrency()));
        }
        HangfireConfig.Queue queue = queueLimits.get(job.queue());
        if (queue != null && queue.concurrency().isPresent()) {
            limits.add(new Limit("queue:" + job.queue(), Math.max(1, queue.concurrency().getAsInt())));
        }
        return limits;
    }

    /**
     * Takes a slot of every limit of the job for it, or none: returns the limit that is full, or null when the
     * job got them all. {@code full} remembers the limits found full in this transaction, so that a queue of
     * jobs behind one busy mutex costs one statement each, not one per slot.
     */
    public Limit tryAcquire(Connection c, JobRow job, Instant expireAt, Set<String> full) throws SQLException {
        List<String> taken = new ArrayList<>();
        for (Limit limit : limitsOf(job)) {
            String slot = full.contains(limit.name()) ? null : takeSlot(c, limit, job.id(), expireAt);
            if (slot == null) {
                full.add(limit.name());
                delete(c, taken);
                return limit;
            }
            taken.add(slot);
        }
        return null;
    }

    private String takeSlot(Connection c, Limit limit, long jobId, Instant expireAt) throws SQLException {
        for (int slot = 1; slot <= limit.slots(); slot++) {
            String name = rowName(limit.slots() == 1 ? limit.name() : limit.name() + "#" + slot);
            Dialect dialect = transactions.dialect();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.lock + " (name, owner, expire_at) VALUES (?, ?, ?)"
                    + dialect.onDuplicateKeyDoNothing("name"))) {
                ps.setString(1, name);
                ps.setString(2, Long.toString(jobId));
                ps.setObject(3, dialect.timestamp(expireAt));
                if (dialect.insertIfAbsent(ps)) {
                    return name;
                }
            }
        }
        return null;
    }

    /** Gives back the slots these jobs hold. */
    public void release(Connection c, Collection<Long> jobIds) throws SQLException {
        if (jobIds.isEmpty() || !enabled()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.lock + " WHERE name LIKE ? AND owner IN ("
                + Rows.marks(jobIds.size()) + ")")) {
            ps.setString(1, PREFIX + "%");
            int i = 2;
            for (long id : jobIds) {
                ps.setString(i++, Long.toString(id));
            }
            ps.executeUpdate();
        }
    }

    /**
     * Removes slots whose job is no longer claimed: left by an instance that ran a job without knowing its
     * limits (another application version sharing the database). Returns how many.
     */
    public int sweep(Connection c) throws SQLException {
        Map<String, Long> owners = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, owner FROM " + t.lock + " WHERE name LIKE ? ORDER BY name"
                + transactions.dialect().forUpdateSkipLocked())) {
            ps.setString(1, PREFIX + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        owners.put(rs.getString(1), Long.parseLong(rs.getString(2)));
                    } catch (NumberFormatException e) {
                        owners.put(rs.getString(1), -1L);
                    }
                }
            }
        }
        if (owners.isEmpty()) {
            return 0;
        }
        Set<Long> claimed = queue.claimed(c, new HashSet<>(owners.values()));
        List<String> stale = new ArrayList<>();
        owners.forEach((name, owner) -> {
            if (!claimed.contains(owner)) {
                stale.add(name);
            }
        });
        delete(c, stale);
        return stale.size();
    }

    private void delete(Connection c, List<String> names) throws SQLException {
        if (names.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.lock + " WHERE name IN (" + Rows.marks(names.size())
                + ")")) {
            Rows.bindStrings(ps, 1, names);
            ps.executeUpdate();
        }
    }

    /** The lock row's name: long keys (built from arguments) are hashed to fit the column. */
    static String rowName(String limit) {
        String name = PREFIX + limit;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return name.substring(0, MAX_NAME - 65) + "~" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
