package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * H2, the embedded default of the demo. An embedded H2 database belongs to one JVM, so a JVM lock is enough
 * to keep migrations apart.
 */
final class H2Dialect implements Dialect {

    private static final ReentrantLock SCHEMA_LOCK = new ReentrantLock();
    private final String description;

    H2Dialect(String description) {
        this.description = description;
    }

    @Override
    public String schemaFolder() {
        return "h2";
    }

    @Override
    public void lockSchema(Connection connection) {
        SCHEMA_LOCK.lock();
    }

    @Override
    public void unlockSchema(Connection connection) {
        SCHEMA_LOCK.unlock();
    }

    /** Not used: {@link #insertLockIfAbsent} is H2's own. */
    @Override
    public String insertIgnoringDuplicate(String table, String columns, String key) {
        throw new UnsupportedOperationException("H2 has no insert-or-ignore outside its compatibility modes");
    }

    /** H2 has no insert-or-ignore outside its compatibility modes; a lost race shows as a duplicate key. */
    @Override
    public boolean insertLockIfAbsent(Connection connection, String table, String name, String owner, Object expireAt)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table + " (name, owner, expire_at)"
                + " SELECT CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(200)), CAST(? AS TIMESTAMP(6))"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE name = ?)")) {
            ps.setString(1, name);
            ps.setString(2, owner);
            ps.setObject(3, expireAt);
            ps.setString(4, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public String describe() {
        return description;
    }
}
