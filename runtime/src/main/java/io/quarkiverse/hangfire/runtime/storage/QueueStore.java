package io.quarkiverse.hangfire.runtime.storage;

import static io.quarkiverse.hangfire.runtime.storage.Rows.bindLongs;
import static io.quarkiverse.hangfire.runtime.storage.Rows.marks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The SQL of the queue rows: one per Enqueued or Processing job. A row without owner waits for a worker; a claimed
 * row carries the server that owns the claim and the end of its lease, and its id is the claim's token. See
 * {@link JobStore} for the lock order.
 */
@Singleton
public class QueueStore {

    private static final String ENTRY_COLUMNS = "id, job_id, queue, owner, enqueued_at";
    private static final String INSERT_COLUMNS = "job_id, queue, enqueued_at";

    private final Transactions transactions;
    private final Tables t;

    @Inject
    public QueueStore(Transactions transactions) {
        this.transactions = transactions;
        this.t = transactions.tables();
    }

    /** A job's queue row: its id (the claim token) and owner. */
    public record QueueEntry(long id, long jobId, String queue, String owner, Instant enqueuedAt) {
    }

    /** Puts jobs at the end of their queues, unclaimed. */
    public void insert(Connection c, List<JobRow> jobs, Instant now) throws SQLException {
        Object enqueuedAt = ts(now);
        Rows.insert(c, t.queue, INSERT_COLUMNS, jobs, (ps, i, job) -> {
            ps.setLong(i++, job.id());
            ps.setString(i++, job.queue());
            ps.setObject(i++, enqueuedAt);
            return i;
        });
    }

    public void delete(Connection c, Collection<Long> jobIds) throws SQLException {
        if (jobIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.queue + " WHERE job_id IN (" + marks(jobIds.size())
                + ")")) {
            bindLongs(ps, 1, jobIds);
            ps.executeUpdate();
        }
    }

    /** The job's queue row, or null when it has none. */
    public QueueEntry entryOf(Connection c, long jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY_COLUMNS + " FROM " + t.queue + " WHERE job_id = ?")) {
            ps.setLong(1, jobId);
            List<QueueEntry> entries = read(ps);
            return entries.isEmpty() ? null : entries.get(0);
        }
    }

    /** Locks the queue rows of these claims that {@code owner} still holds, and returns them. */
    public List<QueueEntry> lockOwned(Connection c, Collection<Long> claims, String owner) throws SQLException {
        if (claims.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY_COLUMNS + " FROM " + t.queue + " WHERE id IN ("
                + marks(claims.size()) + ") AND owner = ? ORDER BY id FOR UPDATE")) {
            int i = bindLongs(ps, 1, claims);
            ps.setString(i, owner);
            return read(ps);
        }
    }

    /**
     * Locks up to {@code limit} unclaimed queue rows of one queue after the row {@code afterId}, oldest first,
     * passing over locked ones.
     */
    public List<QueueEntry> lockUnclaimed(Connection c, String queue, long afterId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY_COLUMNS + " FROM " + t.queue
                + " WHERE queue = ? AND owner IS NULL AND id > ? ORDER BY id LIMIT ?"
                + transactions.dialect().forUpdateSkipLocked())) {
            ps.setString(1, queue);
            ps.setLong(2, afterId);
            ps.setInt(3, limit);
            return read(ps);
        }
    }

    /** The claims among these that {@code owner} still holds. */
    public Set<Long> owned(Connection c, Collection<Long> claims, String owner) throws SQLException {
        if (claims.isEmpty()) {
            return new HashSet<>();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + t.queue + " WHERE owner = ? AND id IN ("
                + marks(claims.size()) + ")")) {
            ps.setString(1, owner);
            bindLongs(ps, 2, claims);
            return new HashSet<>(Rows.ids(ps));
        }
    }

    /** The jobs among these whose queue row is claimed by some server. */
    public Set<Long> claimedJobs(Connection c, Collection<Long> jobIds) throws SQLException {
        if (jobIds.isEmpty()) {
            return new HashSet<>();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT job_id FROM " + t.queue
                + " WHERE owner IS NOT NULL AND job_id IN (" + marks(jobIds.size()) + ")")) {
            bindLongs(ps, 1, jobIds);
            return new HashSet<>(Rows.ids(ps));
        }
    }

    public void claim(Connection c, Collection<Long> claims, String owner, Instant leaseUntil) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.queue + " SET owner = ?, lease_until = ? WHERE id IN ("
                + marks(claims.size()) + ")")) {
            ps.setString(1, owner);
            ps.setObject(2, ts(leaseUntil));
            bindLongs(ps, 3, claims);
            ps.executeUpdate();
        }
    }

    /**
     * Extends the leases of these claims, if {@code owner} still holds them. Only claims the server knows it
     * holds are renewed: a claim whose commit it never saw (the connection broke during the commit) expires
     * and goes back to its queue instead of staying claimed forever.
     */
    public void renewLeases(Connection c, String owner, Collection<Long> claims, Instant leaseUntil) throws SQLException {
        List<Long> ids = new ArrayList<>(claims);
        for (int from = 0; from < ids.size(); from += Rows.CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + Rows.CHUNK));
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.queue + " SET lease_until = ? WHERE owner = ? AND id IN ("
                    + marks(chunk.size()) + ")")) {
                ps.setObject(1, ts(leaseUntil));
                ps.setString(2, owner);
                bindLongs(ps, 3, chunk);
                ps.executeUpdate();
            }
        }
    }

    /** Locks claimed queue rows whose lease ran out, passing over locked ones. */
    public List<QueueEntry> lockExpiredLeases(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY_COLUMNS + " FROM " + t.queue
                + " WHERE owner IS NOT NULL AND lease_until < ? ORDER BY id LIMIT ?"
                + transactions.dialect().forUpdateSkipLocked())) {
            ps.setObject(1, ts(now));
            ps.setInt(2, limit);
            return read(ps);
        }
    }

    private static List<QueueEntry> read(PreparedStatement ps) throws SQLException {
        List<QueueEntry> entries = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                entries.add(new QueueEntry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), Rows.time(rs, 5)));
            }
        }
        return entries;
    }

    private Object ts(Instant instant) {
        return transactions.dialect().timestamp(instant);
    }
}
