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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.runtime.storage.Dialect;
import io.quarkiverse.hangfire.runtime.storage.SchemaInstaller;
import io.quarkiverse.hangfire.runtime.storage.Tables;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The schema installer upgrades version 2 tables in place: built here with the old scripts under a prefix of their
 * own, filled with jobs in every state (one waiting in its queue, one claimed), their history, parameters and log,
 * a recurring job, a lock, a counter and a server, then upgraded to the current version. Every row is still there
 * with every value, and the queue rows are in their jobs.
 */
@QuarkusTest
class SchemaMigrationTest {

    private static final Tables T = new Tables("hfm_");
    private static final List<String> STATES = List.of("ENQUEUED", "PROCESSING", "SCHEDULED", "AWAITING", "SUCCEEDED",
            "FAILED", "DELETED");
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00.123456Z");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void versionTwoTablesAreUpgradedInPlaceWithNothingLost() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            drop(c);
            try {
                Dialect dialect = SchemaInstaller.install(c, T, 2, true);
                Map<String, Long> jobs = fillVersionTwo(c, dialect);
                Map<String, List<Map<String, String>>> before = new LinkedHashMap<>();
                for (String table : List.of(T.job, T.state, T.parameter, T.log, T.server, T.recurring, T.lock, T.counter)) {
                    before.put(table, rows(c, table));
                }
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
                assertThat(jobCounters).containsOnly(Map.entry("jobs:scheduled", "1"), Map.entry("jobs:awaiting", "1"),
                        Map.entry("jobs:succeeded", "1"), Map.entry("jobs:failed", "1"), Map.entry("jobs:deleted", "1"));
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
     * Version 3 tables holding jobs in every state (one waiting at priority slot 0 and one claimed) are upgraded to the
     * current version in place: every value stays, the flow control columns are empty (no deadline, no unique key),
     * the flow control tables exist and are empty, and the waiting job keeps its place in the claim order.
     */
    @Test
    void versionThreeTablesAreUpgradedWithNothingLost() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            drop(c);
            try {
                Dialect dialect = SchemaInstaller.install(c, T, 2, true);
                Map<String, Long> jobs = fillVersionTwo(c, dialect);
                SchemaInstaller.install(c, T, 3, true);
                update(c, "UPDATE " + T.job + " SET priority = -5 WHERE id = ?", jobs.get("SCHEDULED"));
                Map<String, List<Map<String, String>>> before = new LinkedHashMap<>();
                for (String table : List.of(T.job, T.state, T.parameter, T.log, T.server, T.recurring, T.lock, T.counter)) {
                    before.put(table, rows(c, table));
                }

                SchemaInstaller.install(c, T, SchemaInstaller.CURRENT_VERSION, true);

                for (Map.Entry<String, List<Map<String, String>>> table : before.entrySet()) {
                    assertThat(sameColumns(rows(c, table.getKey()), table.getValue())).as(table.getKey())
                            .isEqualTo(table.getValue());
                }
                for (Map<String, String> job : rows(c, T.job)) {
                    assertThat(job.get("deadline")).as("deadline of " + job.get("id")).isNull();
                    assertThat(job.get("unique_key")).as("unique key of " + job.get("id")).isNull();
                }
                assertThat(job(c, jobs.get("SCHEDULED")).get("priority")).isEqualTo("-5");
                for (String table : List.of(T.unique, T.pause, T.rateLimit)) {
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
     * Version 3 tables holding jobs in every state (one claimed, one whose creation the row stands for) are upgraded with
     * nothing lost: the jobs belong to no batch, and the batch table is there, empty.
     */
    @Test
    void versionThreeJobsSurviveTheUpgrade() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            drop(c);
            try {
                Dialect d = SchemaInstaller.install(c, T, 3, true);
                long id = 2000;
                for (String state : STATES) {
                    id++;
                    update(c, "INSERT INTO " + T.job + " (id, job_name, queue, arguments, state, state_reason, state_changed_at,"
                            + " attempt, retry_count, created_at, scheduled_at, expire_at, parent_id, continuation_option,"
                            + " priority, enqueued_at, owner, lease_until, history_pending)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            id, "TestJobs.record", "default", "[\"" + state + "\"]", state, "reason " + state,
                            d.timestamp(T0.plusSeconds(3)), state.equals("PROCESSING") ? 1 : 0, 0, d.timestamp(T0),
                            state.equals("SCHEDULED") ? d.timestamp(T0.plusSeconds(3600)) : null, null,
                            state.equals("AWAITING") ? 2001L : null, state.equals("AWAITING") ? "ON_SUCCEEDED" : null, 0,
                            state.equals("ENQUEUED") || state.equals("PROCESSING") ? d.timestamp(T0.plusSeconds(1)) : null,
                            state.equals("PROCESSING") ? "server-a" : null,
                            state.equals("PROCESSING") ? d.timestamp(T0.plusSeconds(60)) : null,
                            state.equals("ENQUEUED") || state.equals("PROCESSING") ? 1 : 0);
                    update(c, "INSERT INTO " + T.state + " (job_id, state, reason, created_at, data) VALUES (?, ?, ?, ?, ?)", id,
                            state, "reason " + state, d.timestamp(T0.plusSeconds(3)), null);
                }
                Map<String, List<Map<String, String>>> before = new LinkedHashMap<>();
                for (String table : List.of(T.job, T.state, T.counter)) {
                    before.put(table, rows(c, table));
                }

                SchemaInstaller.install(c, T, SchemaInstaller.CURRENT_VERSION, true);

                for (Map.Entry<String, List<Map<String, String>>> table : before.entrySet()) {
                    assertThat(sameColumns(rows(c, table.getKey()), table.getValue())).as(table.getKey())
                            .isEqualTo(table.getValue());
                }
                for (Map<String, String> job : rows(c, T.job)) {
                    assertThat(job.get("batch_id")).isNull();
                    assertThat(job.get("awaited_batch_id")).isNull();
                }
                assertThat(rows(c, T.batch)).isEmpty();
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

    /** Jobs in every state with their history, one queue row waiting and one claimed, and a row in every other table. */
    private static Map<String, Long> fillVersionTwo(Connection c, Dialect d) throws SQLException {
        Map<String, Long> ids = new LinkedHashMap<>();
        long id = 1000;
        for (String state : STATES) {
            id++;
            ids.put(state, id);
            update(c, "INSERT INTO " + T.job + " (id, job_name, queue, arguments, state, state_reason, state_changed_at, attempt,"
                    + " retry_count, created_at, scheduled_at, expire_at, parent_id, continuation_option)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id, "TestJobs.record", "default", "[\"" + state.toLowerCase(Locale.ROOT) + "\"]", state, "reason " + state,
                    d.timestamp(T0.plusSeconds(3)), state.equals("PROCESSING") ? 1 : 0, state.equals("FAILED") ? 2 : 0,
                    d.timestamp(T0), state.equals("SCHEDULED") ? d.timestamp(T0.plusSeconds(3600)) : null,
                    state.equals("SUCCEEDED") ? d.timestamp(T0.plusSeconds(86400)) : null,
                    state.equals("AWAITING") ? 1001L : null, state.equals("AWAITING") ? "ON_SUCCESS" : null);
            update(c, "INSERT INTO " + T.state + " (job_id, state, reason, created_at, data) VALUES (?, ?, ?, ?, ?)", id,
                    state, "reason " + state, d.timestamp(T0.plusSeconds(3)), "{\"state\":\"" + state + "\"}");
            update(c, "INSERT INTO " + T.parameter + " (job_id, name, param_value) VALUES (?, ?, ?)", id, "origin",
                    "\"" + state + "\"");
        }
        update(c, "INSERT INTO " + T.prefix + "job_queue (job_id, queue, enqueued_at, owner, lease_until) VALUES (?, ?, ?, ?, ?)",
                ids.get("ENQUEUED"), "default", d.timestamp(T0.plusSeconds(1)), null, null);
        update(c, "INSERT INTO " + T.prefix + "job_queue (job_id, queue, enqueued_at, owner, lease_until) VALUES (?, ?, ?, ?, ?)",
                ids.get("PROCESSING"), "default", d.timestamp(T0.plusSeconds(2)), "server-a", d.timestamp(T0.plusSeconds(60)));
        update(c, "INSERT INTO " + T.log + " (job_id, attempt, created_at, line) VALUES (?, ?, ?, ?)", ids.get("PROCESSING"), 1,
                d.timestamp(T0.plusSeconds(4)), "halfway there");
        update(c, "INSERT INTO " + T.server + " (id, queues, workers, started_at, last_heartbeat) VALUES (?, ?, ?, ?, ?)",
                "server-a", "default,critical", 8, d.timestamp(T0), d.timestamp(T0.plusSeconds(5)));
        update(c, "INSERT INTO " + T.recurring + " (id, job_name, arguments, cron, time_zone, queue, misfire, paused,"
                + " next_execution, last_execution, last_job_id, error, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "nightly", "TestJobs.record", "[\"n\"]", "0 0 3 * * *",
                "UTC", "default", "STRICT", false, d.timestamp(T0.plusSeconds(7200)), d.timestamp(T0), ids.get("SUCCEEDED"),
                null, d.timestamp(T0), d.timestamp(T0));
        update(c, "INSERT INTO " + T.lock + " (name, owner, expire_at) VALUES (?, ?, ?)", "limit:mutex:report",
                String.valueOf(ids.get("PROCESSING")), d.timestamp(T0.plusSeconds(60)));
        update(c, "INSERT INTO " + T.counter + " (name, amount, expire_at) VALUES (?, ?, ?)", "stats:succeeded", 41L, null);
        return ids;
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
