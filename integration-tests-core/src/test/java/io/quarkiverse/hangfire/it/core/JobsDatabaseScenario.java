package io.quarkiverse.hangfire.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.runtime.storage.SchemaInstaller;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The jobs on a database of their own: the application's default datasource is one database, and
 * {@code quarkus.hangfire.datasource=jobs} puts the jobs (schema, server connections, transactions) on the
 * datasource "jobs" and its persistence unit. Everything {@link JobsScenario} checks holds there too.
 */
abstract class JobsDatabaseScenario extends JobsScenario {

    /** The application's own, default datasource. */
    @Inject
    DataSource applicationDatabase;

    @Inject
    Transactions transactions;

    static QuarkusUnitTest application(String dbKind, String applicationUrl, String jobsUrl, String user) {
        QuarkusUnitTest test = datasource(application(), null, dbKind, applicationUrl, user);
        return datasource(test, "jobs", dbKind, jobsUrl, user)
                .overrideConfigKey("quarkus.hibernate-orm.\"jobs\".datasource", "jobs")
                // Quarkus maps model classes to persistence units by package once there are several
                .overrideConfigKey("quarkus.hibernate-orm.\"jobs\".packages", "io.quarkiverse.hangfire.runtime.storage.entity")
                .overrideConfigKey("quarkus.hangfire.datasource", "jobs");
    }

    abstract String jobsUrl();

    abstract String user();

    @Test
    void theJobsAreInTheJobsDatabaseAndNotInTheApplicationsOwn() throws Exception {
        assertThat(transactions.unit().datasource()).isEqualTo("jobs");
        assertThat(transactions.unit().persistenceUnit()).isEqualTo("jobs");
        String id = jobs.enqueue(CoreJobs.class, j -> j.record("where"));
        try (Connection c = DriverManager.getConnection(jobsUrl(), user(), ""); Statement st = c.createStatement()) {
            assertThat(tables(c)).contains("hangfire_job", "hangfire_schema");
            try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM hangfire_schema")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(SchemaInstaller.CURRENT_VERSION);
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM hangfire_job WHERE id = " + Long.parseLong(id))) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
        try (Connection c = applicationDatabase.getConnection()) {
            assertThat(tables(c)).as("the application's default database").noneMatch(t -> t.startsWith("hangfire_"));
        }
    }
}
