package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.test.QuarkusUnitTest;

/**
 * With a non-default prefix, on MariaDB, the extension creates exactly its tables under that prefix,
 * Hibernate's own drop-and-create leaves them alone, and jobs run through them.
 */
class TablePrefixTest {

    static final String URL = System.getProperty("it.prefix.url", "jdbc:mariadb://127.0.0.1:3306/hangfire_prefix_it");

    /** Runs before the application starts (static fields initialise in order). */
    static final boolean CLEANED = cleanDatabase();

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Counter.class))
            .overrideConfigKey("quarkus.hangfire.table-prefix", "hfx_")
            .overrideConfigKey("quarkus.datasource.db-kind", "mariadb")
            .overrideConfigKey("quarkus.datasource.jdbc.url", URL)
            .overrideConfigKey("quarkus.datasource.username", System.getProperty("it.prefix.username", "root"))
            .overrideConfigKey("quarkus.datasource.password", System.getProperty("it.prefix.password", ""))
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .overrideConfigKey("quarkus.hibernate-orm.schema-management.strategy", "drop-and-create")
            .overrideRuntimeConfigKey("quarkus.hangfire.server.poll-interval", "100ms");

    @Inject
    JobScheduler jobs;

    @Inject
    DataSource dataSource;

    static boolean cleanDatabase() {
        // the test class is initialised again by the application's class loader: clean only once per JVM
        if (System.getProperty("hangfire.prefix-test.cleaned") != null) {
            return true;
        }
        System.setProperty("hangfire.prefix-test.cleaned", "true");
        // a fresh database: drop whatever an earlier run left, so the extension creates its tables anew
        try (Connection c = java.sql.DriverManager.getConnection(URL, System.getProperty("it.prefix.username", "root"),
                System.getProperty("it.prefix.password", ""))) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] { "TABLE" })) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            try (Statement st = c.createStatement()) {
                for (String table : tables) {
                    st.execute("DROP TABLE `" + table + "`");
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Cannot clean " + URL + " (is MariaDB up? run .ci/services)", e);
        }
        return true;
    }

    @Test
    void exactlyThePrefixedTablesExistAndJobsRunThroughThem() throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] { "TABLE" })) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        assertThat(tables).containsExactlyInAnyOrder("hfx_job", "hfx_job_state", "hfx_job_parameter", "hfx_job_log",
                "hfx_server", "hfx_recurring_job", "hfx_lock", "hfx_counter", "hfx_schema", "hfx_job_unique", "hfx_queue_pause",
                "hfx_rate_limit", "hfx_batch", "hfx_fan_in", "hfx_fan_in_parent");

        String id = jobs.enqueue(Counter.class, counter -> counter.count());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.monitor().job(id).map(d -> d.state()).orElse(null) == JobState.SUCCEEDED);
        assertThat(Counter.RUNS.get()).isEqualTo(1);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT state FROM hfx_job WHERE id = " + id)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("SUCCEEDED");
        }
    }

    public static class Counter {
        static final AtomicInteger RUNS = new AtomicInteger();

        @BackgroundJob
        public void count() {
            RUNS.incrementAndGet();
        }
    }
}
