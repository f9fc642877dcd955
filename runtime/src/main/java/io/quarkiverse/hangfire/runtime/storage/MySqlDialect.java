package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** MySQL 8.0+ and MariaDB 10.6+, through either driver: one DDL, named locks for migrations. */
final class MySqlDialect implements Dialect {

    private static final String LOCK_NAME = "quarkus_hangfire_schema";
    private final String description;
    private final boolean mariaDb;

    MySqlDialect(String description, boolean mariaDb) {
        this.description = description;
        this.mariaDb = mariaDb;
    }

    /** MariaDB 10.5+ returns the ids of a multi-row INSERT itself; MySQL Connector/J computes them all. */
    @Override
    public String returningId() {
        return mariaDb ? " RETURNING id" : null;
    }

    @Override
    public String schemaFolder() {
        return "mysql";
    }

    /**
     * On a generated column that holds only a waiting job's deadline (no partial indexes here), so that state changes
     * of jobs without one leave the index alone.
     */
    @Override
    public String pastDeadline() {
        return "waiting_deadline < ? ORDER BY waiting_deadline";
    }

    /**
     * On a generated column that holds only the state of a job of a batch (no partial indexes here), so that state
     * changes of jobs of no batch leave the index alone.
     */
    @Override
    public String batchJobsInState() {
        return "batch_id = ? AND batch_state = ?";
    }

    @Override
    public void lockSchema(Connection connection) throws SQLException {
        // GET_LOCK belongs to the session, so it survives the implicit commits of DDL statements
        try (PreparedStatement ps = connection.prepareStatement("SELECT GET_LOCK(?, 300)")) {
            ps.setString(1, LOCK_NAME + "_" + connection.getCatalog());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    throw new SQLException("Timed out after 300 s waiting for another instance to finish the schema migration");
                }
            }
        }
    }

    @Override
    public void unlockSchema(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, LOCK_NAME + "_" + connection.getCatalog());
            ps.executeQuery().close();
        }
    }

    /**
     * READ COMMITTED for the server's transactions: under REPEATABLE READ, InnoDB's gap locks on the queue
     * indexes make the fetcher's scans block, and deadlock with, the inserts of enqueuing transactions.
     */
    @Override
    public void beginServerTransaction(Connection connection) throws SQLException {
        try (java.sql.Statement st = connection.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        }
    }

    /**
     * As text: MySQL Connector/J drops fractional seconds from temporal parameters when it believes the
     * server is older than MySQL 5.6.4, which MariaDB makes it believe ("5.5.5-10.11...").
     */
    @Override
    public Object timestamp(java.time.Instant instant) {
        return instant == null ? null : TEXT.format(JobClock.toDb(instant));
    }

    private static final java.time.format.DateTimeFormatter TEXT = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /**
     * 1060: duplicate column name, 1061: duplicate key name, 1091: no such index to drop (MySQL has no ADD COLUMN,
     * CREATE INDEX or DROP INDEX with IF [NOT] EXISTS).
     */
    @Override
    public boolean madeAlready(SQLException e) {
        return e.getErrorCode() == 1060 || e.getErrorCode() == 1061 || e.getErrorCode() == 1091;
    }

    @Override
    public String describe() {
        return description;
    }

    /** An exclusive lock on the duplicate: the no-op update takes it, and leaves the row as it was. */
    @Override
    public String onDuplicateKeyLockRow(String key) {
        return " ON DUPLICATE KEY UPDATE " + key + " = " + key;
    }

    /** MariaDB 10.6 has no FOR SHARE; MySQL 8 takes both. */
    @Override
    public String forShare() {
        return " LOCK IN SHARE MODE";
    }
}
