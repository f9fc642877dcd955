package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.RecurringJobInfo;
import io.quarkiverse.hangfire.RecurringJobs;
import io.quarkiverse.hangfire.RecurringOptions;
import io.quarkiverse.hangfire.runtime.recurring.RecurringJobManager;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkus.test.junit.QuarkusTest;

/** Recurring jobs: annotations synchronised at startup, the API, misfire modes, and each occurrence once. */
@QuarkusTest
class RecurringTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TransactionManager transactionManager;

    @Inject
    RecurringJobManager store;


    @Test
    void annotatedRecurringJobsAreAddedAtStartupWithTheirConfiguration() {
        RecurringJobInfo nightly = jobs.recurring().get("it-nightly").orElseThrow();
        assertThat(nightly.jobName()).isEqualTo("TestJobs.nightly");
        assertThat(nightly.cron()).isEqualTo("0 0 3 * * *");
        assertThat(nightly.zone()).isEqualTo("Europe/Berlin");
        assertThat(nightly.queue()).isEqualTo("critical");
        assertThat(nightly.misfire()).isEqualTo(Misfire.RELAXED);
        assertThat(nightly.paused()).isFalse();
        assertThat(nightly.arguments()).isEmpty();
        Instant expected = java.time.ZonedDateTime.now(ZoneId.of("Europe/Berlin")).withHour(3).truncatedTo(ChronoUnit.HOURS)
                .toInstant();
        assertThat(nightly.nextExecution()).isIn(expected, expected.plus(1, ChronoUnit.DAYS));

        RecurringJobInfo configured = jobs.recurring().get("it-from-config").orElseThrow();
        assertThat(configured.cron()).isEqualTo("0 15 4 * * *");
        assertThat(configured.misfire()).isEqualTo(Misfire.STRICT);
        assertThat(configured.queue()).as("the method's queue").isEqualTo("default");
        assertThat(jobs.recurring().get("it-switched-off")).isEmpty();
    }

    @Test
    void aRecurringJobRunsEverySecondCanBeTriggeredPausedResumedAndRemoved() throws Exception {
        String id = key("every-second");
        String key = key("recorded");
        jobs.recurring().addOrUpdate(id, TestJobs.class, j -> j.record(key), "* * * * * *");
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key) >= 2);
        RecurringJobInfo info = jobs.recurring().get(id).orElseThrow();
        assertThat(info.lastJobId()).isNotNull();
        assertThat(info.lastExecution()).isNotNull();
        assertThat(info.nextExecution()).isAfter(info.lastExecution());
        assertThat(info.error()).isNull();
        assertThat(jobs.getJobParameter(info.lastJobId(), RecurringJobs.ID_PARAMETER, String.class)).contains(id);
        assertThat(jobs.getJobParameter(info.lastJobId(), RecurringJobs.OCCURRENCE_PARAMETER, String.class))
                .contains(info.lastExecution().toString());

        jobs.recurring().pause(id);
        assertThat(jobs.recurring().get(id).orElseThrow().paused()).isTrue();
        assertThat(jobs.recurring().get(id).orElseThrow().nextExecution()).isNull();
        Thread.sleep(300);
        int paused = occurrences(id).size();
        Thread.sleep(1500);
        assertThat(occurrences(id)).as("no occurrence while paused").hasSize(paused);

        String triggered = jobs.recurring().trigger(id);
        awaitState(jobs, triggered, JobState.SUCCEEDED);
        assertThat(jobs.recurring().get(id).orElseThrow().lastJobId()).isEqualTo(triggered);

        jobs.recurring().resume(id);
        await().atMost(JobAssertions.PATIENCE).until(() -> occurrences(id).size() > paused + 1);
        assertThat(jobs.recurring().removeIfExists(id)).isTrue();
        assertThat(jobs.recurring().removeIfExists(id)).isFalse();
        assertThat(jobs.recurring().get(id)).isEmpty();
        assertThatThrownBy(() -> jobs.recurring().trigger(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("There is no recurring job '" + id + "'");
    }

    @Test
    void invalidDefinitionsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> jobs.recurring().addOrUpdate("bad", TestJobs.class, TestJobs::noop, "0 0 25 * * *"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the hour 25 is outside 0-23");
        assertThatThrownBy(() -> jobs.recurring().addOrUpdate("bad", "TestJobs.noop", "@daily",
                RecurringOptions.DEFAULTS.withQueue("Bad Queue"))).hasMessageContaining("queue name 'Bad Queue'");
        assertThatThrownBy(() -> jobs.recurring().addOrUpdate("", TestJobs.class, TestJobs::noop, "@daily"))
                .hasMessageContaining("recurring job id");
        assertThatThrownBy(() -> jobs.recurring().addOrUpdate("bad", "TestJobs.nope", "@daily", null))
                .hasMessageContaining("No @BackgroundJob method is named 'TestJobs.nope'");
        assertThat(jobs.recurring().get("bad")).isEmpty();
    }

    @Test
    void afterDowntimeRelaxedRunsOnceStrictRunsEveryMissedOccurrenceIgnorableNone() throws Exception {
        // an hourly schedule whose latest occurrence was half an hour ago (missed, well past the misfire threshold)
        // and whose next is half an hour ahead: none falls due during the test, whenever it starts
        Instant hour = JobClock.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        java.time.ZonedDateTime utc = hour.atZone(java.time.ZoneOffset.UTC);
        String hourly = utc.getSecond() + " " + utc.getMinute() + " * * * *";
        Instant missedSince = hour.minus(5, ChronoUnit.HOURS);
        Map<Misfire, String> ids = new HashMap<>();
        for (Misfire misfire : Misfire.values()) {
            String id = key("misfire-" + misfire);
            ids.put(misfire, id);
            jobs.recurring().addOrUpdate(id, "TestJobs.noop", hourly, RecurringOptions.DEFAULTS.withMisfire(misfire));
            // as if no server had run for five hours
            sql("UPDATE hangfire_recurring_job SET next_execution = ? WHERE id = ?", java.sql.Timestamp.from(missedSince),
                    id);
        }
        for (String id : ids.values()) {
            await().atMost(JobAssertions.PATIENCE)
                    .until(() -> jobs.recurring().get(id).orElseThrow().nextExecution().isAfter(JobClock.now()));
        }
        List<String> relaxed = occurrences(ids.get(Misfire.RELAXED));
        assertThat(relaxed).as("one run for all missed occurrences: the latest").hasSize(1);
        assertThat(Instant.parse(relaxed.get(0))).isEqualTo(hour);

        List<String> strict = occurrences(ids.get(Misfire.STRICT));
        Instant last = jobs.recurring().get(ids.get(Misfire.STRICT)).orElseThrow().lastExecution();
        assertThat(last).isEqualTo(hour);
        assertThat(strict).as("one run per missed occurrence").hasSize(6).doesNotHaveDuplicates();
        assertThat(strict).contains(missedSince.toString(), hour.toString());

        assertThat(occurrences(ids.get(Misfire.IGNORABLE))).as("missed occurrences are dropped").isEmpty();
        assertThat(jobs.recurring().get(ids.get(Misfire.IGNORABLE)).orElseThrow().nextExecution())
                .isEqualTo(hour.plus(1, ChronoUnit.HOURS));
        ids.values().forEach(jobs.recurring()::removeIfExists);
    }

    /**
     * Callers adding the same recurring job at once, each in a JTA transaction of its own that also writes (a job)
     * and stays open a moment after the add. A deadlock between their adds would fail a caller's whole transaction,
     * which the manager cannot run again (it runs again only the transactions it owns), so none may happen: the row
     * is written before it is read, and the adds wait for each other. Rounds of four callers let go at once, on a
     * new id and then on the same id again (the row exists): every caller commits, and one row holds the definition
     * of one of them, as the last one wrote it.
     */
    @Test
    void callersAddingTheSameRecurringJobInTheirOwnTransactionsAtOnceAllCommit() throws Exception {
        int callers = 4;
        String key = key("added-at-once");
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<String> ids = new ArrayList<>();
        try {
            for (int round = 0; round < 6; round++) {
                String id = key + "-" + round / 2;
                if (round % 2 == 0) {
                    ids.add(id);
                    assertThat(jobs.recurring().get(id)).as("new in round " + round).isEmpty();
                }
                CyclicBarrier together = new CyclicBarrier(callers);
                List<Future<String>> adds = new ArrayList<>();
                for (int caller = 0; caller < callers; caller++) {
                    String cron = "0 0 " + caller + " * * *";
                    String marker = key + ":" + round + ":" + caller;
                    adds.add(pool.submit(() -> {
                        transactionManager.begin();
                        try {
                            String job = jobs.schedule(TestJobs.class, j -> j.record(marker), Duration.ofHours(1));
                            together.await(10, TimeUnit.SECONDS);
                            jobs.recurring().addOrUpdate(id, TestJobs.class, TestJobs::noop, cron);
                            Thread.sleep(50);
                            transactionManager.commit();
                            return job;
                        } catch (Throwable e) {
                            if (transactionManager.getTransaction() != null) {
                                transactionManager.rollback();
                            }
                            throw e;
                        }
                    }));
                }
                for (Future<String> add : adds) {
                    String job = add.get(60, TimeUnit.SECONDS);
                    assertThat(jobs.monitor().job(job)).as("the caller's own write, round " + round).isPresent();
                    jobs.delete(job);
                }
                assertThat(jobs.recurring().list().stream().filter(r -> r.id().equals(id))).hasSize(1);
                assertThat(jobs.recurring().get(id).orElseThrow().cron()).matches("0 0 [0-3] \\* \\* \\*");
            }
        } finally {
            pool.shutdownNow();
            ids.forEach(jobs.recurring()::removeIfExists);
        }
    }

    /**
     * A recurring job whose method is unique ({@code unique}, {@code uniqueWhileProcessing}) creates no occurrence while
     * the previous one still waits (its queue paused here) or runs: the occurrences that pass meanwhile create nothing,
     * and {@code trigger} returns the waiting job. Once it ran, the next occurrence creates a job again.
     */
    @Test
    void aUniqueRecurringJobCreatesNoOccurrenceWhileThePreviousOneWaits() throws Exception {
        String key = key("recurring-unique");
        jobs.pauseQueue("flow", null);
        try {
            jobs.recurring().addOrUpdate(key, FlowJobs.class, j -> j.exclusive(key), "* * * * * *");
            await().atMost(JobAssertions.PATIENCE).until(() -> occurrences(key).size() == 1);
            Instant first = jobs.recurring().get(key).orElseThrow().lastExecution();
            await().atMost(JobAssertions.PATIENCE).until(
                    () -> jobs.recurring().get(key).orElseThrow().lastExecution().isAfter(first.plusSeconds(2)));
            assertThat(occurrences(key)).as("occurrences passed, the first still waits").hasSize(1);
            String waiting = jobs.recurring().get(key).orElseThrow().lastJobId();
            assertThat(JobAssertions.details(jobs, waiting).state()).isEqualTo(JobState.ENQUEUED);
            assertThat(jobs.recurring().trigger(key)).isEqualTo(waiting);
            assertThat(occurrences(key)).hasSize(1);
        } finally {
            jobs.resumeQueue("flow");
        }
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key) >= 2);
        jobs.recurring().removeIfExists(key);
        assertThat(occurrences(key).size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void serversRacingOnTheSameRecurringJobsCreateEachOccurrenceOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = key("race-" + i);
            ids.add(id);
            jobs.recurring().addOrUpdate(id, TestJobs.class, TestJobs::noop, "* * * * * *");
        }
        // the background scheduler plus four more "servers" polling as fast as they can for three seconds
        ExecutorService racers = Executors.newFixedThreadPool(4);
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        List<Future<Integer>> rounds = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            rounds.add(racers.submit(() -> {
                int polls = 0;
                while (System.nanoTime() < end) {
                    store.enqueueDue(50);
                    polls++;
                }
                return polls;
            }));
        }
        for (Future<Integer> round : rounds) {
            assertThat(round.get()).isPositive();
        }
        racers.shutdown();
        ids.forEach(jobs.recurring()::pause);
        int total = 0;
        for (String id : ids) {
            List<String> occurrences = occurrences(id);
            assertThat(occurrences).as("occurrences of " + id).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
            total += occurrences.size();
        }
        System.out.printf("recurring race: %d recurring jobs, %d occurrences, no duplicates%n", ids.size(), total);
        ids.forEach(jobs.recurring()::removeIfExists);
    }

    /**
     * Daylight saving time with the application's clock moved to the nights the clocks change in Berlin in 2027
     * (forward: the whole application runs a few seconds there, as it would on that night).
     */
    @Test
    void inBerlinTheSkippedHourRunsOnceAtTheGapsEndAndTheRepeatedHourOnce() throws Exception {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        String spring = key("dst-spring");
        String autumn = key("dst-autumn");
        // the annotated recurring jobs would fire in 2027 and keep a 2027 next occurrence: hold them meanwhile
        List<String> annotated = List.of("it-nightly", "it-from-config");
        annotated.forEach(jobs.recurring()::pause);
        try {
            // 2027-03-28 02:00 CET jumps to 03:00 CEST: 02:30 does not exist and runs once, at 03:00 CEST
            useClockAt("2027-03-28T00:59:58Z");
            jobs.recurring().addOrUpdate(spring, "TestJobs.noop", "0 30 2 * * *", RecurringOptions.DEFAULTS.withZone(berlin));
            assertThat(jobs.recurring().get(spring).orElseThrow().nextExecution()).isEqualTo(Instant.parse("2027-03-28T01:00:00Z"));
            await().atMost(JobAssertions.PATIENCE).until(() -> occurrences(spring).size() == 1);
            assertThat(occurrences(spring)).containsExactly("2027-03-28T01:00:00Z");
            assertThat(jobs.recurring().get(spring).orElseThrow().nextExecution()).isEqualTo(Instant.parse("2027-03-29T00:30:00Z"));

            // 2027-10-31 03:00 CEST goes back to 02:00 CET: 02:30 happens twice and runs the first time only
            useClockAt("2027-10-31T00:29:58Z");
            jobs.recurring().addOrUpdate(autumn, "TestJobs.noop", "0 30 2 * * *", RecurringOptions.DEFAULTS.withZone(berlin));
            await().atMost(JobAssertions.PATIENCE).until(() -> occurrences(autumn).size() == 1);
            assertThat(occurrences(autumn)).containsExactly("2027-10-31T00:30:00Z");
            assertThat(jobs.recurring().get(autumn).orElseThrow().nextExecution()).isEqualTo(Instant.parse("2027-11-01T01:30:00Z"));
            useClockAt("2027-10-31T01:29:58Z");
            Thread.sleep(3000);
            assertThat(occurrences(autumn)).as("02:30 CET, the second time").containsExactly("2027-10-31T00:30:00Z");
        } finally {
            JobClock.use(java.time.Clock.systemUTC());
            bringBackFromTheFuture();
            annotated.forEach(jobs.recurring()::resume);
            jobs.recurring().removeIfExists(spring);
            jobs.recurring().removeIfExists(autumn);
        }
    }

    /**
     * Jobs of other tests that ran while the clock stood in 2027 carry 2027 times: they would head every newest-first
     * list, and stay, until 2027. Gives them today's times.
     */
    private void bringBackFromTheFuture() throws SQLException {
        java.time.LocalDateTime now = JobClock.toDb(JobClock.now());
        java.time.LocalDateTime tomorrow = now.plusDays(1);
        sql("UPDATE hangfire_job SET state_changed_at = ? WHERE state_changed_at > ?", now, tomorrow);
        sql("UPDATE hangfire_job SET created_at = ? WHERE created_at > ?", now, tomorrow);
        sql("UPDATE hangfire_job SET claimed_at = ? WHERE claimed_at > ?", now, tomorrow);
        sql("UPDATE hangfire_job SET expire_at = ? WHERE expire_at > ?", tomorrow, now.plusDays(2));
        sql("UPDATE hangfire_job_state SET created_at = ? WHERE created_at > ?", now, tomorrow);
    }

    private static void useClockAt(String instant) {
        JobClock.use(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.between(Instant.now(), Instant.parse(instant))));
    }

    /** The occurrence parameter of every job a recurring job created (by trigger() too), oldest first. */
    private List<String> occurrences(String recurringId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT o.param_value FROM hangfire_job_parameter r"
                        + " JOIN hangfire_job_parameter o ON o.job_id = r.job_id AND o.name = ?"
                        + " WHERE r.name = ? AND r.param_value = ? ORDER BY r.job_id")) {
            ps.setString(1, RecurringJobs.OCCURRENCE_PARAMETER);
            ps.setString(2, RecurringJobs.ID_PARAMETER);
            ps.setString(3, "\"" + recurringId + "\"");
            List<String> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String json = rs.getString(1);
                    values.add(json.substring(1, json.length() - 1));
                }
            }
            return values;
        }
    }

    private void sql(String statement, Object... parameters) throws SQLException {
        JobAssertions.update(dataSource, statement, parameters);
    }
}
