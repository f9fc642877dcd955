package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What differs between the databases Quarkus Hangfire runs on. Everything else uses SQL all of them accept.
 * The dialect is read from the JDBC connection, not from configuration, so MySQL Connector/J talking to
 * MariaDB is recognised as MariaDB.
 */
public interface Dialect {

    /** The folder of the versioned DDL scripts under {@code META-INF/hangfire/schema/}. */
    String schemaFolder();

    /** Takes a lock that keeps two instances from migrating the schema at once. Session-scoped. */
    void lockSchema(Connection connection) throws SQLException;

    void unlockSchema(Connection connection) throws SQLException;

    /** Appended to a SELECT that claims rows: lock them, and pass over rows another transaction holds. */
    default String forUpdateSkipLocked() {
        return " FOR UPDATE SKIP LOCKED";
    }

    /**
     * Appended to a SELECT that must read the latest committed row, whatever the transaction's snapshot, without
     * taking the row for writing: a shared lock.
     */
    default String forShare() {
        return " FOR SHARE";
    }

    /**
     * A clause that makes an INSERT return the generated {@code id} of every row it inserted, in row order, or
     * null to read them through {@code getGeneratedKeys()}. MariaDB Connector/J returns only the first generated
     * key of a multi-row INSERT, so MariaDB uses {@code RETURNING id} (10.5+) instead.
     */
    default String returningId() {
        return null;
    }

    /**
     * Called first in every transaction the server itself runs (fetch, outcomes, scheduler, leases), before
     * any statement.
     */
    default void beginServerTransaction(Connection connection) throws SQLException {
    }

    /**
     * The condition of a batch's jobs in one state, with the batch and the state its parameters, which the batch index
     * serves in its order (schema version 8).
     */
    default String batchJobsInState() {
        return "batch_id = ? AND state = ?";
    }

    /**
     * The condition and order of the deadline sweep (one parameter, now): jobs that wait to start (Enqueued, Scheduled,
     * Awaiting) and whose deadline passed, earliest first, read on the index schema version 4 made for it. Here the
     * deadline with the waiting states written out: PostgreSQL's planner needs them to prove its partial index's
     * predicate, and H2, which has no partial indexes, reads the deadline's own index (its generated columns are not
     * safe here, see its V4.sql).
     */
    default String pastDeadline() {
        return "deadline < ? AND state IN ('ENQUEUED', 'SCHEDULED', 'AWAITING') ORDER BY deadline";
    }

    /**
     * What ends an INSERT of one row so that it does nothing when the row's {@code key} is taken, where a failed
     * statement would abort the whole transaction (PostgreSQL); elsewhere nothing, and {@link #insertIfAbsent} tells
     * the failure apart.
     */
    default String onDuplicateKeyDoNothing(String key) {
        return "";
    }

    /**
     * What ends an INSERT of one row so that, when the row's {@code key} is taken, it does nothing and leaves the row to
     * be locked for update: on MySQL and MariaDB it locks the row exclusively at once, where a failed INSERT would
     * leave a shared lock on it that two transactions both going on to lock the row for update would each wait to
     * upgrade (a deadlock). PostgreSQL's {@code ON CONFLICT DO NOTHING} and H2's failed INSERT leave no lock.
     */
    default String onDuplicateKeyLockRow(String key) {
        return onDuplicateKeyDoNothing(key);
    }

    /**
     * Runs {@code insert}, an INSERT of one row ending with {@link #onDuplicateKeyDoNothing}, and returns whether it
     * inserted the row: false when a row with the same key exists (after waiting for a transaction inserting it). Never
     * fails on the duplicate, so the transaction goes on. The one way rows are inserted only if absent (the limits'
     * slots in the lock table, the recurring jobs that instances starting together add at once).
     */
    default boolean insertIfAbsent(java.sql.PreparedStatement insert) throws SQLException {
        try {
            return insert.executeUpdate() > 0;
        } catch (SQLException e) {
            // MySQL, MariaDB and H2 undo only the failed statement
            if (duplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Whether the statement failed because a row with the same unique key exists (H2 and PostgreSQL, MySQL). */
    default boolean duplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 1062;
    }

    /**
     * Whether instances can tell each other about enqueued jobs through the database ({@code LISTEN/NOTIFY}, see
     * {@link EnqueueChannel}); the others find them by polling.
     */
    default boolean listensAndNotifies() {
        return false;
    }

    /** A UTC time as a JDBC parameter value for a DATETIME(6) / TIMESTAMP(6) column. */
    default Object timestamp(java.time.Instant instant) {
        return JobClock.toDb(instant);
    }

    /**
     * Whether a schema script's statement failed only because an interrupted earlier run of the same script made
     * its change already (a column or index that exists): for databases whose DDL has no {@code IF NOT EXISTS}.
     */
    default boolean madeAlready(SQLException e) {
        return false;
    }

    /** A human name for logs and errors, with the version. */
    String describe();

    static Dialect detect(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String product = meta.getDatabaseProductName();
        String version = meta.getDatabaseProductVersion();
        String lower = (product + " " + version).toLowerCase(Locale.ROOT);
        if (lower.contains("mariadb")) {
            // MariaDB reports "5.5.5-10.11.19-MariaDB" to MySQL Connector/J: the real version follows the prefix
            int[] v = versionAfterPrefix(version);
            require(v, 10, 6, "MariaDB", version);
            return new MySqlDialect("MariaDB " + v[0] + "." + v[1], true);
        }
        if (lower.contains("mysql")) {
            int[] v = versionAfterPrefix(version);
            require(v, 8, 0, "MySQL", version);
            return new MySqlDialect("MySQL " + v[0] + "." + v[1], false);
        }
        if (lower.contains("postgresql")) {
            return new PostgreSqlDialect("PostgreSQL " + meta.getDatabaseMajorVersion() + "." + meta.getDatabaseMinorVersion());
        }
        if (lower.contains("h2")) {
            return new H2Dialect("H2 " + version);
        }
        throw new IllegalStateException("Quarkus Hangfire does not support the database '" + product + " " + version
                + "': use MySQL 8.0+, MariaDB 10.6+, PostgreSQL or H2");
    }

    private static int[] versionAfterPrefix(String version) {
        String v = version.startsWith("5.5.5-") ? version.substring(6) : version;
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)").matcher(v);
        return m.find() ? new int[] { Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) } : new int[] { 0, 0 };
    }

    private static void require(int[] v, int major, int minor, String name, String reported) {
        if (v[0] < major || (v[0] == major && v[1] < minor)) {
            throw new IllegalStateException("Quarkus Hangfire needs " + name + " " + major + "." + minor
                    + " or newer for SELECT ... FOR UPDATE SKIP LOCKED, but the database reports version " + reported);
        }
    }
}
