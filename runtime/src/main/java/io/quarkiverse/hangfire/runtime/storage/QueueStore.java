package io.quarkiverse.hangfire.runtime.storage;

import static io.quarkiverse.hangfire.runtime.storage.Rows.bindLongs;
import static io.quarkiverse.hangfire.runtime.storage.Rows.marks;
import static io.quarkiverse.hangfire.runtime.storage.Rows.truncate;

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

import io.quarkiverse.hangfire.JobState;

/**
 * The SQL of the queues and their claims, which live in the job rows (schema version 3): an Enqueued job waits in
 * its {@code queue} (which {@code waiting_queue} repeats while it waits, schema version 5: the claim index is on it),
 * ordered by {@code priority} slot (lower first), then {@code enqueued_at}, then id; a claimed
 * job is Processing and carries the server that owns the claim ({@code owner}) and the end of its lease
 * ({@code lease_until}). A claim is identified by the job and its attempt, which every claim counts up. See
 * {@link JobStore} for the lock order.
 */
@Singleton
public class QueueStore {

    private final Transactions transactions;
    private final Tables t;

    @Inject
    public QueueStore(Transactions transactions) {
        this.transactions = transactions;
        this.t = transactions.tables();
    }

    /**
     * Whether a job waits (Enqueued, so due now) in one of {@code queues}: the first entry of the claim index read
     * ({@code ix_job_waiting}, {@code waiting_queue} its first column), no row locked. An idle server asks this before each
     * claim, so that its polling costs the database an index dive per queue rather than a locking transaction.
     */
    public boolean anyWaiting(Connection c, List<String> queues) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(anyWaitingSql(queues.size()))) {
            for (int i = 0; i < queues.size(); i++) {
                ps.setString(i + 1, queues.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The probe's SQL for {@code queues} queues, with its parameters the queues (shown by EXPLAIN tests). */
    public String anyWaitingSql(int queues) {
        return "SELECT 1 FROM " + t.job + " WHERE waiting_queue IN (" + marks(queues) + ") LIMIT 1";
    }

    /** A job waiting in its queue, locked for a claim. */
    public record Waiting(JobRow job, Instant enqueuedAt) {
    }

    /**
     * Locks up to {@code limit} Enqueued jobs of one queue in queue order, after the first {@code skip}, passing over
     * locked ones. Rows this transaction locked already count among those skipped: a scan that goes on past jobs it
     * could not take gives the number it has seen.
     */
    public List<Waiting> lockWaiting(Connection c, String queue, int skip, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRow.COLUMNS + ", enqueued_at FROM " + t.job
                + " WHERE waiting_queue = ? ORDER BY priority, enqueued_at, id LIMIT ?"
                + (skip > 0 ? " OFFSET " + skip : "") + transactions.dialect().forUpdateSkipLocked())) {
            ps.setString(1, queue);
            ps.setInt(2, limit);
            List<Waiting> waiting = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    waiting.add(new Waiting(JobRow.read(rs), Rows.time(rs, JobRow.COLUMN_COUNT + 1)));
                }
            }
            return waiting;
        }
    }

    /**
     * Claims locked jobs for {@code owner} until {@code leaseUntil}: Processing, their attempt counted, in one UPDATE.
     * Their history gets the Processing state later ({@code history_pending}), unless {@code logged}: then the caller
     * writes it now, with any state the history lacked.
     */
    public void claim(Connection c, Collection<Long> ids, String owner, Instant leaseUntil, String reason, Instant now,
            boolean logged) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.job + " SET owner = ?, lease_until = ?, state = ?,"
                + " state_reason = ?, state_changed_at = ?, claimed_at = ?, waiting_queue = NULL, attempt = attempt + 1"
                + (logged ? ", history_pending = 0" : ", history_pending = history_pending + 1") + " WHERE id IN (" + marks(ids.size()) + ")")) {
            ps.setString(1, owner);
            ps.setObject(2, ts(leaseUntil));
            ps.setString(3, JobState.PROCESSING.name());
            ps.setString(4, truncate(reason, 500));
            ps.setObject(5, ts(now));
            ps.setObject(6, ts(now));
            bindLongs(ps, 7, ids);
            ps.executeUpdate();
        }
    }

    /**
     * Locks the job row of a claim that {@code owner} still holds for {@code attempt} with a lease that has not run
     * out at {@code now}; null when it does not: the job was taken back, or is already claimed again by another
     * server. What a transactional job's completion checks, in the job's transaction, just before its commit.
     */
    public JobRow lockHeldClaim(Connection c, long id, String owner, int attempt, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRow.COLUMNS + " FROM " + t.job
                + " WHERE id = ? AND state = ? AND owner = ? AND attempt = ? AND lease_until >= ? FOR UPDATE")) {
            ps.setLong(1, id);
            ps.setString(2, JobState.PROCESSING.name());
            ps.setString(3, owner);
            ps.setInt(4, attempt);
            ps.setObject(5, ts(now));
            List<JobRow> rows = JobRow.readAll(ps);
            return rows.isEmpty() ? null : rows.get(0);
        }
    }

    /**
     * Locks the job row if {@code attempt} is still the job's current one (its fencing token): the job is Processing
     * under the claim that counted this attempt. The writes of a running attempt (log lines, parameters, progress)
     * check it in their transaction, so that an attempt whose job was claimed again cannot write after the new one.
     */
    public boolean lockCurrentAttempt(Connection c, long id, int attempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + t.job + " WHERE id = ? AND state = ? AND attempt = ?"
                + " FOR UPDATE")) {
            ps.setLong(1, id);
            ps.setString(2, JobState.PROCESSING.name());
            ps.setInt(3, attempt);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The jobs among these whose claim {@code owner} still holds. */
    public Set<Long> owned(Connection c, Collection<Long> ids, String owner) throws SQLException {
        if (ids.isEmpty()) {
            return new HashSet<>();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + t.job + " WHERE owner = ? AND id IN ("
                + marks(ids.size()) + ")")) {
            ps.setString(1, owner);
            bindLongs(ps, 2, ids);
            return new HashSet<>(Rows.ids(ps));
        }
    }

    /** The jobs among these that some server holds a claim on. */
    public Set<Long> claimed(Connection c, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return new HashSet<>();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + t.job + " WHERE owner IS NOT NULL AND id IN ("
                + marks(ids.size()) + ")")) {
            bindLongs(ps, 1, ids);
            return new HashSet<>(Rows.ids(ps));
        }
    }

    /**
     * Extends the leases of these claims, if {@code owner} still holds them. Only claims the server knows it
     * holds are renewed: a claim whose commit it never saw (the connection broke during the commit) expires
     * and goes back to its queue instead of staying claimed forever.
     */
    public void renewLeases(Connection c, String owner, Collection<Long> ids, Instant leaseUntil) throws SQLException {
        List<Long> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += Rows.CHUNK) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + Rows.CHUNK));
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.job + " SET lease_until = ? WHERE owner = ? AND id IN ("
                    + marks(chunk.size()) + ")")) {
                ps.setObject(1, ts(leaseUntil));
                ps.setString(2, owner);
                bindLongs(ps, 3, chunk);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Locks up to {@code limit} claimed jobs whose lease ran out, longest claimed first, passing over locked ones: read
     * along the Processing entries of the state index, which carry the lease (schema version 7). Only a Processing job
     * has a lease.
     */
    public List<JobRow> lockExpiredLeases(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(expiredLeasesSql())) {
            ps.setObject(1, ts(now));
            ps.setInt(2, limit);
            return JobRow.readAll(ps);
        }
    }

    /** The lease watchdog's locking read, with its parameters the time and the limit (shown by EXPLAIN tests). */
    public String expiredLeasesSql() {
        return expiredLeasesSql(t, transactions.dialect());
    }

    /** {@link #expiredLeasesSql()} for the tables {@code t} on {@code dialect}'s database (the migration tests'). */
    public static String expiredLeasesSql(Tables t, Dialect dialect) {
        return "SELECT " + JobRow.COLUMNS + " FROM " + t.job + " WHERE state = '" + JobState.PROCESSING.name()
                + "' AND lease_until < ? ORDER BY state_changed_at, id LIMIT ?" + dialect.forUpdateSkipLocked();
    }

    private Object ts(Instant instant) {
        return transactions.dialect().timestamp(instant);
    }
}
