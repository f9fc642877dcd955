package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** MySQL 8.0+ and MariaDB 10.6+, through either driver: one DDL, named locks for migrations. */
final class MySqlDialect implements Dialect {

    private static final String LOCK_NAME = "quarkus_hangfire_schema";
    private final String description;

    MySqlDialect(String description) {
        this.description = description;
    }

    @Override
    public String schemaFolder() {
        return "mysql";
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

    @Override
    public String describe() {
        return description;
    }
}
