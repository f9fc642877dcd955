package io.quarkiverse.hangfire.runtime.storage;

import static io.quarkiverse.hangfire.runtime.storage.Rows.bindLongs;
import static io.quarkiverse.hangfire.runtime.storage.Rows.marks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The SQL of unique keys: a key is a row of the unique table, whose primary key makes two creations of the same key
 * create one job, whatever instance they run on. A job takes its key in the transaction that creates it, and gives
 * it back with the state change that ends its window: its start (unless it keeps the key while Processing), or its
 * end; a job that keeps its key for a period after it finished leaves the row with an expiry, and the next creation
 * past it takes the row over.
 */
@Singleton
public class UniqueKeys {

    /** The longest stored key: longer keys are stored as a prefix and a hash. */
    public static final int MAX_KEY = 200;

    private final Transactions transactions;
    private final Tables t;

    @Inject
    public UniqueKeys(Transactions transactions) {
        this.transactions = transactions;
        this.t = transactions.tables();
    }

    /** How a job holds its key. */
    public record Hold(String key, boolean whileProcessing, Duration afterFinish) {
    }

    /**
     * Gives {@code hold.key} to the job {@code jobId}, just inserted in this transaction, unless another job holds it;
     * returns null when the job got it, or the id of the job that holds it (the caller then removes its job). Never a
     * read then a write: the INSERT decides, and waits for a transaction that is inserting the same key.
     */
    public Long take(Connection c, long jobId, Hold hold, Instant now) throws SQLException {
        String key = stored(hold.key());
        for (int attempt = 0; attempt < 3; attempt++) {
            if (insert(c, key, jobId, hold)) {
                return null;
            }
            // the holder as committed now, not as an older snapshot of this transaction saw it; a shared lock, so that
            // racing creators that all hold the duplicate check's shared lock do not deadlock upgrading it
            try (PreparedStatement ps = c.prepareStatement("SELECT job_id, expire_at FROM " + t.unique
                    + " WHERE unique_key = ?" + transactions.dialect().forShare())) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        continue; // given back since the INSERT: try again
                    }
                    long holder = rs.getLong(1);
                    Instant expireAt = Rows.time(rs, 2);
                    if (expireAt == null || expireAt.isAfter(now)) {
                        return holder;
                    }
                }
            }
            // the holder finished and its period is over: take the row over, if no one else did
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.unique + " SET job_id = ?, while_processing = ?,"
                    + " after_finish_ms = ?, expire_at = NULL WHERE unique_key = ? AND expire_at <= ?")) {
                ps.setLong(1, jobId);
                ps.setInt(2, hold.whileProcessing() ? 1 : 0);
                ps.setLong(3, hold.afterFinish().toMillis());
                ps.setString(4, key);
                ps.setObject(5, ts(now));
                if (ps.executeUpdate() == 1) {
                    return null;
                }
            }
        }
        throw new IllegalStateException("The unique key '" + hold.key() + "' changed hands three times during one creation;"
                + " try again");
    }

    private boolean insert(Connection c, String key, long jobId, Hold hold) throws SQLException {
        Dialect dialect = transactions.dialect();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.unique + " (unique_key, job_id, while_processing,"
                + " after_finish_ms, expire_at) VALUES (?, ?, ?, ?, NULL)" + dialect.onDuplicateKeyDoNothing("unique_key"))) {
            ps.setString(1, key);
            ps.setLong(2, jobId);
            ps.setInt(3, hold.whileProcessing() ? 1 : 0);
            ps.setLong(4, hold.afterFinish().toMillis());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (dialect.duplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Gives back the keys of these jobs, which started: those that hold theirs while Processing keep them. */
    public void started(Connection c, Collection<Long> jobIds) throws SQLException {
        if (!jobIds.isEmpty()) {
            delete(c, jobIds, " AND while_processing = 0 AND expire_at IS NULL");
        }
    }

    /**
     * Gives back the keys of these jobs, which finished or failed; those of jobs that {@code succeeded} and keep their
     * key for a period after finishing keep it until then.
     */
    public void finished(Connection c, Collection<Long> jobIds, boolean succeeded, Instant now) throws SQLException {
        if (jobIds.isEmpty()) {
            return;
        }
        if (!succeeded) {
            delete(c, jobIds, " AND expire_at IS NULL");
            return;
        }
        delete(c, jobIds, " AND after_finish_ms = 0 AND expire_at IS NULL");
        // the rest keep the key for their period: a key's period is its own, so each gets its expiry
        java.util.Map<String, Long> periods = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT unique_key, after_finish_ms FROM " + t.unique
                + " WHERE job_id IN (" + marks(jobIds.size()) + ") AND expire_at IS NULL")) {
            bindLongs(ps, 1, jobIds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    periods.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        for (var period : periods.entrySet()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.unique + " SET expire_at = ? WHERE unique_key = ?")) {
                ps.setObject(1, ts(now.plusMillis(period.getValue())));
                ps.setString(2, period.getKey());
                ps.executeUpdate();
            }
        }
    }

    private void delete(Connection c, Collection<Long> jobIds, String condition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.unique + " WHERE job_id IN (" + marks(jobIds.size())
                + ")" + condition)) {
            bindLongs(ps, 1, jobIds);
            ps.executeUpdate();
        }
    }

    /** The key as stored: long keys (built from arguments) are hashed to fit the column. */
    public static String stored(String key) {
        if (key.length() <= MAX_KEY) {
            return key;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return key.substring(0, MAX_KEY - 65) + "~" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object ts(Instant instant) {
        return transactions.dialect().timestamp(instant);
    }
}
