package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.details;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.RecurringOptions;
import io.quarkiverse.hangfire.StateRecord;
import io.quarkus.test.junit.QuarkusTest;

/** What a careless caller can pass: too much data, times out of range, values that are not data. */
@QuarkusTest
class CallerInputTest {

    /** quarkus.hangfire.limits.max-arguments-size and max-parameter-size, by default 64K. */
    private static final int LIMIT = 65536;

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void argumentsOverTheLimitAreRefusedOnEveryPathAndNothingIsStored() throws Exception {
        String key = key("too-big");
        // ["<key>","xxx..."]: the key, the quotes, the comma and brackets make it one byte over
        String big = "x".repeat(LIMIT - key.length() - 6);
        String id = jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1));

        List<Runnable> calls = List.of(
                () -> jobs.enqueue(TestJobs.class, j -> j.withText(key, big)),
                () -> jobs.enqueue("TestJobs.withText", key, big),
                () -> jobs.schedule(TestJobs.class, j -> j.withText(key, big), Duration.ofMinutes(1)),
                () -> jobs.schedule(TestJobs.class, j -> j.withText(key, big), Instant.now()),
                () -> jobs.schedule("TestJobs.withText", Duration.ofMinutes(1), key, big),
                () -> jobs.schedule("TestJobs.withText", Instant.now(), key, big),
                () -> jobs.continueWith(id, TestJobs.class, j -> j.withText(key, big)),
                () -> jobs.continueWith(id, ContinuationOption.ON_SUCCEEDED, "TestJobs.withText", key, big),
                () -> jobs.recurring().addOrUpdate(key, TestJobs.class, j -> j.withText(key, big), "0 0 * * * *"),
                () -> jobs.recurring().addOrUpdate(key, "TestJobs.withText", "0 0 * * * *", RecurringOptions.DEFAULTS,
                        key, big));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("The arguments of job TestJobs.withText are " + (LIMIT + 1) + " bytes as JSON, more"
                            + " than the limit of " + LIMIT + " bytes (quarkus.hangfire.limits.max-arguments-size); pass"
                            + " a reference to large data (an id, a path) instead of the data itself, or raise the limit");
        }
        // a batch with one item too large stores none of its items
        List<String> items = new ArrayList<>(List.of("small-1", "small-2", big, "small-3"));
        assertThatThrownBy(() -> jobs.enqueueAll(TestJobs.class, items, (j, item) -> j.withText(key, item)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item 2 of the batch")
                .hasMessageContaining("no job of the batch was created")
                .hasMessageContaining("quarkus.hangfire.limits.max-arguments-size");
        assertThatThrownBy(() -> jobs.enqueueAll("TestJobs.withText",
                items.stream().map(item -> new Object[] { key, item }).toList()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item 2 of the batch");
        assertThat(storedJobsMentioning(key)).as("jobs stored with the key").isEqualTo(1);
        assertThat(jobs.recurring().get(key)).isEmpty();

        // at the limit exactly, it is stored and runs
        String fits = big.substring(1);
        String stored = jobs.enqueue(TestJobs.class, j -> j.withText(key, fits));
        awaitState(jobs, stored, JobState.SUCCEEDED);
        assertThat(executions.values(key)).containsExactly(fits.length());
        jobs.delete(id);
    }

    @Test
    void sizesCountUtf8BytesOfTheJson() {
        String key = key("utf8");
        // each 😀 is 4 bytes in UTF-8 and 2 chars in Java; each quote is escaped as \" (2 bytes)
        String emoji = "😀".repeat(LIMIT / 4);
        assertThatThrownBy(() -> jobs.enqueue(TestJobs.class, j -> j.withText(key, emoji)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("are " + (emoji.length() * 2 + key.length() + 7) + " bytes as JSON");
        String quotes = "\"".repeat(LIMIT / 2);
        assertThatThrownBy(() -> jobs.enqueue(TestJobs.class, j -> j.withText(key, quotes)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("are " + (quotes.length() * 2 + key.length() + 7) + " bytes as JSON");
    }

    @Test
    void parameterValuesOverTheLimitAreRefused() {
        String id = jobs.schedule(TestJobs.class, j -> j.record("param-limit"), Duration.ofHours(1));
        String big = "y".repeat(LIMIT - 1);
        assertThatThrownBy(() -> jobs.setJobParameter(id, "big", big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The value of job parameter 'big' of job " + id + " (TestJobs.record) is " + (LIMIT + 1)
                        + " bytes as JSON, more than the limit of " + LIMIT
                        + " bytes (quarkus.hangfire.limits.max-parameter-size)");
        assertThat(jobs.getJobParameter(id, "big", String.class)).isEmpty();
        jobs.setJobParameter(id, "big", big.substring(1));
        assertThat(jobs.getJobParameter(id, "big", String.class)).contains(big.substring(1));
        // a failed update keeps the stored value
        assertThatThrownBy(() -> jobs.setJobParameter(id, "big", big)).isInstanceOf(IllegalArgumentException.class);
        assertThat(jobs.getJobParameter(id, "big", String.class)).contains(big.substring(1));
        jobs.delete(id);
    }

    @Test
    void aRunningJobsOversizedParameterIsRefusedAndItsLogLinesAreCutNotFailed() throws Exception {
        String key = key("job-limits");
        String id = jobs.enqueue(TestJobs.class, j -> j.oversized(key, LIMIT, null));
        awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.values(key)).singleElement().asString().startsWith(
                "The value of job parameter 'big' of job " + id + " (TestJobs.oversized) is " + (LIMIT + 2) + " bytes");
        assertThat(details(jobs, id).parameters()).doesNotContainKey("big");
        List<String> lines = logLines(id);
        assertThat(lines).hasSize(2);
        // cut before the emoji rather than between its two halves, with a marker saying how much is missing
        assertThat(lines.get(0)).isEqualTo("a".repeat(3999) + " … (cut: " + (2 + LIMIT) + " more characters not stored)");
        assertThat(lines.get(1)).isEqualTo("nul\uFFFDinside");
    }

    @Test
    void timesOutsideTheStorableRangeAreClearErrors() {
        String id = jobs.schedule(TestJobs.class, j -> j.record("times"), Duration.ofHours(1));
        String range = "outside the times that can be stored: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z";
        for (Instant bad : List.of(Instant.MAX, Instant.MIN, Instant.parse("1969-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z"))) {
            assertThatThrownBy(() -> jobs.schedule(TestJobs.class, j -> j.record("x"), bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("'at' is " + bad + ", " + range);
            assertThatThrownBy(() -> jobs.schedule("TestJobs.record", bad, "x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(range);
            assertThatThrownBy(() -> jobs.reschedule(id, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(range);
            assertThatThrownBy(() -> jobs.reschedule(id, bad, JobState.SCHEDULED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(range);
            assertThatThrownBy(() -> jobs.updateExpirationTime(id, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'expireAt' is " + bad + ", " + range);
        }
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        String tooLong = "'delay' is " + forever + ", which reaches past 9999-12-31T23:59:59.999999Z, the latest time"
                + " that can be stored";
        assertThatThrownBy(() -> jobs.schedule(TestJobs.class, j -> j.record("x"), forever))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(tooLong);
        assertThatThrownBy(() -> jobs.schedule("TestJobs.record", forever, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(tooLong);
        assertThatThrownBy(() -> jobs.reschedule(id, forever)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(tooLong);
        assertThatThrownBy(() -> jobs.schedule(TestJobs.class, j -> j.record("x"), (Duration) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'delay' must not be null");
        assertThat(details(jobs, id).state()).isEqualTo(JobState.SCHEDULED);

        // the edges are stored and read back as given
        Instant latest = Instant.parse("9999-12-31T23:59:59.999999Z");
        assertThat(jobs.reschedule(id, latest)).isTrue();
        assertThat(details(jobs, id).scheduledAt()).isEqualTo(latest);
        assertThat(jobs.reschedule(id, Instant.EPOCH)).isTrue();
        awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(jobs.updateExpirationTime(id, latest)).isTrue();
        assertThat(details(jobs, id).expireAt()).isEqualTo(latest);
    }

    @Test
    void negativeDelaysMeanNow() {
        String key = key("negative");
        Instant before = Instant.now();
        String id = jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofSeconds(Long.MIN_VALUE));
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        StateRecord scheduled = done.history().get(done.history().size() - 1);
        assertThat(scheduled.state()).isEqualTo(JobState.SCHEDULED);
        assertThat(Instant.parse(scheduled.data().get("scheduledAt"))).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(executions.count(key)).isEqualTo(1);
    }

    @Test
    void parameterValuesThatDoNotReadBackAreRefused() {
        String id = jobs.schedule(TestJobs.class, j -> j.record("not-data"), Duration.ofHours(1));
        assertThatThrownBy(() -> jobs.setJobParameter(id, "thread", new Thread()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The value of job parameter 'thread' of job " + id
                        + " of type java.lang.Thread cannot be stored");
        assertThatThrownBy(() -> jobs.setJobParameter(id, "object", new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The value of job parameter 'object' of job " + id
                        + " of type java.lang.Object cannot be stored as JSON");
        assertThatThrownBy(() -> jobs.setJobParameter(id, "threads", List.of("fine", new Thread())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be stored");
        assertThat(details(jobs, id).parameters()).isEmpty();
        // values that are data pass, whatever their concrete class
        jobs.setJobParameter(id, "list", List.of(1, 2));
        jobs.setJobParameter(id, "items", Map.of("a", new Item("x", 1)));
        jobs.setJobParameter(id, "priority", ArgumentTypes.Priority.HIGH);
        jobs.setJobParameter(id, "tags", Set.of("a", "b", "c", "d", "e", "f"));
        jobs.setJobParameter(id, "amounts", Map.of("price", new BigDecimal("19.990"), "big", 12345678.0,
                "tiny", 1e-9, "count", 7, "none", Double.NaN));
        assertThat(jobs.getJobParameter(id, "amounts", Map.class).orElseThrow())
                .containsEntry("price", 19.99).containsEntry("big", 12345678.0).containsEntry("count", 7);
        assertThat(jobs.getJobParameter(id, "tags", Set.class)).contains(Set.of("a", "b", "c", "d", "e", "f"));
        assertThat(jobs.getJobParameter(id, "list", List.class)).contains(List.of(1, 2));
        assertThat(jobs.getJobParameter(id, "priority", ArgumentTypes.Priority.class)).contains(ArgumentTypes.Priority.HIGH);
        assertThatThrownBy(() -> jobs.setJobParameter(id, "bad\u0000name", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no control characters");
        jobs.delete(id);
    }

    private int storedJobsMentioning(String text) throws Exception {
        return Integer.parseInt(JobAssertions.single(dataSource, "SELECT COUNT(*) FROM hangfire_job WHERE arguments LIKE ?",
                "%" + text + "%"));
    }

    private List<String> logLines(String id) throws Exception {
        return JobAssertions.column(dataSource, "SELECT line FROM hangfire_job_log WHERE job_id = ? ORDER BY id",
                Long.parseLong(id));
    }
}
