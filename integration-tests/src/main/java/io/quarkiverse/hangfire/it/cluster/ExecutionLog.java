package io.quarkiverse.hangfire.it.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records each run of a cluster test job in the table {@code it_execution} (created by the tests): which
 * job, which process, which attempt, when it started and when it ended, in UTC with microseconds.
 * <p>
 * It writes through its own connections to {@value #URL_PROPERTY}, not through the application's
 * datasource: the outage test cuts that datasource and still needs to see what ran where and when.
 */
@Singleton
public class ExecutionLog {

    static final String URL_PROPERTY = "it.executions.jdbc-url";

    private static final long PID = ProcessHandle.current().pid();
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    @ConfigProperty(name = URL_PROPERTY)
    Optional<String> url;

    private final org.mariadb.jdbc.Driver driver = new org.mariadb.jdbc.Driver();
    /** Connections not in use; a connection that failed is closed instead of coming back here. */
    private final Queue<Connection> idle = new ConcurrentLinkedQueue<>();

    /** Records the start of a run, committed at once; returns the id of its row. */
    public long started(String jobId, int attempt) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO it_execution (job_id, pid, attempt, started_at) VALUES (?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, Long.parseLong(jobId));
                ps.setLong(2, PID);
                ps.setInt(3, attempt);
                ps.setString(4, now());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** Records the end of the run {@code execution}, and whether it stopped because it was cancelled. */
    public void ended(long execution, boolean cancelled) {
        withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE it_execution SET ended_at = ?, cancelled = ? WHERE id = ?")) {
                ps.setString(1, now());
                ps.setBoolean(2, cancelled);
                ps.setLong(3, execution);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Writes {@code token} for the job to the fenced store {@code it_fenced}, as an external system that honours
     * fencing tokens would: only if it holds no token for the job as high. Returns false when it refused the write.
     */
    public boolean fencedWrite(String jobId, long token) {
        return withConnection(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE it_fenced SET token = ?, pid = ?, writes = writes + 1 WHERE job_id = ? AND token < ?")) {
                update.setLong(1, token);
                update.setLong(2, PID);
                update.setLong(3, Long.parseLong(jobId));
                update.setLong(4, token);
                if (update.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT IGNORE INTO it_fenced (job_id, token, pid, writes) VALUES (?, ?, ?, 1)")) {
                insert.setLong(1, Long.parseLong(jobId));
                insert.setLong(2, token);
                insert.setLong(3, PID);
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** Records a write that was refused to the attempt holding {@code token}: by the server, or by the fenced store. */
    public void refused(String jobId, long token, String by) {
        withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO it_refusal (job_id, token, pid, refused_by) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, Long.parseLong(jobId));
                ps.setLong(2, token);
                ps.setLong(3, PID);
                ps.setString(4, by);
                return ps.executeUpdate();
            }
        });
    }

    /** Times as text, as the extension binds them: no driver or session time zone can shift them. */
    private static String now() {
        return MICROS.format(Instant.now());
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T withConnection(Work<T> work) {
        Connection c = idle.poll();
        try {
            if (c == null) {
                c = open();
            }
            T result = work.run(c);
            idle.add(c);
            return result;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw new IllegalStateException("Could not record the execution in it_execution: " + e, e);
        }
    }

    private Connection open() throws SQLException {
        String jdbcUrl = url.filter(u -> !u.isBlank()).orElseThrow(() -> new IllegalStateException(
                "Set " + URL_PROPERTY + " to the JDBC URL of the database that holds it_execution"
                        + " (for example -D" + URL_PROPERTY + "=jdbc:mariadb://127.0.0.1:3306/hangfire_cluster?user=root)"));
        Connection c = driver.connect(jdbcUrl, new Properties());
        if (c == null) {
            throw new IllegalStateException(URL_PROPERTY + " is not a MariaDB JDBC URL: " + jdbcUrl);
        }
        c.setAutoCommit(true);
        return c;
    }

    @PreDestroy
    void closeAll() {
        for (Connection c; (c = idle.poll()) != null;) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // it failed already
            }
        }
    }
}
