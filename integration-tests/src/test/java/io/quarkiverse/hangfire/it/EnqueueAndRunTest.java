package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.historyStates;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class EnqueueAndRunTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Test
    void lambdaEnqueueRunsAndRecordsHistoryWithDurationAndLatency() {
        String key = key("lambda");
        String id = jobs.enqueue(TestJobs.class, j -> j.record(key));

        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.count(key)).isEqualTo(1);
        assertThat(done.jobName()).isEqualTo("TestJobs.record");
        assertThat(done.queue()).isEqualTo("default");
        assertThat(done.arguments()).containsExactly("\"" + key + "\"");
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(historyStates(done)).containsExactly(JobState.ENQUEUED, JobState.PROCESSING, JobState.SUCCEEDED);
        Map<String, String> succeeded = done.history().get(0).data();
        assertThat(Long.parseLong(succeeded.get("duration"))).isGreaterThanOrEqualTo(0);
        assertThat(Long.parseLong(succeeded.get("latency"))).isGreaterThanOrEqualTo(0);
        assertThat(done.history().get(1).data()).containsKey("server");
        // final states expire after the configured 24 hours
        assertThat(done.expireAt()).isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
    }

    @Test
    void nameFormChecksAndConvertsArguments() {
        String id = jobs.enqueue("TestJobs.generate", 42, YearMonth.of(2026, 11));
        awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.values("generate:42")).contains(YearMonth.of(2026, 11));
        assertThat(JobAssertions.details(jobs, id).arguments()).containsExactly("42", "\"2026-11\"");
    }

    @Test
    void genericRecordsMapsOptionalsAndArraysRoundTrip() {
        String key = key("complex");
        List<Item> items = List.of(new Item("a-1", 2), new Item("b-2", 5));
        String id = jobs.enqueue(TestJobs.class,
                j -> j.complex(key, items, Map.of("total", 7), Optional.of("note"), new int[] { 1, 2, 3 }));
        awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.values(key)).containsExactly(items, Map.of("total", 7), Optional.of("note"), 3);
    }

    @Test
    void decimalsKeepTheirDigitsAndScaleAndDateTimesTheirZone() {
        String key = key("exact");
        BigDecimal amount = new BigDecimal("12345678901234567890.000100");
        ZonedDateTime zoned = ZonedDateTime.of(2026, 10, 25, 2, 30, 0, 0, ZoneId.of("Europe/Berlin"));
        OffsetDateTime offset = OffsetDateTime.of(2026, 6, 1, 12, 0, 0, 0, ZoneOffset.ofHoursMinutes(-3, -30));
        Map<String, BigDecimal> totals = Map.of("net", new BigDecimal("0.10"), "tax", new BigDecimal("1E+3"));
        ValueJobs.Line line = new ValueJobs.Line("l1", new BigDecimal("9.990"), ValueJobs.Priority.LOW);
        String id = jobs.enqueue(ValueJobs.class, j -> j.receive(key, new Item("a", 1), List.of(), Instant.EPOCH,
                LocalDate.EPOCH, LocalDateTime.of(2026, 3, 29, 2, 30), zoned, offset, Duration.ofMillis(1), Period.ZERO,
                YearMonth.of(2026, 11), ZoneId.of("UTC"), Optional.empty(), Optional.empty(), amount, BigInteger.TEN,
                UUID.randomUUID(), ValueJobs.Priority.HIGH, Set.of(), totals, List.of(line)));
        awaitState(jobs, id, JobState.SUCCEEDED);
        ValueJobs.Arguments received = (ValueJobs.Arguments) executions.values(key).get(0);
        assertThat(received.amount()).isEqualTo(amount).hasScaleOf(6);
        assertThat(received.totals()).isEqualTo(totals);
        assertThat(received.lines()).containsExactly(line);
        assertThat(received.zoned()).isEqualTo(zoned);
        assertThat(received.offset()).isEqualTo(offset);
    }

    @Test
    void resultOfTheJobIsRecorded() {
        String id = jobs.enqueue(TestJobs.class, j -> j.sum(20, 22));
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(done.history().get(0).data()).containsEntry("result", "42");
    }

    @Test
    void jobContextIsInjectedAndNotStored() {
        String key = key("context");
        String id = jobs.enqueue(TestJobs.class, j -> j.withContext(key, null));
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(done.arguments()).containsExactly("\"" + key + "\"");
        assertThat(executions.values(key)).containsExactly(id, 1, "default", "TestJobs.withContext");
        assertThat(jobs.getJobParameter(id, "seenAttempt", Integer.class)).contains(1);
        // name form: the JobContext parameter is not counted
        String byName = jobs.enqueue("TestJobs.withContext", key);
        awaitState(jobs, byName, JobState.SUCCEEDED);
    }

    @Test
    void customNameAndQueue() {
        String key = key("critical");
        String id = jobs.enqueue("critical.record", key);
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(done.queue()).isEqualTo("critical");
        assertThat(executions.count(key)).isEqualTo(1);
    }

    @Test
    void jobsInQueuesThisServerDoesNotServeWait() throws InterruptedException {
        String key = key("unserved");
        String id = jobs.enqueue(TestJobs.class, j -> j.unserved(key));
        Thread.sleep(1000);
        assertThat(JobAssertions.details(jobs, id).state()).isEqualTo(JobState.ENQUEUED);
        assertThat(jobs.monitor().enqueuedCountsByQueue()).containsKey("elsewhere");
        assertThat(jobs.delete(id)).isTrue();
    }

    @Test
    void manyJobsAllRunExactlyOnce() {
        String key = key("many");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = i;
            ids.add(jobs.enqueue(TestJobs.class, j -> j.record(key + ":" + n)));
        }
        await().atMost(JobAssertions.PATIENCE).until(() -> ids.stream()
                .allMatch(id -> jobs.monitor().job(id).map(JobDetails::state).orElse(null) == JobState.SUCCEEDED));
        for (int i = 0; i < 300; i++) {
            assertThat(executions.count(key + ":" + i)).as("runs of job %d", i).isEqualTo(1);
        }
    }

    @Test
    void lambdaMisuseIsAClearErrorAtTheCall() {
        assertThatThrownBy(() -> jobs.enqueue(TestJobs.class, j -> {
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one @BackgroundJob method")
                .hasMessageContaining("none");
        assertThatThrownBy(() -> jobs.enqueue(TestJobs.class, j -> {
            j.record("a");
            j.record("b");
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("called 2");
        assertThatThrownBy(() -> jobs.enqueue(TestJobs.class, j -> j.record(j.helper())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TestJobs.helper()")
                .hasMessageContaining("not a @BackgroundJob method");
        assertThatThrownBy(() -> jobs.enqueue(Executions.class, e -> e.count("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declares no @BackgroundJob method");
    }

    @Test
    void nameFormRejectsUnknownNamesAndWrongArguments() {
        assertThatThrownBy(() -> jobs.enqueue("NoSuch.job")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No @BackgroundJob method is named 'NoSuch.job'").hasMessageContaining("TestJobs.record");
        assertThatThrownBy(() -> jobs.enqueue("TestJobs.generate", 42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 2 argument(s), but 1 were given");
        assertThatThrownBy(() -> jobs.enqueue("TestJobs.generate", "42", YearMonth.now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Argument 1 (customerId)")
                .hasMessageContaining("must be a long");
        assertThatThrownBy(() -> jobs.enqueue("TestJobs.generate", null, YearMonth.now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("primitive and cannot be null");
        assertThatThrownBy(() -> jobs.enqueue("TestJobs.sum", 1L << 40, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a int");
    }

    @Test
    void monitorListsAndCounts() {
        String key = key("monitor");
        String id = jobs.enqueue(TestJobs.class, j -> j.record(key));
        awaitState(jobs, id, JobState.SUCCEEDED);
        Map<JobState, Long> counts = jobs.monitor().countsByState();
        assertThat(counts).containsOnlyKeys(JobState.values());
        assertThat(counts.get(JobState.SUCCEEDED)).isPositive();
        var page = jobs.monitor().jobs(JobState.SUCCEEDED, 0, 1000);
        assertThat(page.total()).isEqualTo(counts.get(JobState.SUCCEEDED));
        assertThat(page.jobs()).extracting(s -> s.id()).contains(id);
        assertThat(jobs.monitor().jobs(JobState.SUCCEEDED, 0, 1).jobs()).hasSize(1);
        assertThat(jobs.monitor().job("123456789123")).isEmpty();
        assertThatThrownBy(() -> jobs.monitor().job("not-a-number")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'not-a-number'");
        assertThat(jobs.monitor().jobNames()).contains("TestJobs.record", "complex", "critical.record");
        assertThatThrownBy(() -> jobs.monitor().jobs(JobState.SUCCEEDED, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
