package io.quarkiverse.hangfire.it.cluster;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    @Override
    public void close() {
        processes.forEach(AppProcess::close);
        proxies.forEach(DatabaseProxy::close);
    }
}
