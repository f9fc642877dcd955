package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** PostgreSQL: transactional DDL, session advisory locks for migrations. */
final class PostgreSqlDialect implements Dialect {

    /** An arbitrary constant key for pg_advisory_lock, shared by every instance. */
    private static final long LOCK_KEY = 0x48616e6766697265L;
    private final String description;

    PostgreSqlDialect(String description) {
        this.description = description;
    }

    @Override
    public String schemaFolder() {
        return "postgresql";
    }

    @Override
    public void lockSchema(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
        }
    }

    @Override
    public void unlockSchema(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
        }
    }

    @Override
    public boolean insertLockIfAbsent(Connection connection, String table, String name, String owner, Object expireAt)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table
                + " (name, owner, expire_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, name);
            ps.setString(2, owner);
            ps.setObject(3, expireAt);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public String describe() {
        return description;
    }
}
