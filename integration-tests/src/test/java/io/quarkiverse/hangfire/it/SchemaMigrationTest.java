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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.runtime.storage.Dialect;
import io.quarkiverse.hangfire.runtime.storage.QueueStore;
import io.quarkiverse.hangfire.runtime.storage.SchemaInstaller;
import io.quarkiverse.hangfire.runtime.storage.Tables;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The schema installer upgrades older tables in place. Each test builds one version's tables with its scripts under a
 * prefix of their own, filled by {@link #fill} as an application of that version leaves them (jobs in every state
 * with their history, parameters and log, one waiting and one claimed, a recurring job, a lock, counters, a server,
 * and from version 4 a batch, a unique key, a paused queue and a rate limit), then upgrades them to the current
 * version. Every row is still there with every value, and what a version added is where it belongs.
 */
@QuarkusTest
class SchemaMigrationTest {

    private static final Tables T = new Tables("hfm_");
    private static final List<String> STATES = List.of("ENQUEUED", "PROCESSING", "SCHEDULED", "AWAITING", "SUCCEEDED",
            "FAILED", "DELETED");
    /** The jobs per state that counters keep from version 3 on (Statistics.KEPT_COUNTS), one job each here. */
    private static final Map<String, String> JOB_COUNTERS = Map.of("jobs:scheduled", "1", "jobs:awaiting", "1",
            "jobs:succeeded", "1", "jobs:failed", "1", "jobs:deleted", "1");
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00.123456Z");
    private static final long BATCH_ID = 7;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void versionTwoTablesAreUpgradedInPlaceWithNothingLost() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            drop(c);
            try {
                Map<String, Long> jobs = fill(c, 2);
                Map<String, List<Map<String, String>>> before = contents(c, 2);
                List<Map<String, String>> queueRows = rows(c, T.prefix + "job_queue");
                assertThat(queueRows).hasSize(2);

                SchemaInstaller.install(c, T, SchemaInstaller.CURRENT_VERSION, true);

                for (Map.Entry<String, List<Map<String, String>>> table : before.entrySet()) {
                    List<Map<String, String>> after = rows(c, table.getKey());
                    if (table.getKey().equals(T.counter)) {
                        // the counters of the jobs per state are new
                        after.removeIf(row -> row.get("name").startsWith("jobs:"));
                    }
                    assertThat(sameColumns(after, table.getValue())).as(table.getKey()).isEqualTo(table.getValue());
                }
                Map<String, String> jobCounters = new LinkedHashMap<>();
                for (Map<String, String> row : rows(c, T.counter)) {
                    if (row.get("name").startsWith("jobs:")) {
                        jobCounters.put(row.get("name"), row.get("amount"));
                    }
                }
                assertThat(jobCounters).isEqualTo(JOB_COUNTERS);
                assertThat(tableExists(c, T.prefix + "job_queue")).as("the queue table is gone").isFalse();
                // version 4: scheduled jobs are found by due time alone, on an index that state changes leave alone
                assertThat(indexes(c, T.job)).contains("ix_" + T.prefix + "job_due").doesNotContain("ix_" + T.prefix + "job_scheduled");
                assertThat(single(c, "SELECT MAX(version) FROM " + T.schema)).isEqualTo(String.valueOf(SchemaInstaller.CURRENT_VERSION));

                // each queue row's time, owner and lease are in its job now
                for (Map<String, String> queueRow : queueRows) {
                    Map<String, String> job = job(c, Long.parseLong(queueRow.get("job_id")));
                    assertThat(job.get("enqueued_at")).isEqualTo(queueRow.get("enqueued_at"));
                    assertThat(job.get("owner")).isEqualTo(queueRow.get("owner"));
                    assertThat(job.get("lease_until")).isEqualTo(queueRow.get("lease_until"));
                    assertThat(job.get("priority")).isEqualTo("0");
                    assertThat(job.get("history_pending")).isEqualTo("0");
                }
                assertThat(job(c, jobs.get("ENQUEUED")).get("owner")).isNull();
                assertThat(job(c, jobs.get("PROCESSING")).get("owner")).isEqualTo("server-a");
                for (String state : STATES.subList(2, STATES.size())) {
                    Map<String, String> other = job(c, jobs.get(state));
                    assertThat(other.get("owner")).as(state).isNull();
                    assertThat(other.get("lease_until")).as(state).isNull();
                }

                // at the current version already: nothing to do
                SchemaInstaller.install(c, T, SchemaInstaller.CURRENT_VERSION, true);
                assertThat(rows(c, T.job)).hasSize(STATES.size());
            } finally {
                drop(c);
            }
        }
    }

    /** The names of a table's indexes, lower case. */
    private static Set<String> indexes(Connection c, String table) throws SQLException {
        Set<String> names = new TreeSet<>();
        for (String name : new String[] { table, table.toUpperCase(Locale.ROOT) }) {
            try (ResultSet rs = c.getMetaData().getIndexInfo(c.getCatalog(), null, name, false, false)) {
                while (rs.next()) {
                    if (rs.getString("INDEX_NAME") != null) {
                        names.add(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return names;
    }

    /**
     * Version 3 tables holding jobs in every state (one waiting at priority slot 0, one claimed, one whose creation the
     * row stands for, one of priority 5) are upgraded to the current version in place: every value stays, the flow
     * control and batch columns are empty (no deadline, no unique key, of no batch), the tables version 4 added exist
     * and are empty, and the waiting job keeps its place in the claim order.
     */
    @Test
    void versionThreeTablesAreUpgradedWithNothingLost() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            drop(c);
            try {
                Map<String, Long> jobs = fill(c, 3);
                Map<String, List<Map<String, String>>> before = contents(c, 3);

                SchemaInstaller.install(c, T, SchemaInstaller.CURRENT_VERSION, true);

                assertEveryRowKept(c, before);
                for (Map<String, String> job : rows(c, T.job)) {
                    String id = job.get("id");
                    assertThat(job.get("deadline")).as("deadline of " + id).isNull();
                    assertThat(job.get("unique_key")).as("unique key of " + id).isNull();
                    assertThat(job.get("batch_id")).as("batch of " + id).isNull();
                    assertThat(job.get("awaited_batch_id")).as("awaited batch of " + id).isNull();
                }
                assertThat(job(c, jobs.get("SCHEDULED")).get("priority")).isEqualTo("-5");
                for (String table : List.of(T.unique, T.pause, T.rateLimit, T.batch, T.fanIn, T.fanInParent)) {
                    assertThat(tableExists(c, table)).as(table).isTrue();
                    assertThat(rows(c, table)).as(table).isEmpty();
                }
                assertThat(single(c, "SELECT MAX(version) FROM " + T.schema)).isEqualTo(String.valueOf(SchemaInstaller.CURRENT_VERSION));
                // the claim's order over the upgraded rows: the waiting job is found where the claim looks
                assertThat(single(c, "SELECT id FROM " + T.job + " WHERE state = 'ENQUEUED' AND queue = 'default'"
                        + " ORDER BY priority, enqueued_at, id")).isEqualTo(String.valueOf(jobs.get("ENQUEUED")));

                SchemaInstaller.install(c, T, SchemaInstaller.CURRENT_VERSION, true);
                assertThat(rows(c, T.job)).hasSize(STATES.size());
            } finally {
                drop(c);
            }
        }
    }

    /**
     * Version 4 tables holding jobs in every state, of a batch, with a deadline and a unique key, a paused queue and a
     * rate limit, keep every row and value when the installer brings them to the current version; version 5 fills its
     * new columns from them.
     */
    @Test
    void versionFourTablesAreUpgradedWithNothingLost() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            drop(c);
            try {
                Map<String, Long> jobs = fill(c, 4);
                Map<String, List<Map<String, String>>> before = contents(c, 4);

                SchemaInstaller.install(c, T, SchemaInstaller.CURRENT_VERSION, true);

                assertEveryRowKept(c, before);
                assertThat(job(c, jobs.get("ENQUEUED")).get("unique_key")).isEqualTo("report-42");
                assertThat(job(c, jobs.get("SUCCEEDED")).get("batch_id")).isEqualTo(String.valueOf(BATCH_ID));
                // version 5: a waiting job is on the claim index by its queue, a claimed one's claim time is its state
                // change (the Processing state its row stands for), and no success keeps its data in its row yet
                for (Map<String, String> job : rows(c, T.job)) {
                    String state = job.get("state");
                    assertThat(job.get("waiting_queue")).as("waiting_queue of the %s job", state)
                            .isEqualTo(state.equals("ENQUEUED") ? job.get("queue") : null);
                    assertThat(job.get("claimed_at")).as("claimed_at of the %s job", state)
                            .isEqualTo(state.equals("PROCESSING") ? job.get("state_changed_at") : null);
                    assertThat(job.get("state_data")).as("state_data of the %s job", state).isNull();
                }
                assertThat(indexes(c, T.job)).contains("ix_" + T.prefix + "job_waiting")
                        .doesNotContain("ix_" + T.prefix + "job_fetch");
                assertThat(single(c, "SELECT id FROM " + T.job + " WHERE waiting_queue = 'default'"
                        + " ORDER BY priority, enqueued_at, id")).isEqualTo(String.valueOf(jobs.get("ENQUEUED")));
                assertThat(single(c, "SELECT MAX(version) FROM " + T.schema))
                        .isEqualTo(String.valueOf(SchemaInstaller.CURRENT_VERSION));
            } finally {
                drop(c);
            }
        }
    }

    /**
     * Version 5 tables are upgraded with nothing lost, and version 6 marks the jobs that continuations wait for: the
     * parent of a continuation and the parents a fan-in still waits for, and no other job. On PostgreSQL and H2 a job's
     * history gets its index in the history's order.
     */
    @Test
    void versionFiveTablesAreUpgradedWithTheirContinuationsMarked() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            drop(c);
            try {
                Map<String, Long> jobs = fill(c, 5);
                Dialect d = SchemaInstaller.install(c, T, 5, true);
                long fanIn = 2000;
                insert(c, T.job, row("id", fanIn, "job_name", "TestJobs.record", "queue", "default", "arguments", "[]",
                        "state", "AWAITING", "state_reason", "Waiting for 3 parent jobs (ALL_FINAL)", "state_changed_at",
                        d.timestamp(T0), "attempt", 0, "retry_count", 0, "created_at", d.timestamp(T0), "history_pending",
                        1));
                insert(c, T.fanIn, row("job_id", fanIn, "fan_in", "ALL_FINAL", "total", 3, "succeeded", 1, "deleted", 0));
                for (String parent : List.of("PROCESSING", "SCHEDULED")) {
                    insert(c, T.fanInParent, row("parent_id", jobs.get(parent), "job_id", fanIn));
                }
                Map<String, List<Map<String, String>>> before = contents(c, 5);

                SchemaInstaller.install(c, T, SchemaInstaller.CURRENT_VERSION, true);

                assertEveryRowKept(c, before);
                List<Long> marked = new ArrayList<>();
                for (Map<String, String> job : rows(c, T.job)) {
                    String flag = job.get("has_continuations");
                    if (flag.equals("1") || flag.equalsIgnoreCase("true") || flag.equals("t")) {
                        marked.add(Long.parseLong(job.get("id")));
                    }
                }
                assertThat(marked).as("the jobs continuations wait for")
                        .containsExactly(jobs.get("ENQUEUED"), jobs.get("PROCESSING"), jobs.get("SCHEDULED"));
                if (d.schemaFolder().equals("mysql")) {
                    // InnoDB's secondary index ends with the primary key: (job_id) is (job_id, id) already
                    assertThat(indexes(c, T.state)).contains("ix_" + T.prefix + "job_state_job");
                } else {
                    assertThat(indexes(c, T.state)).contains("ix_" + T.prefix + "job_state_job_id")
                            .doesNotContain("ix_" + T.prefix + "job_state_job");
                }
                assertThat(single(c, "SELECT MAX(version) FROM " + T.schema))
                        .isEqualTo(String.valueOf(SchemaInstaller.CURRENT_VERSION));
            } finally {
                drop(c);
            }
        }
    }

    /**
     * Version 6 tables are upgraded with nothing lost. Version 7 folds the lease index into the state index: the lease
     * watchdog finds the claim of a version 6 server whose lease ran out along it. Version 8 orders the batch index by
     * state, creation time and id: the filled batch's jobs are found by their state.
     */
    @Test
    void versionSixTablesAreUpgradedWithTheLeaseInTheStateIndexAndTheBatchIndexInOrder() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            drop(c);
            try {
                Map<String, Long> jobs = fill(c, 6);
                Map<String, List<Map<String, String>>> before = contents(c, 6);

                Dialect d = SchemaInstaller.install(c, T, SchemaInstaller.CURRENT_VERSION, true);

                assertEveryRowKept(c, before);
                assertThat(indexes(c, T.job)).contains("ix_" + T.prefix + "job_state_lease", "ix_" + T.prefix + "job_batch_state")
                        .doesNotContain("ix_" + T.prefix + "job_state", "ix_" + T.prefix + "job_lease", "ix_" + T.prefix + "job_batch");
                // the filled Processing job's lease ran out long ago: the watchdog's read finds it, and only it
                List<Long> expired = new ArrayList<>();
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(QueueStore.expiredLeasesSql(T, d))) {
                    ps.setObject(1, d.timestamp(Instant.now()));
                    ps.setInt(2, 10);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            expired.add(rs.getLong("id"));
                        }
                    }
                } finally {
                    c.rollback();
                    c.setAutoCommit(true);
                }
                assertThat(expired).containsExactly(jobs.get("PROCESSING"));
                // the filled batch holds the Succeeded and the Failed job
                List<Long> succeeded = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + T.job + " WHERE " + d.batchJobsInState())) {
                    ps.setLong(1, BATCH_ID);
                    ps.setString(2, "SUCCEEDED");
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            succeeded.add(rs.getLong(1));
                        }
                    }
                }
                assertThat(succeeded).as("the batch's Succeeded jobs").containsExactly(jobs.get("SUCCEEDED"));
                assertThat(single(c, "SELECT MAX(version) FROM " + T.schema))
                        .isEqualTo(String.valueOf(SchemaInstaller.CURRENT_VERSION));
            } finally {
                drop(c);
            }
        }
    }

    /**
     * Version 4 batches are upgraded with nothing lost: those that finished before the upgrade are due at once (they
     * go when nothing of them remains), a running one has no expiration time, and the expiration reads its own index.
     */
    @Test
    void versionFourBatchesExpireOnceUpgraded() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            drop(c);
            try {
                Dialect d = SchemaInstaller.install(c, T, 4, true);
                String insert = "INSERT INTO " + T.batch + " (id, parent_batch_id, description, state, total, succeeded,"
                        + " deleted, failed, awaited_batch_id, continuation_option, created_at, state_changed_at)"
                        + " VALUES (?, NULL, ?, ?, 1, ?, ?, 0, NULL, NULL, ?, ?)";
                update(c, insert, 1L, "succeeded", "SUCCEEDED", 1, 0, d.timestamp(T0), d.timestamp(T0.plusSeconds(1)));
                update(c, insert, 2L, "deleted", "DELETED", 0, 1, d.timestamp(T0), d.timestamp(T0.plusSeconds(2)));
                update(c, insert, 3L, "started", "STARTED", 0, 0, d.timestamp(T0), d.timestamp(T0));
                List<Map<String, String>> before = rows(c, T.batch);

                SchemaInstaller.install(c, T, SchemaInstaller.CURRENT_VERSION, true);

                List<Map<String, String>> after = rows(c, T.batch);
                assertThat(sameColumns(after, before)).isEqualTo(before);
                for (Map<String, String> batch : after) {
                    assertThat(batch.get("expire_at")).as(batch.get("description"))
                            .isEqualTo(batch.get("state").equals("STARTED") ? null : batch.get("state_changed_at"));
                }
                assertThat(indexes(c, T.batch)).contains("ix_" + T.prefix + "batch_expire");
                assertThat(single(c, "SELECT MAX(version) FROM " + T.schema))
                        .isEqualTo(String.valueOf(SchemaInstaller.CURRENT_VERSION));
            } finally {
                drop(c);
            }
        }
    }

    /**
     * Creates the tables of schema {@code version} and fills them as an application of that version leaves them: jobs
     * in every state with their history and parameters, one waiting and one claimed (in the queue table before
     * version 3, in their rows after), a log line, a server, a recurring job, a lock and counters; from version 3 the
     * claim columns, a job whose creation the row stands for and the counters of jobs per state; from version 4 a
     * deadline and a unique key held by the waiting job, a batch of the succeeded and the failed job, a paused queue
     * and a rate limit.
     *
     * @return the job ids by state
     */
    private static Map<String, Long> fill(Connection c, int version) throws SQLException {
        Dialect d = SchemaInstaller.install(c, T, version, true);
        Map<String, Long> ids = new LinkedHashMap<>();
        long id = 1000;
        for (String state : STATES) {
            ids.put(state, ++id);
        }
        boolean claimed = version >= 3;
        for (String state : STATES) {
            boolean waiting = state.equals("ENQUEUED");
            boolean running = state.equals("PROCESSING");
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("id", ids.get(state));
            job.put("job_name", "TestJobs.record");
            job.put("queue", "default");
            job.put("arguments", "[\"" + state.toLowerCase(Locale.ROOT) + "\"]");
            job.put("state", state);
            job.put("state_reason", "reason " + state);
            job.put("state_changed_at", d.timestamp(T0.plusSeconds(3)));
            job.put("attempt", running ? 1 : 0);
            job.put("retry_count", state.equals("FAILED") ? 2 : 0);
            job.put("created_at", d.timestamp(T0));
            job.put("scheduled_at", state.equals("SCHEDULED") ? d.timestamp(T0.plusSeconds(3600)) : null);
            job.put("expire_at", state.equals("SUCCEEDED") ? d.timestamp(T0.plusSeconds(86400)) : null);
            job.put("parent_id", state.equals("AWAITING") ? ids.get("ENQUEUED") : null);
            job.put("continuation_option", state.equals("AWAITING") ? "ON_SUCCEEDED" : null);
            if (claimed) {
                job.put("priority", state.equals("SCHEDULED") ? -5 : 0);
                job.put("enqueued_at", waiting || running ? d.timestamp(T0.plusSeconds(waiting ? 1 : 2)) : null);
                job.put("owner", running ? "server-a" : null);
                job.put("lease_until", running ? d.timestamp(T0.plusSeconds(60)) : null);
                job.put("history_pending", waiting ? 1 : 0);
            }
            if (version >= 4) {
                job.put("deadline", waiting ? d.timestamp(T0.plusSeconds(7200)) : null);
                job.put("unique_key", waiting ? "report-42" : null);
                job.put("batch_id", state.equals("SUCCEEDED") || state.equals("FAILED") ? BATCH_ID : null);
                job.put("awaited_batch_id", null);
            }
            if (version >= 5) {
                job.put("waiting_queue", waiting ? "default" : null);
                job.put("claimed_at", running ? d.timestamp(T0.plusSeconds(3)) : null);
            }
            insert(c, T.job, job);
            if (!(claimed && waiting)) {
                insert(c, T.state, row("job_id", ids.get(state), "state", state, "reason", "reason " + state,
                        "created_at", d.timestamp(T0.plusSeconds(3)), "data", "{\"state\":\"" + state + "\"}"));
            }
            insert(c, T.parameter, row("job_id", ids.get(state), "name", "origin", "param_value", "\"" + state + "\""));
        }
        if (!claimed) {
            insert(c, T.prefix + "job_queue", row("job_id", ids.get("ENQUEUED"), "queue", "default", "enqueued_at",
                    d.timestamp(T0.plusSeconds(1)), "owner", null, "lease_until", null));
            insert(c, T.prefix + "job_queue", row("job_id", ids.get("PROCESSING"), "queue", "default", "enqueued_at",
                    d.timestamp(T0.plusSeconds(2)), "owner", "server-a", "lease_until", d.timestamp(T0.plusSeconds(60))));
        }
        insert(c, T.log, row("job_id", ids.get("PROCESSING"), "attempt", 1, "created_at", d.timestamp(T0.plusSeconds(4)),
                "line", "halfway there"));
        insert(c, T.server, row("id", "server-a", "queues", "default,critical", "workers", 8, "started_at", d.timestamp(T0),
                "last_heartbeat", d.timestamp(T0.plusSeconds(5))));
        insert(c, T.recurring, row("id", "nightly", "job_name", "TestJobs.record", "arguments", "[\"n\"]", "cron",
                "0 0 3 * * *", "time_zone", "UTC", "queue", "default", "misfire", "STRICT", "paused", false,
                "next_execution", d.timestamp(T0.plusSeconds(7200)), "last_execution", d.timestamp(T0), "last_job_id",
                ids.get("SUCCEEDED"), "error", null, "created_at", d.timestamp(T0), "updated_at", d.timestamp(T0)));
        insert(c, T.lock, row("name", "limit:mutex:report", "owner", String.valueOf(ids.get("PROCESSING")), "expire_at",
                d.timestamp(T0.plusSeconds(60))));
        insert(c, T.counter, row("name", "stats:succeeded", "amount", 41L, "expire_at", null));
        if (claimed) {
            for (Map.Entry<String, String> counter : new TreeMap<>(JOB_COUNTERS).entrySet()) {
                insert(c, T.counter, row("name", counter.getKey(), "amount", Long.parseLong(counter.getValue()),
                        "expire_at", null));
            }
        }
        if (version >= 4) {
            insert(c, T.unique, row("unique_key", "report-42", "job_id", ids.get("ENQUEUED"), "while_processing", 1,
                    "after_finish_ms", 60_000L, "expire_at", null));
            insert(c, T.batch, row("id", BATCH_ID, "parent_batch_id", null, "description", "reports", "state", "STARTED",
                    "total", 3, "succeeded", 1, "deleted", 0, "failed", 1, "awaited_batch_id", null,
                    "continuation_option", null, "created_at", d.timestamp(T0), "state_changed_at",
                    d.timestamp(T0.plusSeconds(3))));
            insert(c, T.pause, row("queue", "critical", "paused_by", "alice", "paused_at", d.timestamp(T0),
                    "paused_until", d.timestamp(T0.plusSeconds(600))));
            insert(c, T.rateLimit, row("name", "job:TestJobs.record", "starts", "[" + T0.toEpochMilli() + "]"));
        }
        return ids;
    }

    /** Every row of the tables schema {@code version} has, by table. */
    private static Map<String, List<Map<String, String>>> contents(Connection c, int version) throws SQLException {
        List<String> tables = new ArrayList<>(List.of(T.job, T.state, T.parameter, T.log, T.server, T.recurring, T.lock,
                T.counter));
        if (version >= 4) {
            tables.addAll(List.of(T.unique, T.batch, T.pause, T.rateLimit, T.fanIn, T.fanInParent));
        }
        Map<String, List<Map<String, String>>> contents = new LinkedHashMap<>();
        for (String table : tables) {
            contents.put(table, rows(c, table));
        }
        return contents;
    }

    /** A row to {@link #insert}: column names and values in turn. */
    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    private static void insert(Connection c, String table, Map<String, Object> row) throws SQLException {
        update(c, "INSERT INTO " + table + " (" + String.join(", ", row.keySet()) + ") VALUES ("
                + String.join(", ", Collections.nCopies(row.size(), "?")) + ")", row.values().toArray());
    }

    /** Every row of {@code before} (an older version's tables) is still there with every value it had. */
    private static void assertEveryRowKept(Connection c, Map<String, List<Map<String, String>>> before) throws SQLException {
        for (Map.Entry<String, List<Map<String, String>>> table : before.entrySet()) {
            assertThat(sameColumns(rows(c, table.getKey()), table.getValue())).as(table.getKey())
                    .isEqualTo(table.getValue());
        }
    }

    /** The rows restricted to the columns of {@code like}'s rows: what an older version had. */
    private static List<Map<String, String>> sameColumns(List<Map<String, String>> rows, List<Map<String, String>> like) {
        if (like.isEmpty()) {
            return rows;
        }
        List<Map<String, String>> cut = new ArrayList<>();
        for (Map<String, String> row : rows) {
            Map<String, String> old = new LinkedHashMap<>();
            like.get(0).keySet().forEach(column -> old.put(column, row.get(column)));
            cut.add(old);
        }
        return cut;
    }

    private static Map<String, String> job(Connection c, long id) throws SQLException {
        return rows(c, T.job).stream().filter(r -> r.get("id").equals(String.valueOf(id))).findFirst().orElseThrow();
    }

    /** Every row of a table in the order of its first column, each value as text, by lower-case column name. */
    private static List<Map<String, String>> rows(Connection c, String table) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    // as text, the same way before and after (large texts too, which some drivers hand out as objects)
                    row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String single(Connection c, String query) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        for (String name : new String[] { table, table.toUpperCase(Locale.ROOT) }) {
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, name, new String[] { "TABLE" })) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            ps.executeUpdate();
        }
    }

    private static void drop(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String name : List.of("job", "job_queue", "job_state", "job_parameter", "job_log", "server", "recurring_job",
                    "lock", "counter", "schema", "job_unique", "queue_pause", "rate_limit", "batch", "fan_in",
                    "fan_in_parent")) {
                st.execute("DROP TABLE IF EXISTS " + T.prefix + name);
            }
        }
    }
}
