package io.quarkiverse.hangfire.it.cluster;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one cluster test runs against: a freshly reset database, the application processes it starts and the
 * proxies it opens. {@link #close()} kills whatever is still running, whether the test passed or not.
 */
final class Cluster implements AutoCloseable {

    /** Short server timings, so that crash recovery takes seconds rather than the default half minute. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    static final Duration LEASE_TIMEOUT = Duration.ofSeconds(5);
    static final int WORKERS = 8;
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    /** The application built for MariaDB, which most cluster tests run. */
    static final Path JAR = Path.of(System.getProperty("it.cluster.jar", "target/quarkus-app/quarkus-run.jar"));

    final ClusterDatabase db = ClusterDatabase.fromSystemProperties();
    private final String test;
    private final Path logDir = Path.of(System.getProperty("it.cluster.logs", "target/cluster-logs"));
    private final List<AppProcess> processes = new ArrayList<>();
    private final List<DatabaseProxy> proxies = new ArrayList<>();

    private Cluster(String test) {
        this.test = test;
    }

    /** Resets the database; the processes started next create the extension's tables again. */
    static Cluster create(String test) throws SQLException {
        Cluster cluster = new Cluster(test);
        cluster.db.reset();
        return cluster;
    }

    /** The settings of a process that reaches the database at {@code datasourceUrl}. */
    Map<String, String> settings(String datasourceUrl) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("quarkus.datasource.jdbc.url", datasourceUrl);
        settings.put("quarkus.datasource.username", db.username);
        if (!db.password.isEmpty()) {
            settings.put("quarkus.datasource.password", db.password);
        }
        // the jobs record their runs directly in the database, never through the proxy
        settings.put("it.executions.jdbc-url", db.urlWithCredentials());
        settings.put("quarkus.hangfire.server.queues", "default");
        settings.put("quarkus.hangfire.server.workers", Integer.toString(WORKERS));
        settings.put("quarkus.hangfire.server.heartbeat-interval", HEARTBEAT_INTERVAL.toMillis() + "ms");
        settings.put("quarkus.hangfire.server.lease-timeout", LEASE_TIMEOUT.toMillis() + "ms");
        return settings;
    }

    Map<String, String> settings() {
        return settings(db.url);
    }

    /** A proxy in front of the database, closed with the cluster. */
    DatabaseProxy proxy() {
        DatabaseProxy proxy = new DatabaseProxy(db.hostAndPort());
        proxies.add(proxy);
        return proxy;
    }

    /** Starts one process per settings map, all at once, and waits until each answers HTTP. */
    List<AppProcess> start(List<Map<String, String>> settings) {
        return start(JAR, settings);
    }

    /** Starts one process of {@code jar} per settings map, all at once, and waits until each answers HTTP. */
    List<AppProcess> start(Path jar, List<Map<String, String>> settings) {
        List<AppProcess> started = new ArrayList<>();
        for (Map<String, String> s : settings) {
            AppProcess process = AppProcess.launch(test + "-" + (processes.size() + 1), jar, s, logDir);
            processes.add(process);
            started.add(process);
        }
        started.forEach(p -> p.awaitReady(STARTUP_TIMEOUT));
        return started;
    }

    AppProcess start(Map<String, String> settings) {
        return start(List.of(settings)).get(0);
    }

    /** The server rows of the database that holds the jobs, as a crash test reads them. */
    interface ServerRows {

        /** The id of the server row that the process {@code pid} registered, if it has one now. */
        Optional<String> serverIdOf(long pid) throws SQLException;

        /** The jobs {@code serverId} holds a claim on. */
        Collection<Long> jobsClaimedBy(String serverId) throws SQLException;
    }

    /** Two processes of {@link #JAR} on the cluster database, for a crash test: see {@link Crash}. */
    Crash startTwoForACrash() throws SQLException {
        return startTwoForACrash(JAR, settings(), db);
    }

    /**
     * Starts two processes of {@code jar} with the same {@code settings}, for a crash test: see {@link Crash}.
     *
     * @param rows where the processes register their servers and claim their jobs
     */
    Crash startTwoForACrash(Path jar, Map<String, String> settings, ServerRows rows) throws SQLException {
        List<AppProcess> apps = start(jar, List.of(settings, settings));
        AppProcess victim = apps.get(1);
        String victimServer = rows.serverIdOf(victim.pid())
                .orElseThrow(() -> new AssertionError(victim + " registered no server row"));
        return new Crash(apps.get(0), victim, victimServer, rows, db);
    }

    /**
     * Two processes serving the same jobs: the test creates its jobs through the survivor, then
     * {@link #killVictimMidway()} kills the other one with SIGKILL while it holds some of them.
     *
     * @param victimServer the server row of the victim, which the survivor's watchdog removes after the kill
     * @param rows where the processes register their servers and claim their jobs
     * @param executions where the jobs record their runs
     */
    record Crash(AppProcess survivor, AppProcess victim, String victimServer, ServerRows rows,
            ClusterDatabase executions) {

        /**
         * Waits until both processes ran at least 100 jobs and the victim holds claims, then kills the victim with
         * SIGKILL.
         *
         * @return when the signal was sent
         */
        Instant killVictimMidway() {
            await("both processes running jobs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Map<Long, Long> runs = executions.executionsByPid();
                        return runs.getOrDefault(survivor.pid(), 0L) >= 100 && runs.getOrDefault(victim.pid(), 0L) >= 100;
                    });
            await("victim holding jobs").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !rows.jobsClaimedBy(victimServer).isEmpty());
            return victim.kill();
        }
    }

    @Override
    public void close() {
        processes.forEach(AppProcess::close);
        proxies.forEach(DatabaseProxy::close);
    }
}
