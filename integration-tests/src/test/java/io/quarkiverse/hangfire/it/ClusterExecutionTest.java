package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.details;
import static io.quarkiverse.hangfire.it.JobAssertions.historyStates;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.CountPoint;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.ServerInfo;
import io.quarkiverse.hangfire.StateRecord;
import io.quarkiverse.hangfire.runtime.server.ServerTransactions;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Leases, cancellation from elsewhere, timeouts, mutexes and concurrency limits, and a server declared dead,
 * in one application against the suite's database. Another server is played by SQL on the same tables: what
 * a second instance would write. The crash and outage tests with real processes are in the cluster package.
 */
@QuarkusTest
class ClusterExecutionTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ServerTransactions serverTransactions;

    @Test
    void theLeaseOfAJobRunningLongerThanTheLeaseTimeoutIsRenewedAndItRunsOnce() throws Exception {
        String key = key("long");
        // 4 s lease timeout in application.properties: the job runs for 7 s
        String id = jobs.enqueue(TestJobs.class, j -> j.slow(key, 7000, null));
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key + ":started") == 1);
        Timestamp first = leaseUntil(id);
        Thread.sleep(1500);
        Timestamp later = leaseUntil(id);
        assertThat(later).as("lease renewed by the heartbeat").isAfter(first);
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.count(key + ":started")).isEqualTo(1);
        assertThat(historyStates(done)).containsExactly(JobState.ENQUEUED, JobState.PROCESSING, JobState.SUCCEEDED);
    }

    @Test
    void aJobDeletedByAnotherServerSeesTheCancellationWithinAboutASecond() throws Exception {
        String key = key("remote-delete");
        String id = jobs.enqueue(TestJobs.class, j -> j.slow(key, 20_000, null));
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key + ":started") == 1);
        // what JobScheduler.delete does on another instance, which cannot signal this one
        long deletedAt = System.nanoTime();
        sql("UPDATE hangfire_job SET state = 'DELETED', state_reason = 'deleted elsewhere' WHERE id = ?", id);
        sql("UPDATE hangfire_job SET owner = NULL, lease_until = NULL WHERE id = ?", id);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> executions.count(key + ":cancelled") == 1);
        long millis = (System.nanoTime() - deletedAt) / 1_000_000;
        System.out.printf("cancellation seen %d ms after another server deleted the job%n", millis);
        Thread.sleep(300);
        // the run's result was dropped: the job stays as the other server left it
        assertThat(details(jobs, id).state()).isEqualTo(JobState.DELETED);
        assertThat(historyStates(details(jobs, id))).containsExactly(JobState.ENQUEUED, JobState.PROCESSING);
    }

    @Test
    void anAttemptPastItsTimeoutIsInterruptedAndFailsThroughTheRetryPolicy() {
        String key = key("timeout");
        String id = jobs.enqueue(LimitedJobs.class, j -> j.overrunsItsTimeout(key, null));
        JobDetails failed = awaitState(jobs, id, JobState.FAILED);
        assertThat(executions.count(key + ":started")).isEqualTo(2);
        // interrupted, and its JobContext reported the cancellation
        assertThat(executions.values(key + ":interrupted")).containsExactly(true, true);
        assertThat(historyStates(failed)).containsExactly(JobState.ENQUEUED, JobState.PROCESSING, JobState.FAILED,
                JobState.SCHEDULED, JobState.ENQUEUED, JobState.PROCESSING, JobState.FAILED);
        assertThat(failed.stateReason()).startsWith("Exceeded the maximum number of retry attempts (1): TimeoutException:")
                .contains("longer than its timeout of PT0.5S");
        assertThat(failed.history().get(0).data()).containsEntry("exceptionType", "java.util.concurrent.TimeoutException");
    }

    @Test
    void jobsSharingAMutexKeyRunOneAtATimeWhileOtherKeysRunAlongside() {
        String key = key("mutex");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(jobs.enqueue(LimitedJobs.class, j -> j.exclusive(key, "a", 150)));
            ids.add(jobs.enqueue(LimitedJobs.class, j -> j.exclusive(key, "b", 150)));
        }
        ids.forEach(id -> awaitState(jobs, id, JobState.SUCCEEDED));
        assertThat(executions.maxOverlap(key + ":a")).isEqualTo(1);
        assertThat(executions.maxOverlap(key + ":b")).isEqualTo(1);
        assertThat(executions.maxOverlap(key)).as("groups a and b ran side by side").isEqualTo(2);
        ids.forEach(id -> assertThat(historyStates(details(jobs, id))).containsExactly(JobState.ENQUEUED,
                JobState.PROCESSING, JobState.SUCCEEDED));
    }

    @Test
    void aJobConcurrencyLimitAndAQueueLimitHold() {
        String key = key("limit");
        String queueKey = key("queue-limit");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(jobs.enqueue(LimitedJobs.class, j -> j.atMostTwo(key, 150)));
        }
        for (int i = 0; i < 4; i++) {
            ids.add(jobs.enqueue(LimitedJobs.class, j -> j.inLimitedQueue(queueKey, 150)));
        }
        ids.forEach(id -> awaitState(jobs, id, JobState.SUCCEEDED));
        assertThat(executions.maxOverlap(key)).isEqualTo(2);
        assertThat(executions.maxOverlap(queueKey)).isEqualTo(1);
    }

    @Test
    void aMutexLeftByAJobThatIsNoLongerClaimedIsSweptAndNoJobWaitsForever() throws Exception {
        String key = key("swept");
        String group = key("g");
        // as if a server that did not know the limit had finished the job without releasing its slot
        sql("INSERT INTO hangfire_lock (name, owner, expire_at) VALUES (?, '987654321', CURRENT_TIMESTAMP)",
                "limit:mutex:group-" + group);
        String id = jobs.enqueue(LimitedJobs.class, j -> j.exclusive(key, group, 10));
        awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(count("SELECT COUNT(*) FROM hangfire_lock WHERE name LIKE ?", "limit:mutex:group-" + group)).isZero();
    }

    @Test
    void performRefusesAJobWhoseMutexIsHeldAndTheMutexIsReleasedWhenTheHolderIsDeleted() {
        String key = key("held");
        String holder = jobs.enqueue(LimitedJobs.class, j -> j.holdsMutex(key, null));
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key + ":started") == 1);
        String waiting = jobs.enqueue(LimitedJobs.class, j -> j.holdsMutex(key, null));
        String stored = jobs.schedule(LimitedJobs.class, j -> j.holdsMutex(key, null), Duration.ofHours(1));
        assertThatThrownBy(() -> jobs.perform(stored)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("limit 'mutex:held-" + key + "'");
        assertThat(details(jobs, waiting).state()).as("waits in its queue, not failed").isEqualTo(JobState.ENQUEUED);
        jobs.delete(holder);
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key + ":started") == 2);
        assertThat(details(jobs, waiting).state()).isEqualTo(JobState.PROCESSING);
        jobs.delete(waiting);
        jobs.delete(stored);
    }

    @Test
    void aServerDeclaredDeadCancelsItsJobsReRegistersAndTheJobsComeBack() throws Exception {
        String key = key("dead");
        String id = jobs.enqueue(LimitedJobs.class, j -> j.holdsMutex(key, null));
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key + ":started") == 1);
        String before = myServer().id();
        // what another server's watchdog does when this one stops heartbeating
        sql("DELETE FROM hangfire_server WHERE id = ?", before);
        await().atMost(Duration.ofSeconds(5)).until(() -> executions.count(key + ":cancelled") == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !myServer().id().equals(before));
        String after = myServer().id();
        assertThat(after.split(":")[1]).as("same process").isEqualTo(before.split(":")[1]);
        // the old identity's lease runs out (4 s) and the job runs again, holding its mutex again
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key + ":started") == 2);
        JobDetails running = details(jobs, id);
        List<StateRecord> history = running.history();
        assertThat(historyStates(running)).containsExactly(JobState.ENQUEUED, JobState.PROCESSING, JobState.ENQUEUED,
                JobState.PROCESSING);
        assertThat(history.get(1).reason()).contains(before).contains("stopped renewing its lease");
        assertThat(history.get(0).data()).containsEntry("server", after);
        jobs.delete(id);
        await().atMost(Duration.ofSeconds(5)).until(() -> executions.count(key + ":cancelled") == 2);
    }

    @Test
    void finishedJobsAreCountedInTotalPerHourAndPerDay() {
        Map<JobState, Long> before = jobs.monitor().finishedTotals();
        long hoursBefore = sum(jobs.monitor().history(JobState.SUCCEEDED, ChronoUnit.HOURS, 2));
        long daysBefore = sum(jobs.monitor().history(JobState.FAILED, ChronoUnit.DAYS, 2));
        String key = key("counted");
        List<String> succeeded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            succeeded.add(jobs.enqueue(TestJobs.class, j -> j.record(key)));
        }
        String failed = jobs.enqueue(TestJobs.class, j -> j.failsOnce(key));
        String deleted = jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1));
        jobs.delete(deleted);
        succeeded.forEach(id -> awaitState(jobs, id, JobState.SUCCEEDED));
        awaitState(jobs, failed, JobState.FAILED);
        Map<JobState, Long> after = jobs.monitor().finishedTotals();
        assertThat(after.keySet()).containsExactlyInAnyOrder(JobState.SUCCEEDED, JobState.FAILED, JobState.DELETED);
        assertThat(after.get(JobState.SUCCEEDED) - before.get(JobState.SUCCEEDED)).isGreaterThanOrEqualTo(3);
        assertThat(after.get(JobState.FAILED) - before.get(JobState.FAILED)).isGreaterThanOrEqualTo(1);
        assertThat(after.get(JobState.DELETED) - before.get(JobState.DELETED)).isGreaterThanOrEqualTo(1);
        assertThat(sum(jobs.monitor().history(JobState.SUCCEEDED, ChronoUnit.HOURS, 2)) - hoursBefore)
                .isGreaterThanOrEqualTo(3);
        assertThat(sum(jobs.monitor().history(JobState.FAILED, ChronoUnit.DAYS, 2)) - daysBefore).isGreaterThanOrEqualTo(1);
        List<CountPoint> hours = jobs.monitor().history(JobState.SUCCEEDED, ChronoUnit.HOURS, 24);
        assertThat(hours).hasSize(24);
        assertThat(hours.get(23).start()).isEqualTo(java.time.Instant.now().truncatedTo(ChronoUnit.HOURS));
        assertThatThrownBy(() -> jobs.monitor().history(JobState.PROCESSING, ChronoUnit.HOURS, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRowsOfACounterAreMergedIntoOneWithTheSameSum() throws Exception {
        String name = "stats:" + key("test");
        for (int amount : new int[] { 2, 3, 5 }) {
            sql("INSERT INTO hangfire_counter (name, amount, expire_at) VALUES (?, " + amount + ", NULL)", name);
        }
        // the background aggregation (every 500 ms here) merges them; running it here as well changes nothing
        serverTransactions.aggregateStatistics(1000);
        await().atMost(JobAssertions.PATIENCE)
                .until(() -> count("SELECT COUNT(*) FROM hangfire_counter WHERE name = ?", name) == 1);
        assertThat(count("SELECT SUM(amount) FROM hangfire_counter WHERE name = ?", name)).isEqualTo(10);
        sql("DELETE FROM hangfire_counter WHERE name = ?", name);
    }

    private static long sum(List<CountPoint> points) {
        return points.stream().mapToLong(CountPoint::count).sum();
    }

    private ServerInfo myServer() {
        String pid = ":" + ProcessHandle.current().pid() + ":";
        List<ServerInfo> mine = jobs.monitor().servers().stream().filter(s -> s.id().contains(pid)).toList();
        assertThat(mine).hasSize(1);
        ServerInfo server = mine.get(0);
        assertThat(server.queues()).containsExactly("critical", "default", "limited", "flow", "flow-rated");
        assertThat(server.workers()).isEqualTo(8);
        return server;
    }

    private Timestamp leaseUntil(String jobId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT lease_until FROM hangfire_job WHERE id = ?")) {
            ps.setLong(1, Long.parseLong(jobId));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("job " + jobId + " exists").isTrue();
                return rs.getTimestamp(1);
            }
        }
    }

    private void sql(String statement, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            bind(ps, parameters);
            ps.executeUpdate();
        }
    }

    private long count(String query, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(query)) {
            bind(ps, parameters);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] instanceof String s && s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
                ps.setLong(i + 1, Long.parseLong(s));
            } else {
                ps.setObject(i + 1, parameters[i]);
            }
        }
    }
}
