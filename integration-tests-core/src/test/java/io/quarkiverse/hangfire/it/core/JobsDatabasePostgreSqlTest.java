package io.quarkiverse.hangfire.it.core;

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkiverse.hangfire.JobOptions;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The jobs on a PostgreSQL database of their own, beside the application's default PostgreSQL database; the wake-ups
 * between instances go through the jobs' database too: the server listens there and not on the application's
 * database, and an enqueue here is announced there (in the queue {@code parked}, which the server does not serve).
 */
class JobsDatabasePostgreSqlTest extends JobsDatabaseScenario {

    static final String APP_URL = System.getProperty("it.app.postgresql.url", "jdbc:postgresql://127.0.0.1:5432/hangfire_app");
    static final String JOBS_URL = System.getProperty("it.jobs.postgresql.url", "jdbc:postgresql://127.0.0.1:5432/hangfire_jobs");

    static final String CHANNEL = "hangfire_enqueued";

    static final boolean EMPTIED = emptyDatabase(APP_URL, "postgres", true) && emptyDatabase(JOBS_URL, "postgres", true);

    @RegisterExtension
    static final QuarkusUnitTest test = application("postgresql", APP_URL, JOBS_URL, "postgres");

    @Override
    String jobsUrl() {
        return JOBS_URL;
    }

    @Override
    String user() {
        return "postgres";
    }

    @Test
    void theServerListensOnTheJobsDatabaseOnly() throws SQLException {
        // the server starts listening in the background as it starts
        await().atMost(Duration.ofSeconds(30)).until(() -> listeners(JOBS_URL) > 0);
        assertThat(listeners(APP_URL)).as("connections listening on the application's database").isZero();
    }

    @Test
    void anEnqueueHereIsAnnouncedOnTheJobsDatabase() throws SQLException {
        try (Connection jobsDatabase = listening(JOBS_URL); Connection applicationDatabase = listening(APP_URL)) {
            jobs.enqueue(CoreJobs.class, j -> j.record("announced"), JobOptions.none().queue("parked"));
            assertThat(messages(jobsDatabase, Duration.ofSeconds(5))).as("messages in the jobs' database")
                    .anyMatch(payload -> List.of(payload.split(" ")).contains("parked"));
            assertThat(messages(applicationDatabase, Duration.ofMillis(200))).as("messages in the application's database")
                    .isEmpty();
        }
    }

    /** The connections of this database that listen on the channel, as PostgreSQL shows them. */
    private static long listeners(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND query LIKE 'LISTEN %" + CHANNEL + "%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection listening(String url) throws SQLException {
        Connection c = DriverManager.getConnection(url, "postgres", "");
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + CHANNEL);
        }
        return c;
    }

    /** The payloads received within {@code wait}. */
    private static List<String> messages(Connection listening, Duration wait) throws SQLException {
        List<String> payloads = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        PGConnection pg = listening.unwrap(PGConnection.class);
        while (System.nanoTime() < deadline && payloads.isEmpty()) {
            PGNotification[] received = pg.getNotifications((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (received != null) {
                for (PGNotification n : received) {
                    payloads.add(n.getParameter());
                }
            }
        }
        return payloads;
    }
}
