package io.quarkiverse.hangfire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.RecurringOptions;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 10,000 recurring jobs firing every minute: one minute of occurrences is created completely, once each. The
 * counts are asserted; how late the occurrences were is printed for the benchmark report. On MariaDB and H2.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "it.database", matches = "h2|mariadb")
class RecurringLoadTest {

    static final int RECURRING = 10_000;
    /** Not served by the test server, so the created jobs wait and are removed at the end. */
    static final String QUEUE = "recurring-load";

    @Inject
    JobScheduler jobs;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void tenThousandRecurringJobsCreateAMinuteOfOccurrencesOnceEach() throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < RECURRING; i++) {
            jobs.recurring().addOrUpdate("load-" + i, "TestJobs.noop", "0 * * * * *",
                    RecurringOptions.DEFAULTS.withQueue(QUEUE));
        }
        long registered = System.nanoTime();
        // the first minute that starts after every recurring job is registered
        Instant occurrence = JobClock.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        try {
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> count("SELECT COUNT(*) FROM hangfire_recurring_job WHERE id LIKE 'load-%' AND next_execution <= ?",
                            occurrence) == 0);
            long createdForMinute = count("SELECT COUNT(*) FROM hangfire_job_parameter WHERE name = 'occurrence' AND param_value = ?"
                    + " AND job_id IN (SELECT id FROM hangfire_job WHERE queue = '" + QUEUE + "')", "\"" + occurrence + "\"");
            long distinctRecurring = count("SELECT COUNT(DISTINCT r.param_value) FROM hangfire_job_parameter r"
                    + " JOIN hangfire_job_parameter o ON o.job_id = r.job_id AND o.name = 'occurrence' AND o.param_value = ?"
                    + " WHERE r.name = 'recurringJobId'", "\"" + occurrence + "\"");
            double lastCreatedSeconds = lateness(occurrence);
            System.out.printf("recurring load (%s): %d recurring jobs registered in %.1f s; occurrence %s: %d jobs from %d"
                    + " recurring jobs, the last created %.2f s after the occurrence%n", System.getProperty("it.database"),
                    RECURRING, (registered - started) / 1e9, occurrence, createdForMinute, distinctRecurring,
                    lastCreatedSeconds);
            assertThat(createdForMinute).isEqualTo(RECURRING);
            assertThat(distinctRecurring).isEqualTo(RECURRING);
        } finally {
            cleanUp();
        }
    }

    private double lateness(Instant occurrence) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT MAX(created_at) FROM hangfire_job WHERE queue = ?")) {
            ps.setString(1, QUEUE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Instant last = JobClock.fromDb(rs.getObject(1, java.time.LocalDateTime.class));
                return Duration.between(occurrence, last).toMillis() / 1000.0;
            }
        }
    }

    private void cleanUp() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM hangfire_recurring_job WHERE id LIKE 'load-%'");
            String jobs = "SELECT id FROM hangfire_job WHERE queue = '" + QUEUE + "'";
            for (String table : new String[] { "hangfire_job_state", "hangfire_job_parameter" }) {
                st.executeUpdate("DELETE FROM " + table + " WHERE job_id IN (" + jobs + ")");
            }
            st.executeUpdate("DELETE FROM hangfire_job WHERE queue = '" + QUEUE + "'");
        }
    }

    private long count(String query, Object parameter) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(query)) {
            ps.setObject(1, parameter instanceof Instant i ? java.sql.Timestamp.from(i) : parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
