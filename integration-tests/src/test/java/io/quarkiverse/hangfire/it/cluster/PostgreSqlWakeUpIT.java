package io.quarkiverse.hangfire.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.quarkiverse.hangfire.it.cluster.ClusterDatabase.Execution;

/**
 * On PostgreSQL, a job enqueued by one instance starts on another within moments, although that server polls
 * only every 10 seconds: the enqueuing instance sends a NOTIFY after its commit, and the server listens on a
 * connection of its own. The listening connection is then killed in the database ({@code pg_terminate_backend}):
 * the server listens again on a new one, and the next job starts as quickly.
 * <p>
 * The processes run the application built for PostgreSQL (pom.xml, execution {@code build-postgresql}; tables
 * {@code hfpg_*} in the database of the in-process PostgreSQL run). Their jobs record their runs in the MariaDB
 * table {@code it_execution}, like those of the other cluster tests.
 */
class PostgreSqlWakeUpIT {

    static final Path JAR = Path.of(System.getProperty("it.cluster.postgresql.jar",
            "target/quarkus-app-postgresql/quarkus-run.jar"));
    static final String URL = System.getProperty("it.cluster.postgresql.jdbc-url",
            "jdbc:postgresql://127.0.0.1:5432/hangfire_it");
    static final String USERNAME = System.getProperty("it.cluster.postgresql.username", "postgres");
    static final String PASSWORD = System.getProperty("it.cluster.postgresql.password", "");
    static final String LISTEN = "LISTEN \"hfpg_enqueued\"";

    /** Far longer than a wake-up takes, far shorter than the poll interval. */
    static final Duration QUICKLY = Duration.ofSeconds(2);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(10);

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aJobEnqueuedByOneInstanceStartsOnAnotherAtOnceAlsoAfterItsListeningConnectionWasKilled() throws Exception {
        try (Cluster cluster = Cluster.create("PostgreSqlWakeUpIT")) {
            dropTables();
            Map<String, String> server = settings(cluster);
            server.put("quarkus.hangfire.server.poll-interval", POLL_INTERVAL.toMillis() + "ms");
            Map<String, String> client = settings(cluster);
            client.put("quarkus.hangfire.server.enabled", "false");
            List<AppProcess> apps = cluster.start(JAR, List.of(server, client));
            AppProcess worker = apps.get(0);
            AppProcess enqueuer = apps.get(1);

            long listener = await("the server listens").atMost(Duration.ofSeconds(30)).until(this::listenerPid,
                    Optional::isPresent).orElseThrow();
            List<Duration> before = startDelays(cluster, worker, enqueuer, 3);

            assertThat(terminate(listener)).as("listening backend terminated").isTrue();
            long again = await("the server listens again").atMost(Duration.ofSeconds(30))
                    .until(this::listenerPid, pid -> pid.isPresent() && pid.get() != listener).orElseThrow();
            List<Duration> after = startDelays(cluster, worker, enqueuer, 3);

            System.out.printf("[cluster] PostgreSqlWakeUpIT: poll interval %ds, enqueue to start on the other instance"
                    + " %s, after the listening backend %d was terminated (now %d) %s%n", POLL_INTERVAL.toSeconds(),
                    millis(before), listener, again, millis(after));
            assertThat(worker.logText()).contains("Hangfire enqueue listener failed").contains("Hangfire enqueue listener works again");
        }
    }

    /**
     * Enqueues {@code jobs} jobs on {@code enqueuer}, one after the other, and returns how long after each
     * enqueue it started on {@code worker}; each must start within {@link #QUICKLY}.
     */
    private static List<Duration> startDelays(Cluster cluster, AppProcess worker, AppProcess enqueuer, int jobs)
            throws Exception {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            // away from the moment the dispatcher last ran, so that a poll cannot be what starts the job
            Thread.sleep(500);
            Instant enqueued = Instant.now();
            long id = enqueuer.enqueue(1, List.of(1L), null).get(0);
            Execution run = await("job " + id + " started").atMost(POLL_INTERVAL.multipliedBy(3))
                    .pollInterval(Duration.ofMillis(20)).until(() -> execution(cluster, id), Optional::isPresent).orElseThrow();
            Duration delay = Duration.between(enqueued, run.startedAt());
            assertThat(run.pid()).as("job %d ran on the server, not on the instance that enqueued it", id)
                    .isEqualTo(worker.pid());
            assertThat(delay).as("from the enqueue on another instance to the start of job %d (poll interval %s)", id,
                    POLL_INTERVAL).isLessThan(QUICKLY);
            delays.add(delay);
        }
        return delays;
    }

    private static Optional<Execution> execution(Cluster cluster, long jobId) throws SQLException {
        return cluster.db.executions().stream().filter(e -> e.jobId() == jobId).findFirst();
    }

    private static Map<String, String> settings(Cluster cluster) {
        Map<String, String> settings = cluster.settings(URL);
        settings.put("it.cluster.db-kind", "postgresql");
        settings.put("quarkus.datasource.username", USERNAME);
        settings.remove("quarkus.datasource.password");
        if (!PASSWORD.isEmpty()) {
            settings.put("quarkus.datasource.password", PASSWORD);
        }
        return settings;
    }

    /** The backend that listens on the channel, if any. */
    private Optional<Long> listenerPid() throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity"
                + " WHERE datname = current_database() AND query = ? ORDER BY backend_start DESC")) {
            ps.setString(1, LISTEN);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static boolean terminate(long pid) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, (int) pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The processes create the tables again at startup. */
    private static void dropTables() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    + " AND tablename LIKE 'hfpg\\_%'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                s.execute("DROP TABLE IF EXISTS \"" + table + "\" CASCADE");
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USERNAME, PASSWORD);
    }

    private static List<Long> millis(List<Duration> delays) {
        return delays.stream().map(Duration::toMillis).toList();
    }
}
