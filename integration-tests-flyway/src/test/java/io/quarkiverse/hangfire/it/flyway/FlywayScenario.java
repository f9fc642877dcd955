package io.quarkiverse.hangfire.it.flyway;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.stream.IntStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.storage.SchemaInstaller;
import io.quarkus.test.QuarkusUnitTest;

/**
 * An application with Flyway migrations of its own that lets Flyway, not the extension, create the Hangfire
 * tables ({@code quarkus.hangfire.schema.create=false}): the scripts the extension ships are a Flyway location per
 * database kind, the prefix a placeholder, and their history is kept in a Flyway history table of their own (a
 * second Flyway, on a datasource to the same database), so that their versions never meet the application's.
 * Every shipped script is applied, a version added later included, and jobs then run on the tables.
 */
abstract class FlywayScenario {

    static final String HANGFIRE_HISTORY = "hangfire_flyway_history";

    @Inject
    JobScheduler jobs;

    @Inject
    DataSource dataSource;

    /** The configuration of the documented setup, for one database. */
    static QuarkusUnitTest application(String dbKind, String url, String user, String schemaFolder) {
        QuarkusUnitTest test = new QuarkusUnitTest()
                .withApplicationRoot(jar -> jar.addClasses(FlywayScenario.class, Greetings.class)
                        .addAsResource("app-migrations/V1__app_customer.sql", "db/migration/V1__app_customer.sql"));
        for (String datasource : List.of("quarkus.datasource.", "quarkus.datasource.\"hangfire-schema\".")) {
            test.overrideConfigKey(datasource + "db-kind", dbKind)
                    .overrideConfigKey(datasource + "jdbc.url", url)
                    .overrideConfigKey(datasource + "username", user)
                    .overrideConfigKey(datasource + "password", "")
                    .overrideConfigKey(datasource + "devservices.enabled", "false");
        }
        String hangfireFlyway = "quarkus.flyway.\"hangfire-schema\".";
        return test.overrideConfigKey("quarkus.hangfire.schema.create", "false")
                .overrideConfigKey("quarkus.flyway.migrate-at-start", "true")
                .overrideConfigKey(hangfireFlyway + "migrate-at-start", "true")
                .overrideConfigKey(hangfireFlyway + "locations", "classpath:META-INF/hangfire/schema/" + schemaFolder)
                .overrideConfigKey(hangfireFlyway + "table", HANGFIRE_HISTORY)
                .overrideConfigKey(hangfireFlyway + "placeholders.prefix", "hangfire_")
                .overrideConfigKey(hangfireFlyway + "baseline-on-migrate", "true")
                .overrideConfigKey(hangfireFlyway + "baseline-version", "0")
                .overrideConfigKey("quarkus.hangfire.server.poll-interval", "100ms");
    }

    /** Empties the database before the application starts, once per JVM (the class is initialised twice). */
    static boolean emptyDatabase(String url, String user, boolean postgresql) {
        if (System.getProperty("hangfire.flyway-test.emptied." + url) != null) {
            return true;
        }
        System.setProperty("hangfire.flyway-test.emptied." + url, "true");
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement st = c.createStatement()) {
            if (postgresql) {
                st.execute("DROP SCHEMA public CASCADE");
                st.execute("CREATE SCHEMA public");
                return true;
            }
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] { "TABLE" })) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String table : tables) {
                st.execute("DROP TABLE `" + table + "`");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot empty " + url + " (is the database server up? run .ci/services)", e);
        }
        return true;
    }

    @Test
    void flywayAppliesEveryShippedVersionAndJobsRun() throws Exception {
        List<String> expected = IntStream.rangeClosed(1, SchemaInstaller.CURRENT_VERSION).mapToObj(String::valueOf)
                .toList();
        assertThat(strings("SELECT version FROM " + HANGFIRE_HISTORY + " WHERE success AND version <> '0'"
                + " ORDER BY installed_rank")).as("Hangfire's scripts, applied by Flyway").isEqualTo(expected);
        assertThat(strings("SELECT MAX(version) FROM hangfire_schema")).as("the version the extension checks")
                .containsExactly(String.valueOf(SchemaInstaller.CURRENT_VERSION));
        assertThat(strings("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
                .as("the application's own migrations, in their own history").containsExactly("1");

        String id = jobs.enqueue(Greetings.class, g -> g.greet("flyway"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.monitor().job(id).orElseThrow().state() == JobState.SUCCEEDED);
        assertThat(Greetings.GREETED).contains("flyway");
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    public static class Greetings {

        static final Set<String> GREETED = ConcurrentHashMap.newKeySet();

        @BackgroundJob
        public void greet(String name) {
            GREETED.add(name);
        }
    }
}
