package io.quarkiverse.hangfire.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.storage.JobCriteria;
import io.quarkiverse.hangfire.runtime.storage.JobReads;
import io.quarkiverse.hangfire.runtime.storage.QueueStore;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The reads that run while nothing happens (the idle poll's probe) and those the dashboard polls (counts of narrowed
 * lists, the page of a state) cost what the index gives, not what the table holds: with a sizeable table of finished
 * jobs stored, the database's own plan (EXPLAIN, on MariaDB through both drivers and on PostgreSQL) reads them along an
 * index, never the whole table (on PostgreSQL: which index serves it, see {@link #assertUsesIndex}), and the counts
 * are still right, capped where the cap applies. The filler jobs are
 * written straight into the job table (as a long-running installation would have them) and removed afterwards.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageCostTest {

    static final String FILLER = "cost.filler";
    static final String FILLER_QUEUE = "cost-queue";
    static final int FINISHED = 12_000;
    static final int RETRIES = 40;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Transactions transactions;

    @Inject
    QueueStore queues;

    String job;
    boolean postgres;

    @BeforeAll
    void storeManyFinishedJobs() throws SQLException {
        job = transactions.tables().job;
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            postgres = product.contains("postgres");
            if (product.contains("h2")) {
                return; // H2's plans are not what users run at scale; its counts are checked by the other tests
            }
            c.setAutoCommit(false);
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            for (int done = 0; done < FINISHED + RETRIES; done += 1000) {
                int rows = Math.min(1000, FINISHED + RETRIES - done);
                StringBuilder sql = new StringBuilder("INSERT INTO " + job + " (job_name, queue, arguments, state, state_reason,"
                        + " state_changed_at, attempt, retry_count, created_at, scheduled_at) VALUES ");
                for (int i = 0; i < rows; i++) {
                    sql.append(i == 0 ? "" : ", ").append("(?, ?, '[]', ?, ?, ?, 1, 0, ?, ?)");
                }
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    int p = 1;
                    for (int i = 0; i < rows; i++) {
                        boolean retry = done + i >= FINISHED;
                        ps.setString(p++, FILLER);
                        ps.setString(p++, FILLER_QUEUE);
                        ps.setString(p++, retry ? JobState.SCHEDULED.name() : JobState.SUCCEEDED.name());
                        ps.setString(p++, retry ? JobCriteria.RETRY_REASON_PREFIX + "1 of 3" : null);
                        Object at = transactions.dialect().timestamp(start.plusSeconds(done + i));
                        ps.setObject(p++, at);
                        ps.setObject(p++, at);
                        ps.setObject(p++, retry ? transactions.dialect().timestamp(Instant.parse("2099-01-01T00:00:00Z")) : null);
                    }
                    ps.executeUpdate();
                }
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                // the planner's statistics as a long-running database has them
                st.execute(postgres ? "ANALYZE " + job : "ANALYZE TABLE " + job);
            }
        }
    }

    @AfterAll
    void removeThem() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.executeUpdate("DELETE FROM " + job + " WHERE job_name = '" + FILLER + "'");
        }
    }

    @Test
    void theIdlePollReadsOneEntryOfTheClaimIndex() throws SQLException {
        assumeNotH2();
        String probe = queues.anyWaitingSql(2).replaceFirst("\\?", "'default'").replaceFirst("\\?", "'critical'");
        assertUsesIndex(probe, "job_waiting");
        try (Connection c = dataSource.getConnection()) {
            assertThat(queues.anyWaiting(c, List.of(FILLER_QUEUE))).as("no filler job waits").isFalse();
        }
    }

    @Test
    void narrowedCountsStopAtTheCapAlongAnIndex() throws SQLException {
        assumeNotH2();
        // what JobReads.count runs for a state and a queue, and for the retries
        assertUsesIndex("SELECT id FROM " + job + " WHERE state = 'SUCCEEDED' AND queue = '" + FILLER_QUEUE + "' LIMIT "
                + (JobReads.COUNT_CAP + 1), "job_");
        assertUsesIndex("SELECT id FROM " + job + " WHERE state = 'SCHEDULED' AND state_reason LIKE 'Retry attempt %' LIMIT "
                + (JobReads.COUNT_CAP + 1), "job_");

        JobReads.Count finished = transactions.read(session -> JobReads.count(session,
                new JobCriteria(JobState.SUCCEEDED, null, FILLER_QUEUE, false)));
        assertThat(finished).isEqualTo(new JobReads.Count(JobReads.COUNT_CAP, true));
        JobReads.Count named = transactions.read(session -> JobReads.count(session,
                new JobCriteria(JobState.SCHEDULED, FILLER, null, true)));
        assertThat(named).isEqualTo(new JobReads.Count(RETRIES, false));
        JobReads.Count retries = transactions.read(session -> JobReads.count(session, JobCriteria.RETRIES));
        assertThat(retries.count()).isGreaterThanOrEqualTo(RETRIES);
    }

    @Test
    void aPageOfAStateIsReadAlongTheStateIndex() throws SQLException {
        assumeNotH2();
        assertUsesIndex("SELECT id FROM " + job + " WHERE state = 'SUCCEEDED' ORDER BY state_changed_at DESC, id DESC LIMIT 20",
                "job_state");
        List<Long> page = transactions.read(session -> JobReads.ids(session,
                new JobCriteria(JobState.SUCCEEDED, FILLER, null, false), 0, 20));
        assertThat(page).hasSize(20);
    }

    private void assumeNotH2() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Assumptions.assumeFalse(c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2"),
                    "the plans are checked on MariaDB and PostgreSQL");
        }
    }

    /**
     * The plan of {@code sql} reads an index and no whole table: on MariaDB an index whose name contains {@code index};
     * on PostgreSQL, whose planner rightly prefers a scan of a table this small when most rows match, an index whose
     * name contains {@code index}, once sequential scans are priced out (so the plan shows which index serves the query).
     */
    private void assertUsesIndex(String sql, String index) throws SQLException {
        String text = String.join("\n", explain(sql));
        if (postgres) {
            assertThat(text).as("plan of %s", sql).doesNotContain("Seq Scan").containsPattern("(Index (Only )?Scan( Backward)? using|Bitmap Index Scan on) \\S*" + index);
        } else {
            // MariaDB/MySQL: one row per table, "type" ALL is a full scan, "key" the index read
            assertThat(text).as("plan of %s", sql).doesNotContain("type=ALL").containsPattern("key=[^,]*" + index);
        }
    }

    private List<String> explain(String sql) throws SQLException {
        List<String> plan = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            if (postgres) {
                st.execute("SET enable_seqscan = off");
            }
            try (ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.append(i == 1 ? "" : ", ").append(meta.getColumnLabel(i).toLowerCase(Locale.ROOT)).append('=')
                                .append(rs.getString(i));
                    }
                    plan.add(row.toString());
                }
            } finally {
                if (postgres) {
                    st.execute("RESET enable_seqscan");
                }
            }
        }
        return plan;
    }
}
