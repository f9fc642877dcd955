package io.quarkiverse.hangfire.it.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.BatchInfo;
import io.quarkiverse.hangfire.BatchState;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.storage.Dialect;
import io.quarkiverse.hangfire.runtime.storage.SchemaInstaller;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The jobs on a database of their own: the application's default datasource is one database, and
 * {@code quarkus.hangfire.datasource=jobs} puts the jobs (schema, server connections, transactions) on the
 * datasource "jobs" and its persistence unit. Everything {@link JobsScenario} checks holds there too, and so do the
 * parts that take connections of their own or depend on the unit's transactions: transactional jobs record their
 * success in their own transaction, batches count their jobs, and the schema installer locks the jobs' database.
 */
abstract class JobsDatabaseScenario extends JobsScenario {

    /** The application's own, default datasource. */
    @Inject
    DataSource applicationDatabase;

    @Inject
    Transactions transactions;

    @Inject
    SchemaInstaller installer;

    @Inject
    @io.quarkus.agroal.DataSource("jobs")
    AgroalDataSource jobsDatabase;

    static QuarkusUnitTest application(String dbKind, String applicationUrl, String jobsUrl, String user) {
        return onJobsDatabase(application(TransactionalJobs.class)
                // short liveness times, so that a claim taken over is given back within a second
                .overrideConfigKey("quarkus.hangfire.server.heartbeat-interval", "500ms")
                .overrideConfigKey("quarkus.hangfire.server.lease-timeout", "4s"), dbKind, applicationUrl, jobsUrl, user);
    }

    /** {@code test} with its default datasource at {@code applicationUrl} and its jobs on the datasource "jobs". */
    static QuarkusUnitTest onJobsDatabase(QuarkusUnitTest test, String dbKind, String applicationUrl, String jobsUrl,
            String user) {
        return datasource(datasource(test, null, dbKind, applicationUrl, user), "jobs", dbKind, jobsUrl, user)
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

    /**
     * A transactional job's writes through the jobs' datasource commit with its success; a failed attempt's roll back;
     * and an attempt whose claim another server took over (done here as its claim would: another owner, the next
     * attempt) cannot commit, because its success is recorded in its own transaction on the jobs' unit, where the
     * owner check fails: only the attempt that runs after the watchdog gave the job back leaves its row.
     */
    @Test
    void transactionalJobsRecordTheirOutcomeInTheirOwnTransaction() throws Exception {
        try (Connection c = jobsDatabase.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS it_named_effect (effect_key VARCHAR(100) NOT NULL, job_id BIGINT NOT NULL,"
                    + " token BIGINT NOT NULL)");
        }
        String committed = jobs.enqueue(TransactionalJobs.class, j -> j.insert("commit", null));
        String failed = jobs.enqueue(TransactionalJobs.class, j -> j.insertThenFail("fail", null));
        CountDownLatch[] gate = TransactionalJobs.gate("zombie");
        String zombie = jobs.enqueue(TransactionalJobs.class, j -> j.insertThenWait("zombie", null));
        assertThat(gate[0].await(30, TimeUnit.SECONDS)).as("attempt 1 inserted its row and waits").isTrue();
        try (Connection c = jobsDatabase.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE hangfire_job"
                + " SET owner = 'another-server', attempt = attempt + 1, lease_until = created_at"
                + " WHERE id = ? AND state = 'PROCESSING'")) {
            ps.setLong(1, Long.parseLong(zombie));
            assertThat(ps.executeUpdate()).as("job taken over while Processing").isEqualTo(1);
        }
        gate[1].countDown();

        await().atMost(Duration.ofSeconds(60)).until(() -> state(committed) == JobState.SUCCEEDED
                && state(failed) == JobState.FAILED && state(zombie) == JobState.SUCCEEDED);
        assertThat(effects("commit")).containsExactly(committed + ":1");
        assertThat(effects("fail")).as("rows of the failed attempt").isEmpty();
        JobDetails done = jobs.monitor().job(zombie).orElseThrow();
        assertThat(done.attempt()).isEqualTo(3);
        assertThat(effects("zombie")).as("rows of the job taken over").containsExactly(zombie + ":3");
    }

    /** The rows of {@code key} in it_named_effect, as "job id:fencing token". */
    private List<String> effects(String key) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jobsUrl(), user(), "");
                PreparedStatement ps = c.prepareStatement("SELECT job_id, token FROM it_named_effect WHERE effect_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getLong(1) + ":" + rs.getLong(2));
                }
            }
        }
        return rows;
    }

    /** A batch counts its jobs as they finish on the jobs' unit, and then releases its continuation. */
    @Test
    void aBatchSucceedsAndReleasesItsContinuation() throws Exception {
        String batch = jobs.batch("named", b -> b.enqueueAll(CoreJobs.class, List.of("b1", "b2", "b3"), (j, w) -> j.record(w)));
        String after = jobs.continueBatchWith(batch, CoreJobs.class, j -> j.record("after the batch"));
        await().atMost(Duration.ofSeconds(60)).until(() -> state(after) == JobState.SUCCEEDED);
        assertThat(CoreJobs.RAN).contains("b1", "b2", "b3", "after the batch");
        BatchInfo info = jobs.monitor().batch(batch).orElseThrow();
        assertThat(info.state()).isEqualTo(BatchState.SUCCEEDED);
        assertThat(info.total()).isEqualTo(3);
        assertThat(info.succeeded()).isEqualTo(3);
        try (Connection c = DriverManager.getConnection(jobsUrl(), user(), "");
                PreparedStatement ps = c.prepareStatement("SELECT state, succeeded FROM hangfire_batch WHERE id = ?")) {
            ps.setLong(1, Long.parseLong(batch));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("the batch's row in the jobs' database").isTrue();
                assertThat(rs.getString(1)).isEqualTo("SUCCEEDED");
                assertThat(rs.getInt(2)).isEqualTo(3);
            }
        }
    }

    /**
     * The schema installer takes its lock in the jobs' database: while another connection to that database holds it,
     * the installer waits, and it goes on once the lock is free.
     */
    @Test
    void theSchemaInstallerWaitsForTheLockInTheJobsDatabase() throws Exception {
        try (Connection other = DriverManager.getConnection(jobsUrl(), user(), "")) {
            other.setAutoCommit(true);
            Dialect dialect = Dialect.detect(other);
            dialect.lockSchema(other);
            CompletableFuture<Void> install;
            try {
                install = CompletableFuture.runAsync(() -> installer.install(true));
                assertThatThrownBy(() -> install.get(1, TimeUnit.SECONDS)).as("the installer waits for the lock")
                        .isInstanceOf(TimeoutException.class);
            } finally {
                dialect.unlockSchema(other);
            }
            install.get(30, TimeUnit.SECONDS);
        }
    }

    /** Transactional jobs that write a row of their own through the jobs' datasource. */
    public static class TransactionalJobs {

        /** Per key: the attempt arrived, and may go on. */
        static final Map<String, CountDownLatch[]> GATES = new ConcurrentHashMap<>();

        @Inject
        @io.quarkus.agroal.DataSource("jobs")
        AgroalDataSource jobsDatabase;

        static CountDownLatch[] gate(String key) {
            return GATES.computeIfAbsent(key, k -> new CountDownLatch[] { new CountDownLatch(1), new CountDownLatch(1) });
        }

        @BackgroundJob(transactional = true)
        public void insert(String key, JobContext context) throws SQLException {
            try (Connection c = jobsDatabase.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO it_named_effect (effect_key, job_id, token) VALUES (?, ?, ?)")) {
                ps.setString(1, key);
                ps.setLong(2, Long.parseLong(context.jobId()));
                ps.setLong(3, context.fencingToken());
                ps.executeUpdate();
            }
        }

        @BackgroundJob(transactional = true, retries = 0)
        public void insertThenFail(String key, JobContext context) throws SQLException {
            insert(key, context);
            throw new IllegalStateException("failed after its insert");
        }

        /** The first attempt waits at its gate after its insert; later ones pass. */
        @BackgroundJob(transactional = true)
        public void insertThenWait(String key, JobContext context) throws Exception {
            insert(key, context);
            CountDownLatch[] gate = gate(key);
            gate[0].countDown();
            if (!gate[1].await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate of " + key + " stayed shut");
            }
        }
    }
}
