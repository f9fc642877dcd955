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
 * The reads that run while nothing happens (the idle poll's probe) and those the dashboard and the monitor run (counts
 * and pages of every list, narrowed or not, the window a narrowed list looks through, a batch's jobs) cost what the
 * index gives, not what the table holds: with a sizeable table of finished jobs stored, the database's own plan
 * (EXPLAIN, on MariaDB through both drivers and on PostgreSQL) reads them along an index in the list's order, never the
 * whole table and never sorting it (on PostgreSQL: which index serves it, see {@link #assertUsesIndex}), and the
 * counts are still right, capped where the cap applies. The filler jobs are written straight into the job table (as a
 * long-running installation would have them, most of them members of one big batch) and removed afterwards.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageCostTest {

    static final String FILLER = "cost.filler";
    static final String FILLER_QUEUE = "cost-queue";
    static final int FINISHED = 12_000;
    static final int RETRIES = 40;
    /** The batch the finished fillers belong to (no batch row: only its jobs are read). */
    static final long FILLER_BATCH = 987_654_321L;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Transactions transactions;

    @Inject
    QueueStore queues;

    @Inject
    io.quarkiverse.hangfire.runtime.storage.BatchStore batchStore;

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
                        + " state_changed_at, attempt, retry_count, created_at, scheduled_at, batch_id) VALUES ");
                for (int i = 0; i < rows; i++) {
                    sql.append(i == 0 ? "" : ", ").append("(?, ?, '[]', ?, ?, ?, 1, 0, ?, ?, ?)");
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
                        ps.setObject(p++, retry ? null : FILLER_BATCH);
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

    /**
     * The lease watchdog reads the Processing entries of the state index in its order and checks the lease there
     * (schema version 7): it never reads the finished jobs, and a claim and a completion have no lease index of their
     * own to rewrite.
     */
    @Test
    void theLeaseWatchdogReadsTheProcessingEntriesOfTheStateIndex() throws SQLException {
        assumeNotH2();
        String watchdog = queues.expiredLeasesSql().replaceFirst("\\?", "'2026-01-01 00:00:00'").replaceFirst("\\?", "100");
        assertUsesIndex(watchdog, "job_state_lease");
        assertThat(String.join("\n", explain(watchdog))).as("plan of %s", watchdog)
                .doesNotContainPattern("(?m)^\\s*(->\\s*)?Sort").doesNotContain("filesort");
    }

    /**
     * A job's newest states (its page's history, JobReads.states) come along the history index in their order: on
     * PostgreSQL the index is (job_id, id) from schema version 6, where (job_id) alone left a walk of the primary key
     * or a sort of the job's whole history.
     */
    @Test
    void aJobsNewestStatesAreReadAlongTheHistoryIndexInOrder() throws SQLException {
        assumeNotH2();
        String newest = "SELECT state, reason, created_at FROM " + transactions.tables().state
                + " WHERE job_id = 42 ORDER BY id DESC LIMIT 100";
        assertUsesIndex(newest, "job_state_job");
        assertThat(String.join("\n", explain(newest))).as("plan of %s", newest)
                .doesNotContainPattern("(?m)^\\s*(->\\s*)?Sort").doesNotContain("filesort");
    }

    @Test
    void narrowedCountsStopAtTheCapAlongAnIndex() throws SQLException {
        assumeNotH2();
        // what JobReads.count runs for a state and a queue, and for the retries: within the window of the state
        assertUsesIndex("SELECT id FROM " + job + " WHERE state = 'SUCCEEDED' AND queue = '" + FILLER_QUEUE + "'"
                + windowOfState("SUCCEEDED") + " ORDER BY state_changed_at DESC, id DESC LIMIT " + (JobReads.COUNT_CAP + 1),
                "job_state");
        assertUsesIndex("SELECT id FROM " + job + " WHERE state = 'SCHEDULED' AND state_reason LIKE 'Retry attempt %'"
                + " ORDER BY state_changed_at DESC, id DESC LIMIT " + (JobReads.COUNT_CAP + 1), "job_state");

        // more Succeeded jobs than the window holds: counted within it, and said to be more
        JobReads.Count finished = transactions.read(session -> JobReads.count(session,
                new JobCriteria(JobState.SUCCEEDED, null, FILLER_QUEUE, false)));
        assertThat(finished.capped()).isTrue();
        assertThat(finished.count()).isPositive().isLessThanOrEqualTo(JobReads.COUNT_CAP);
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
        // the furthest page the dashboard serves
        assertUsesIndex("SELECT id FROM " + job + " WHERE state = 'SUCCEEDED' ORDER BY state_changed_at DESC, id DESC"
                + " LIMIT 20 OFFSET " + JobReads.COUNT_CAP, "job_state");
        List<Long> page = transactions.read(session -> JobReads.ids(session,
                new JobCriteria(JobState.SUCCEEDED, FILLER, null, false), 0, 20));
        assertThat(page).hasSize(20);
    }

    @Test
    void aListAcrossStatesIsReadAlongThePrimaryKeyNewestCreatedFirst() throws SQLException {
        assumeNotH2();
        assertUsesPrimaryKey("SELECT id FROM " + job + " ORDER BY id DESC LIMIT 20 OFFSET " + JobReads.COUNT_CAP);
        // narrowed by a job name or a queue: within the window of all jobs, which the primary key bounds
        assertUsesPrimaryKey("SELECT id FROM " + job + " WHERE job_name = 'cost.none' AND id >= " + edgeOfAll()
                + " ORDER BY id DESC LIMIT 20");
        assertUsesPrimaryKey("SELECT id FROM " + job + " WHERE queue = '" + FILLER_QUEUE + "' AND id >= " + edgeOfAll()
                + " ORDER BY id DESC LIMIT " + (JobReads.COUNT_CAP + 1));

        List<Long> all = transactions.read(session -> JobReads.ids(session, JobCriteria.ALL, 0, 50));
        assertThat(all).hasSize(50).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        JobCriteria named = new JobCriteria(null, FILLER, null, false);
        JobReads.WindowEdge window = transactions.read(session -> JobReads.window(session, named));
        assertThat(window).as("more jobs stored than the window holds").isNotNull();
        assertThat(window.olderExist()).isTrue();
        List<Long> page = transactions.read(session -> JobReads.ids(session, named, window, 0, 20));
        assertThat(page).hasSize(20).isSortedAccordingTo(java.util.Comparator.reverseOrder())
                .allMatch(id -> id >= window.id());
        JobReads.Count count = transactions.read(session -> JobReads.count(session, named, window));
        assertThat(count.capped()).isTrue();
        assertThat(count.count()).isPositive().isLessThanOrEqualTo(JobReads.NARROWED_WINDOW);
    }

    @Test
    void aNarrowedPageOfAStateIsReadWithinTheWindowAlongTheStateIndex() throws SQLException {
        assumeNotH2();
        // the window's edge: NARROWED_WINDOW entries of the state's index
        assertUsesIndex("SELECT state_changed_at, id FROM " + job + " WHERE state = 'SUCCEEDED'"
                + " ORDER BY state_changed_at DESC, id DESC LIMIT 2 OFFSET " + (JobReads.NARROWED_WINDOW - 1), "job_state");
        assertUsesIndex("SELECT id FROM " + job + " WHERE state = 'SUCCEEDED' AND job_name = 'cost.none'"
                + windowOfState("SUCCEEDED") + " ORDER BY state_changed_at DESC, id DESC LIMIT 20", "job_state");
    }

    @Test
    void aBatchPageReadsTheBatchIndexNotThePrimaryKey() throws SQLException {
        assumeNotH2();
        // what BatchStore.jobs runs for a state none of the batch's jobs are in, and for its most common one: the batch
        // index's entries of that state, oldest created first (schema version 8), so a page costs the page, deep ones too
        for (String state : List.of("FAILED", "SUCCEEDED")) {
            for (int offset : List.of(0, 5000)) {
                String sql = "SELECT id FROM " + job + " WHERE " + transactions.dialect().batchJobsInState()
                        .replaceFirst("\\?", Long.toString(FILLER_BATCH)).replaceFirst("\\?", "'" + state + "'")
                        + " ORDER BY created_at, id LIMIT 20 OFFSET " + offset;
                assertUsesIndex(sql, "job_batch_state");
                assertThat(String.join("\n", explain(sql))).as("plan of %s", sql)
                        .doesNotContainPattern("(?m)^\\s*(->\\s*)?Sort").doesNotContain("filesort");
            }
        }
        List<io.quarkiverse.hangfire.JobSummary> jobs = transactions.inTransaction(c -> batchStore.jobs(c, FILLER_BATCH,
                JobState.SUCCEEDED, 0, 20));
        assertThat(jobs).hasSize(20);
        List<io.quarkiverse.hangfire.JobSummary> failed = transactions.inTransaction(c -> batchStore.jobs(c, FILLER_BATCH,
                JobState.FAILED, 0, 20));
        assertThat(failed).isEmpty();
    }

    /** The condition of the window of {@code state}'s newest NARROWED_WINDOW jobs, as JobReads writes it. */
    private String windowOfState(String state) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT state_changed_at, id FROM " + job + " WHERE state = '" + state
                        + "' ORDER BY state_changed_at DESC, id DESC LIMIT 1 OFFSET " + (JobReads.NARROWED_WINDOW - 1))) {
            assertThat(rs.next()).as("more %s jobs than the window holds", state).isTrue();
            String at = "'" + rs.getTimestamp(1).toLocalDateTime().toString().replace('T', ' ') + "'";
            long id = rs.getLong(2);
            return " AND (state_changed_at > " + at + " OR (state_changed_at = " + at + " AND id >= " + id + "))";
        }
    }

    /** The smallest id of the newest NARROWED_WINDOW jobs. */
    private long edgeOfAll() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM " + job + " ORDER BY id DESC LIMIT 1 OFFSET "
                        + (JobReads.NARROWED_WINDOW - 1))) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    /** The plan of {@code sql} reads the primary key in its order: no whole table read, nothing sorted. */
    private void assertUsesPrimaryKey(String sql) throws SQLException {
        String text = String.join("\n", explain(sql));
        if (postgres) {
            assertThat(text).as("plan of %s", sql).doesNotContain("Seq Scan").doesNotContainPattern("(?m)^\\s*(->\\s*)?Sort")
                    .contains("Backward using " + job + "_pkey");
        } else {
            assertThat(text).as("plan of %s", sql).doesNotContain("type=ALL").doesNotContain("filesort")
                    .contains("key=PRIMARY");
        }
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
            if (sql.contains("ORDER BY")) {
                assertThat(text).as("plan of %s", sql).doesNotContain("filesort"); // the index gives the order
            }
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
