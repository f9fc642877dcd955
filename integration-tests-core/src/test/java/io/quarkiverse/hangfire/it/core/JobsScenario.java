package io.quarkiverse.hangfire.it.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.Recurring;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.QuarkusUnitTest;

/**
 * An application with the core extension alone: no dashboard, no HTTP server, no REST, no security on its classpath,
 * and fire-and-forget jobs, continuations and recurring jobs run all the same, a job enqueued in the caller's
 * transaction sharing its fate. Each subclass starts it once, on its database.
 */
abstract class JobsScenario {

    /**
     * Runtime classes of the extensions the core must not bring: Vert.x HTTP (and Vert.x Web), Quarkus REST, Security,
     * the dashboard. (API jars such as jakarta.ws.rs-api come onto the test's own classpath with Quarkus's build tooling,
     * so the check names the extensions' runtime classes, and the features the application reports.)
     */
    static final List<String> ABSENT = List.of("io.quarkus.vertx.http.runtime.VertxHttpRecorder", "io.vertx.ext.web.Router",
            "io.quarkus.resteasy.reactive.server.runtime.ResteasyReactiveRecorder",
            "io.quarkus.security.runtime.SecurityIdentityAssociation",
            "io.quarkiverse.hangfire.runtime.dashboard.DashboardApi");

    /** Features of those extensions, as Quarkus lists them at startup. */
    static final List<String> ABSENT_FEATURES = List.of("vertx-http", "rest", "rest-jackson", "security",
            "hangfire-dashboard", "smallrye-health");

    @Inject
    JobScheduler jobs;

    /** The application of a scenario, with {@link CoreJobs} and the scenario's own {@code jobClasses}. */
    static QuarkusUnitTest application(Class<?>... jobClasses) {
        return new QuarkusUnitTest()
                .withApplicationRoot(jar -> jar.addClasses(JobsScenario.class, CoreJobs.class).addClasses(jobClasses))
                .setLogRecordPredicate(r -> r.getMessage() != null && r.getMessage().startsWith("Installed features"))
                .assertLogRecords(JobsScenario::checkFeatures)
                .overrideConfigKey("quarkus.hangfire.server.poll-interval", "100ms")
                .overrideConfigKey("quarkus.hangfire.server.scheduler-interval", "200ms")
                .overrideConfigKey("quarkus.devservices.enabled", "false");
    }

    static QuarkusUnitTest datasource(QuarkusUnitTest test, String name, String dbKind, String url, String user) {
        String prefix = name == null ? "quarkus.datasource." : "quarkus.datasource.\"" + name + "\".";
        return test.overrideConfigKey(prefix + "db-kind", dbKind).overrideConfigKey(prefix + "jdbc.url", url)
                .overrideConfigKey(prefix + "username", user).overrideConfigKey(prefix + "password", "");
    }

    @Test
    void noHttpServerRestOrSecurityIsOnTheClasspath() throws Exception {
        ClassLoader application = Thread.currentThread().getContextClassLoader();
        assertThat(Class.forName("io.quarkiverse.hangfire.runtime.storage.Transactions", false, application))
                .as("the check sees the application's classes").isNotNull();
        for (String name : ABSENT) {
            assertThatThrownBy(() -> Class.forName(name, false, application)).as(name)
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    /**
     * The features the application reports at startup ("Installed features: [...]"), checked when the test class is
     * done: the core's, and none of an HTTP server, REST, security or the dashboard.
     */
    static void checkFeatures(List<LogRecord> records) {
        List<String> lines = records.stream()
                .map(r -> r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage()).toList();
        assertThat(lines).as("the startup's feature line").hasSize(1);
        String line = lines.get(0);
        List<String> features = List.of(line.substring(line.indexOf('[') + 1, line.lastIndexOf(']')).split(",\\s*"));
        assertThat(features).contains("hangfire", "hibernate-orm").doesNotContainAnyElementsOf(ABSENT_FEATURES);
    }

    @Test
    void jobsContinuationsAndRecurringJobsRun() {
        String parent = jobs.enqueue(CoreJobs.class, j -> j.record("parent"));
        String child = jobs.continueWith(parent, CoreJobs.class, j -> j.record("child"));
        await().atMost(Duration.ofSeconds(60)).until(() -> state(child) == JobState.SUCCEEDED);
        assertThat(state(parent)).isEqualTo(JobState.SUCCEEDED);
        assertThat(CoreJobs.RAN).contains("parent", "child");
        // @Recurring every second: created at startup, run by the recurring scheduler
        await().atMost(Duration.ofSeconds(60)).until(() -> CoreJobs.RAN.contains("tick"));
        assertThat(jobs.recurring().get("core-tick")).isPresent();
    }

    @Test
    void aJobEnqueuedInARolledBackTransactionIsNeverStored() {
        AtomicReference<String> rolledBack = new AtomicReference<>();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            rolledBack.set(jobs.enqueue(CoreJobs.class, j -> j.record("rolled back")));
            throw new IllegalStateException("the caller fails after enqueueing");
        })).hasMessageContaining("the caller fails");
        String committed = QuarkusTransaction.requiringNew().call(() -> jobs.enqueue(CoreJobs.class, j -> j.record("committed")));
        await().atMost(Duration.ofSeconds(60)).until(() -> state(committed) == JobState.SUCCEEDED);
        assertThat(rolledBack.get()).isNotNull();
        assertThat(jobs.monitor().job(rolledBack.get())).isEmpty();
        assertThat(CoreJobs.RAN).doesNotContain("rolled back");
    }

    JobState state(String id) {
        return jobs.monitor().job(id).orElseThrow().state();
    }

    /** Drops every table of a test database before the application starts, once per JVM. */
    static boolean emptyDatabase(String url, String user, boolean postgresql) {
        if (System.getProperty("hangfire.core-test.emptied." + url) != null) {
            return true;
        }
        System.setProperty("hangfire.core-test.emptied." + url, "true");
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement st = c.createStatement()) {
            if (postgresql) {
                st.execute("DROP SCHEMA public CASCADE");
                st.execute("CREATE SCHEMA public");
                return true;
            }
            for (String table : tables(c)) {
                st.execute("DROP TABLE `" + table + "`");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot empty " + url + " (is the database server up? run .ci/services)", e);
        }
        return true;
    }

    static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] { "TABLE" })) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
            }
        }
        return tables;
    }

    public static class CoreJobs {

        static final Set<String> RAN = ConcurrentHashMap.newKeySet();

        @BackgroundJob
        public void record(String what) {
            RAN.add(what);
        }

        @BackgroundJob
        @Recurring(id = "core-tick", cron = "* * * * * *")
        public void tick() {
            RAN.add("tick");
        }
    }
}
