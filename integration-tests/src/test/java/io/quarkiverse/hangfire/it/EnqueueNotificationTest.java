package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.test.junit.QuarkusTest;

/**
 * On PostgreSQL, every way a job becomes Enqueued tells the other instances through the channel
 * {@code hangfire_enqueued}, naming the job's queue: this test listens on the channel as another instance's server
 * would. The jobs go to the queue {@code elsewhere}, which this application's server does not serve, so they stay
 * put. That a server woken this way claims the job at once, and listens again after its connection was killed, is
 * checked with real processes in {@code cluster.PostgreSqlWakeUpIT}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "it.database", matches = "postgresql")
class EnqueueNotificationTest {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Inject
    JobScheduler jobs;

    private Connection listening;

    @BeforeEach
    void listen() throws SQLException {
        var config = ConfigProvider.getConfig();
        listening = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        try (Statement st = listening.createStatement()) {
            st.execute("LISTEN hangfire_enqueued");
        }
    }

    @AfterEach
    void close() throws SQLException {
        listening.close();
    }

    @Test
    void enqueueAndEnqueueAllNameTheQueue() throws SQLException {
        jobs.enqueue(TestJobs.class, j -> j.unserved(key("notified")));
        List<String> first = awaitMessages();
        jobs.enqueueAll(TestJobs.class, List.of(1, 2, 3), (j, i) -> j.unserved(key("notified-" + i)));
        List<String> second = awaitMessages();
        // "<instance> <queue> ...": the same sender each time
        assertThat(first.get(0).split(" ")[0]).isNotBlank().isEqualTo(second.get(0).split(" ")[0]);
    }

    @Test
    void aDueScheduledJobARequeueAndAContinuationAreAnnounced() throws SQLException {
        jobs.schedule(TestJobs.class, j -> j.unserved(key("due")), Duration.ofMillis(300));
        awaitMessages();

        String later = jobs.schedule(TestJobs.class, j -> j.unserved(key("requeued")), Duration.ofHours(1));
        assertThat(messagesWithin(Duration.ofMillis(500))).as("a job scheduled for later wakes nobody")
                .noneMatch(p -> p.contains("elsewhere"));
        assertThat(jobs.requeue(later)).isTrue();
        awaitMessages();

        String parent = jobs.schedule(TestJobs.class, j -> j.record(key("parent")), Duration.ofHours(1));
        String child = jobs.continueWith(parent, TestJobs.class, j -> j.unserved(key("child")));
        messagesWithin(Duration.ofMillis(300));
        assertThat(jobs.requeue(parent)).isTrue();
        awaitState(jobs, parent, JobState.SUCCEEDED);
        awaitState(jobs, child, JobState.ENQUEUED);
        awaitMessages();
    }

    /** Waits for messages naming the queue {@code elsewhere} and returns their payloads. */
    private List<String> awaitMessages() throws SQLException {
        List<String> payloads = messagesWithin(WITHIN);
        assertThat(payloads).as("messages on hangfire_enqueued").anyMatch(p -> List.of(p.split(" ")).contains("elsewhere"));
        return payloads.stream().filter(p -> p.contains("elsewhere")).toList();
    }

    /** The payloads received within {@code wait}, returning early once one names {@code elsewhere}. */
    private List<String> messagesWithin(Duration wait) throws SQLException {
        List<String> payloads = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        PGConnection pg = listening.unwrap(PGConnection.class);
        while (System.nanoTime() < deadline) {
            PGNotification[] received = pg.getNotifications((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (received != null) {
                for (PGNotification n : received) {
                    payloads.add(n.getParameter());
                }
                if (payloads.stream().anyMatch(p -> p.contains("elsewhere"))) {
                    break;
                }
            }
        }
        return payloads;
    }
}
