package io.quarkiverse.hangfire.it.cluster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;


/**
 * The database that the processes of a cluster test keep their jobs in, on MariaDB (the cluster database, tables
 * {@code hangfire_*}) or PostgreSQL (the application built for it, tables {@code hfpg_*}; see PostgreSqlWakeUpIT), with
 * the application table {@code it_effect} that transactional jobs write. What the exactly-once tests read in it.
 */
final class JobsDatabase implements Cluster.ServerRows {

    enum Kind {
        MARIADB,
        POSTGRESQL
    }

    final Kind kind;
    final Path jar;
    private final String url;
    private final String username;
    private final String password;
    private final String prefix;

    private JobsDatabase(Kind kind, Path jar, String url, String username, String password, String prefix) {
        this.kind = kind;
        this.jar = jar;
        this.url = url;
        this.username = username;
        this.password = password;
        this.prefix = prefix;
    }

    /**
     * The jobs' database of {@code kind}, emptied (the MariaDB one by {@link Cluster#create}): the processes started
     * next create their tables again.
     */
    static JobsDatabase prepare(Kind kind, Cluster cluster) throws SQLException {
        if (kind == Kind.MARIADB) {
            // Cluster.create reset it, it_effect included
            ClusterDatabase db = cluster.db;
            return new JobsDatabase(kind, Cluster.JAR, db.url, db.username, db.password, "hangfire_");
        }
        JobsDatabase pg = new JobsDatabase(kind, PostgreSqlWakeUpIT.JAR, PostgreSqlWakeUpIT.URL, PostgreSqlWakeUpIT.USERNAME,
                PostgreSqlWakeUpIT.PASSWORD, "hfpg_");
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    + " AND (tablename LIKE 'hfpg\\_%' OR tablename = 'it_effect')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                s.execute("DROP TABLE IF EXISTS \"" + table + "\" CASCADE");
            }
        }
        return pg;
    }

    /** The settings of a process of this database's application. */
    Map<String, String> settings(Cluster cluster) {
        Map<String, String> settings = cluster.settings(url);
        if (kind == Kind.POSTGRESQL) {
            settings.put("it.cluster.db-kind", "postgresql");
            settings.put("quarkus.datasource.username", username);
            settings.remove("quarkus.datasource.password");
            if (!password.isEmpty()) {
                settings.put("quarkus.datasource.password", password);
            }
        }
        return settings;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, username, password);
    }

    /** Jobs by current state. */
    Map<String, Long> countsByState() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT state, COUNT(*) FROM " + prefix + "job GROUP BY state")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /** Jobs whose success was recorded more than once. */
    long jobsSucceededMoreThanOnce() throws SQLException {
        // a success is in the history, or in the job's row while the history lacks it (history_pending)
        return count("SELECT COUNT(*) FROM (SELECT job_id FROM (SELECT job_id FROM " + prefix + "job_state"
                + " WHERE state = 'SUCCEEDED' UNION ALL SELECT id FROM " + prefix + "job WHERE state = 'SUCCEEDED'"
                + " AND history_pending > 0) s GROUP BY job_id HAVING COUNT(*) > 1) twice");
    }

    /** The transactional jobs among {@code ids}, which ClusterResource enqueued with {@code transactionalEvery}. */
    static List<Long> everyNth(List<Long> ids, int n) {
        List<Long> nth = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += n) {
            nth.add(ids.get(i));
        }
        return nth;
    }

    /** The committed rows of {@code it_effect} by job: what transactional jobs wrote. */
    Map<Long, List<Long>> effectPidsByJob() throws SQLException {
        Map<Long, List<Long>> rows = new TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT job_id, pid FROM it_effect ORDER BY job_id, token")) {
            while (rs.next()) {
                rows.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(rs.getLong(2));
            }
        }
        return rows;
    }

    /** The current attempt of each job: its fencing token. */
    Map<Long, Integer> attempts() throws SQLException {
        Map<Long, Integer> attempts = new LinkedHashMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, attempt FROM " + prefix + "job ORDER BY id")) {
            while (rs.next()) {
                attempts.put(rs.getLong(1), rs.getInt(2));
            }
        }
        return attempts;
    }

    /** The lines of the jobs' logs, as "job id:attempt:line". */
    List<String> logLines() throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT job_id, attempt, line FROM " + prefix + "job_log ORDER BY job_id, id")) {
            while (rs.next()) {
                lines.add(rs.getLong(1) + ":" + rs.getInt(2) + ":" + rs.getString(3));
            }
        }
        return lines;
    }

    @Override
    public java.util.Optional<String> serverIdOf(long pid) throws SQLException {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM " + prefix + "server WHERE id LIKE ?")) {
            ps.setString(1, "%:" + pid + ":%");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
            }
        }
    }

    @Override
    public List<Long> jobsClaimedBy(String serverId) throws SQLException {
        List<Long> jobs = new ArrayList<>();
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM " + prefix + "job WHERE owner = ? ORDER BY id")) {
            ps.setString(1, serverId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(rs.getLong(1));
                }
            }
        }
        return jobs;
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public String toString() {
        return kind.name();
    }
}
