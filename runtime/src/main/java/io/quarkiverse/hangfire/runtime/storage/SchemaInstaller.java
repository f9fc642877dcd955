package io.quarkiverse.hangfire.runtime.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;


/**
 * Creates and upgrades the extension's tables from the versioned scripts in
 * {@code META-INF/hangfire/schema/<database>/V<n>.sql}, under a database lock so that instances starting
 * together migrate once. Each applied version is recorded in the {@code schema} table.
 */
@Singleton
public class SchemaInstaller {

    /** The schema version this code needs. */
    public static final int CURRENT_VERSION = 8;

    private static final Logger LOG = Logger.getLogger(SchemaInstaller.class);

    @Inject
    Transactions transactions;

    /** Brings the schema to {@link #CURRENT_VERSION}, or, when {@code create} is false, checks that it is there. */
    public void install(boolean create) {
        // DDL commits implicitly on MySQL: migrate on a connection of our own, outside any JTA transaction
        try (Connection c = transactions.pool().getConnection()) {
            transactions.useDialect(install(c, transactions.tables(), CURRENT_VERSION, create));
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    /**
     * Brings the tables named by {@code tables} on this connection to {@code target} (at most
     * {@link #CURRENT_VERSION}; a test builds an older schema with it), under the schema lock; or, when
     * {@code create} is false, checks that they are there. Returns the database's dialect.
     */
    public static Dialect install(Connection c, Tables tables, int target, boolean create) throws SQLException {
        c.setAutoCommit(true);
        Dialect dialect = Dialect.detect(c);
        dialect.lockSchema(c);
        try {
            int installed = installedVersion(c, tables);
            if (installed > CURRENT_VERSION) {
                throw new IllegalStateException("The Hangfire tables (prefix '" + tables.prefix + "') are at schema version "
                        + installed + ", newer than the " + CURRENT_VERSION + " this application knows: upgrade Quarkus"
                        + " Hangfire in this application");
            }
            if (installed >= target) {
                LOG.debugf("Hangfire schema is at version %d on %s", installed, dialect.describe());
                return dialect;
            }
            if (!create) {
                throw new IllegalStateException("The Hangfire tables (prefix '" + tables.prefix + "') are at schema version "
                        + installed + " but version " + target + " is needed, and quarkus.hangfire.schema.create"
                        + " is false: apply the scripts V" + (installed + 1) + ".sql" + (installed + 1 < target
                                ? " to V" + target + ".sql" : "")
                        + " from META-INF/hangfire/schema/" + dialect.schemaFolder()
                        + "/ in the quarkus-hangfire jar, or let the extension create them");
            }
            for (int version = installed + 1; version <= target; version++) {
                apply(c, dialect, tables, version);
            }
            return dialect;
        } finally {
            dialect.unlockSchema(c);
        }
    }

    private static void apply(Connection c, Dialect dialect, Tables tables, int version) throws SQLException {
        String resource = "META-INF/hangfire/schema/" + dialect.schemaFolder() + "/V" + version + ".sql";
        List<String> statements = statements(resource, tables.prefix);
        LOG.infof("Creating Hangfire schema version %d (%d statements, prefix '%s') on %s", version, statements.size(),
                tables.prefix, dialect.describe());
        // transactional where the database allows it (PostgreSQL, H2); MySQL commits each DDL statement anyway,
        // which the IF NOT EXISTS clauses make safe to run again after an interrupted migration
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // each script ends by recording its version in the schema table
            for (String sql : statements) {
                try {
                    st.execute(sql);
                } catch (SQLException e) {
                    if (!dialect.madeAlready(e)) {
                        throw e;
                    }
                    LOG.infof("Hangfire schema version %d: %s was done by an earlier, interrupted run", version, sql);
                }
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * The schema version the database has now, read on a pooled connection of its own with {@code timeout} for the
     * query (the readiness check). Throws when the database does not answer.
     */
    public int installedVersion(java.time.Duration timeout) {
        try (Connection c = transactions.pool().getConnection()) {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + transactions.tables().schema)) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    private static int installedVersion(Connection c, Tables tables) throws SQLException {
        if (!tableExists(c, tables.schema)) {
            return 0;
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + tables.schema)) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    /** Asked through the metadata rather than by a failing query, which drivers log as an error. */
    private static boolean tableExists(Connection c, String table) throws SQLException {
        for (String name : new String[] { table, table.toUpperCase(java.util.Locale.ROOT), table.toLowerCase(java.util.Locale.ROOT) }) {
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, name, new String[] { "TABLE" })) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The statements of a script: comment lines dropped, split at semicolons, the prefix filled in. */
    static List<String> statements(String resource, String prefix) {
        String text;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing schema script " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read schema script " + resource, e);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : sql.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.trim().replace("${prefix}", prefix));
            }
        }
        return statements;
    }
}
