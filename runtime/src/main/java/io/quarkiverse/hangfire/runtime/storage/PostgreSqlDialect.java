package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** PostgreSQL: transactional DDL, session advisory locks for migrations, LISTEN/NOTIFY wake-ups. */
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
    public boolean listensAndNotifies() {
        return true;
    }

    @Override
    public String describe() {
        return description;
    }

    /** A unique violation aborts a PostgreSQL transaction: the INSERT must not fail in the first place. */
    @Override
    public String onDuplicateKeyDoNothing(String key) {
        return " ON CONFLICT (" + key + ") DO NOTHING";
    }
}
