package io.quarkiverse.hangfire.it.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MariaDB database that the cluster tests share with the processes they start, read directly over JDBC:
 * the tests judge the outcome from the tables, never through the application under test.
 */
final class ClusterDatabase implements Cluster.ServerRows {

    private static final Pattern URL = Pattern.compile("(jdbc:[a-z]+://)([^/?]+)/([^?]*)(\\?.*)?");

    final String url;
    final String username;
    final String password;

    private ClusterDatabase(String url, String username, String password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** From the system properties that the failsafe execution in pom.xml passes. */
    static ClusterDatabase fromSystemProperties() {
        return new ClusterDatabase(
                System.getProperty("it.cluster.jdbc-url", "jdbc:mariadb://127.0.0.1:3306/hangfire_cluster"),
                System.getProperty("it.cluster.username", "root"),
                System.getProperty("it.cluster.password", ""));
    }

    /** host:port of the database server. */
    String hostAndPort() {
        return parts().group(2);
    }

    /** The same database reached through another host and port (a proxy). */
    String urlThrough(String hostAndPort) {
        Matcher m = parts();
        return m.group(1) + hostAndPort + "/" + m.group(3) + (m.group(4) == null ? "" : m.group(4));
    }

    /** The URL with the credentials in it, for settings that take a URL only. */
    String urlWithCredentials() {
        String credentials = "user=" + username + (password.isEmpty() ? "" : "&password=" + password);
        return url + (url.contains("?") ? "&" : "?") + credentials;
    }

    private Matcher parts() {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a JDBC URL of the form jdbc:mariadb://host:port/database: " + url);
        }
        return m;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, username, password);
    }

    /**
     * Starts from nothing: creates the database if it is missing, drops the extension's tables (the processes
     * create them again at startup) and creates an empty {@code it_execution}.
     */
    void reset() throws SQLException {
        Matcher m = parts();
        try (Connection server = DriverManager.getConnection(m.group(1) + m.group(2) + "/", username, password);
                Statement s = server.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS `" + m.group(3) + "` CHARACTER SET utf8mb4");
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = DATABASE() AND (table_name LIKE 'hangfire\\_%'"
                    + " OR table_name IN ('it_execution', 'it_effect', 'it_fenced', 'it_refusal'))")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                s.execute("DROP TABLE `" + table + "`");
            }
            s.execute("""
                    CREATE TABLE it_execution (
                        id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                        job_id BIGINT NOT NULL,
                        pid BIGINT NOT NULL,
                        attempt INT NOT NULL,
                        started_at DATETIME(6) NOT NULL,
                        ended_at DATETIME(6) NULL,
                        cancelled BOOLEAN NULL,
                        INDEX ix_it_execution_job (job_id)
                    ) ENGINE=InnoDB""");
            // the fenced external store of ClusterJobs.stubborn, and the writes refused to stale attempts
            s.execute("""
                    CREATE TABLE it_fenced (
                        job_id BIGINT NOT NULL PRIMARY KEY,
                        token BIGINT NOT NULL,
                        pid BIGINT NOT NULL,
                        writes INT NOT NULL
                    ) ENGINE=InnoDB""");
            s.execute("""
                    CREATE TABLE it_refusal (
                        job_id BIGINT NOT NULL,
                        token BIGINT NOT NULL,
                        pid BIGINT NOT NULL,
                        refused_by VARCHAR(20) NOT NULL
                    ) ENGINE=InnoDB""");
        }
    }

    /** One run of a job, as the job recorded it. {@code endedAt} is null when the run never reported its end. */
    record Execution(long id, long jobId, long pid, int attempt, Instant startedAt, Instant endedAt, Boolean cancelled) {
    }

    /** One row of a job's state history. */
    record HistoryRow(long id, long jobId, String state, String reason, Instant createdAt, String data) {
    }

    List<Execution> executions() throws SQLException {
        List<Execution> executions = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, job_id, pid, attempt, started_at, ended_at, cancelled"
                        + " FROM it_execution ORDER BY job_id, started_at, id")) {
            while (rs.next()) {
                executions.add(new Execution(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), instant(rs, 5),
                        instant(rs, 6), (Boolean) rs.getObject(7, Boolean.class)));
            }
        }
        return executions;
    }

    /** Executions recorded so far, by process id. */
    Map<Long, Long> executionsByPid() throws SQLException {
        Map<Long, Long> counts = new LinkedHashMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pid, COUNT(*) FROM it_execution GROUP BY pid ORDER BY pid")) {
            while (rs.next()) {
                counts.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /** Jobs by current state; empty before the first process created the tables. */
    Map<String, Long> countsByState() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT state, COUNT(*) FROM hangfire_job GROUP BY state ORDER BY state")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /** The occurrence of every job created by a recurring job, by recurring job id, oldest first. */
    Map<String, List<Instant>> recurringOccurrences() throws SQLException {
        Map<String, List<Instant>> occurrences = new java.util.TreeMap<>();
        try (Connection c = connect(); PreparedStatement ps = prepare(c, "SELECT r.param_value, o.param_value"
                + " FROM hangfire_job_parameter r JOIN hangfire_job_parameter o ON o.job_id = r.job_id AND o.name = 'occurrence'"
                + " WHERE r.name = 'recurringJobId' ORDER BY o.param_value"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                occurrences.computeIfAbsent(unquote(rs.getString(1)), k -> new ArrayList<>())
                        .add(Instant.parse(unquote(rs.getString(2))));
            }
        }
        return occurrences;
    }

    private static String unquote(String json) {
        return json.substring(1, json.length() - 1);
    }

    long count(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Jobs with more than one Succeeded row in their history: an outcome recorded twice. */
    long jobsSucceededMoreThanOnce() throws SQLException {
        // a success is in the history, or in the job's row while the history lacks it (history_pending)
        return count("SELECT COUNT(*) FROM (SELECT job_id FROM (SELECT job_id FROM hangfire_job_state WHERE state = 'SUCCEEDED'"
                + " UNION ALL SELECT id FROM hangfire_job WHERE state = 'SUCCEEDED' AND history_pending > 0) s"
                + " GROUP BY job_id HAVING COUNT(*) > 1) twice");
    }

    @Override
    public Optional<String> serverIdOf(long pid) throws SQLException {
        try (Connection c = connect();
                PreparedStatement ps = prepare(c, "SELECT id FROM hangfire_server WHERE id LIKE ?", "%:" + pid + ":%");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    @Override
    public Set<Long> jobsClaimedBy(String serverId) throws SQLException {
        Set<Long> jobs = new TreeSet<>();
        try (Connection c = connect();
                PreparedStatement ps = prepare(c, "SELECT id FROM hangfire_job WHERE owner = ?", serverId);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                jobs.add(rs.getLong(1));
            }
        }
        return jobs;
    }

    /** The ids of the jobs of one job name. */
    List<Long> jobIdsNamed(String jobName) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = prepare(c, "SELECT id FROM hangfire_job WHERE job_name = ?", jobName);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /**
     * When each job of one job name entered Processing (its claims), from the history and, for a latest claim the
     * history lacks, from the job's row (a Processing job's pending state, or the claim before a pending success).
     */
    List<Instant> processingTimes(String jobName) throws SQLException {
        List<Instant> times = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = prepare(c, "SELECT s.created_at FROM hangfire_job_state s JOIN"
                + " hangfire_job j ON j.id = s.job_id WHERE j.job_name = ? AND s.state = 'PROCESSING'"
                + " UNION ALL SELECT claimed_at FROM hangfire_job WHERE job_name = ? AND ((state = 'PROCESSING'"
                + " AND history_pending > 0) OR (state = 'SUCCEEDED' AND history_pending > 1))", jobName, jobName);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                times.add(instant(rs, 1));
            }
        }
        return times;
    }

    /** History rows in the given state whose reason contains {@code text}, oldest first. */
    List<HistoryRow> history(String state, String reasonContains) throws SQLException {
        return history("WHERE state = ? AND reason LIKE ? ORDER BY id", state, "%" + reasonContains + "%");
    }

    /** The whole history of one job, oldest first. */
    List<HistoryRow> historyOf(long jobId) throws SQLException {
        return history("WHERE job_id = ? ORDER BY id", jobId);
    }

    /** The current state of each job. */
    Map<Long, String> statesOf(List<Long> jobIds) throws SQLException {
        Map<Long, String> states = new LinkedHashMap<>();
        for (long id : jobIds) {
            try (Connection c = connect(); PreparedStatement ps = prepare(c, "SELECT state FROM hangfire_job WHERE id = ?", id);
                    ResultSet rs = ps.executeQuery()) {
                states.put(id, rs.next() ? rs.getString(1) : null);
            }
        }
        return states;
    }

    private List<HistoryRow> history(String where, Object... args) throws SQLException {
        List<HistoryRow> rows = new ArrayList<>();
        try (Connection c = connect();
                PreparedStatement ps = prepare(c, "SELECT id, job_id, state, reason, created_at, data FROM hangfire_job_state "
                        + where, args);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new HistoryRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), instant(rs, 5),
                        rs.getString(6)));
            }
        }
        return rows;
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    /** DATETIME(6) columns hold UTC. */
    private static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
