package io.quarkiverse.hangfire.it;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.BackgroundJob.RetriesExhausted;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.Recurring;
import io.quarkiverse.hangfire.it.ArgumentTypes.Marker;
import io.quarkiverse.hangfire.it.ArgumentTypes.Order;
import io.quarkiverse.hangfire.it.ArgumentTypes.Priority;
import io.quarkiverse.hangfire.Sensitive;

/** Job methods the behavioural tests call. No scope: the extension makes it a singleton bean. */
public class TestJobs {

    @Inject
    Executions executions;

    @BackgroundJob
    public void record(String key) {
        executions.record(key);
    }

    @BackgroundJob
    public void generate(long customerId, YearMonth month) {
        executions.record("generate:" + customerId, month);
    }

    @BackgroundJob(name = "complex")
    public void complex(String key, List<Item> items, Map<String, Integer> totals, Optional<String> note, int[] numbers) {
        executions.record(key, items, totals, note, numbers.length);
    }

    /** Records every argument it receives, in order, for the round-trip test. */
    @BackgroundJob
    public void everyType(String key, byte b, short s, int i, long l, float f, double d, boolean z, char c,
            Byte boxedB, Short boxedS, Integer boxedI, Long boxedL, Float boxedF, Double boxedD, Boolean boxedZ,
            Character boxedC, String text, BigDecimal decimal, BigInteger integer, Instant instant, LocalDate date,
            LocalTime time, LocalDateTime dateTime, OffsetDateTime offsetDateTime, OffsetTime offsetTime,
            ZonedDateTime zonedDateTime, Year year, YearMonth yearMonth, MonthDay monthDay, Period period,
            Duration duration, ZoneId zone, ZoneOffset offset, DayOfWeek dayOfWeek, Month month, UUID uuid,
            Priority priority, Optional<String> present, Optional<BigDecimal> absent, OptionalInt optionalInt,
            List<Order> orders, Map<String, BigDecimal> prices, Set<UUID> ids, Map<Priority, List<Integer>> nested,
            Order order, Marker marker, String nullText, Integer nullNumber, Order nullOrder, List<String> nullList) {
        executions.record(key, b, s, i, l, f, d, z, c, boxedB, boxedS, boxedI, boxedL, boxedF, boxedD, boxedZ, boxedC,
                text, decimal, integer, instant, date, time, dateTime, offsetDateTime, offsetTime, zonedDateTime, year,
                yearMonth, monthDay, period, duration, zone, offset, dayOfWeek, month, uuid, priority, present, absent,
                optionalInt, orders, prices, ids, nested, order, marker, nullText == null, nullNumber == null,
                nullOrder == null, nullList == null);
    }

    @BackgroundJob
    public void withText(String key, String text) {
        executions.record(key, text.length());
    }

    @BackgroundJob
    public void waitFor(String key, Duration duration) {
        executions.record(key, duration);
    }

    /** Writes what the size caps let it: a parameter of {@code size} characters, and log lines cut or cleaned. */
    @BackgroundJob(retries = 0)
    public void oversized(String key, int size, JobContext context) {
        try {
            context.setParameter("big", "x".repeat(size));
            executions.record(key, "stored");
        } catch (IllegalArgumentException e) {
            executions.record(key, e.getMessage());
        }
        context.log("a".repeat(3999) + "\uD83D\uDE00" + "b".repeat(size));
        context.log("nul\u0000inside");
    }

    /** The card number is @Sensitive; the pin is named in quarkus.hangfire.sensitive-parameters. Both are encrypted. */
    @BackgroundJob(retries = 2, retryDelays = "PT1H")
    public void charge(String key, @Sensitive String cardNumber, int pin) {
        executions.record(key, cardNumber, pin);
    }

    /** The passphrase is encrypted because quarkus.hangfire.sensitive-parameters names it for every job. */
    @BackgroundJob
    public void signIn(String key, String passphrase, JobContext context) {
        executions.record(key, passphrase);
    }

    @BackgroundJob
    public int sum(int a, int b) {
        return a + b;
    }

    /** Records the result of its parent job, read typed through its context. */
    @BackgroundJob
    public void recordParentResult(String key, JobContext context) {
        executions.record(key, context.parentResult(Integer.class).orElse(-1));
    }

    /** Records the sum of the results of the batch it continues. */
    @BackgroundJob
    public void recordBatchResults(String key, JobContext context) {
        executions.record(key, context.batchResults(Integer.class).values().stream().mapToInt(Integer::intValue).sum());
    }

    /** Returns a value larger than the size limit of results. */
    @BackgroundJob(retries = 0)
    public String oversizedResult(int size) {
        return "r".repeat(size);
    }

    @BackgroundJob
    public void withContext(String key, JobContext context) {
        context.setParameter("seenAttempt", context.attempt());
        executions.record(key, context.jobId(), context.attempt(), context.queue(), context.jobName());
    }

    /** Fails until it has run {@code failures} times, then succeeds. */
    @BackgroundJob(retries = 3, retryDelays = "PT0.1S")
    public void flaky(String key, int failures) {
        int run = executions.record(key);
        if (run <= failures) {
            throw new IllegalStateException("flaky failure " + run + " of " + failures);
        }
    }

    @BackgroundJob(retries = 2, retryDelays = "PT0.1S")
    public void alwaysFails(String key) {
        executions.record(key);
        throw new IllegalArgumentException("always fails: " + key);
    }

    @BackgroundJob(retries = 0)
    public void failsOnce(String key) {
        executions.record(key);
        throw new IllegalStateException("no retries for " + key);
    }

    @BackgroundJob(retries = 1, retryDelays = "PT0.1S", onRetriesExhausted = RetriesExhausted.DELETE)
    public void failsThenDeleted(String key) {
        executions.record(key);
        throw new IllegalStateException("deleted after retries: " + key);
    }

    @BackgroundJob(retries = 5, retryDelays = "PT0.1S", noRetryOn = UnsupportedOperationException.class)
    public void notRetried(String key) {
        executions.record(key);
        throw new UnsupportedOperationException("never retried: " + key);
    }

    /** Runs until cancelled or {@code millis} pass. */
    @BackgroundJob(retries = 0)
    public void slow(String key, long millis, JobContext context) throws InterruptedException {
        executions.record(key + ":started");
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (context.isCancellationRequested()) {
                executions.record(key + ":cancelled");
                return;
            }
            Thread.sleep(20);
        }
        executions.record(key + ":finished");
    }

    @BackgroundJob(name = "critical.record", queue = "critical")
    public void critical(String key) {
        executions.record(key);
    }

    @BackgroundJob(queue = "elsewhere")
    public void unserved(String key) {
        executions.record(key);
    }

    /** Declared recurring three times: a fixed cron in a zone, one from the configuration, one switched off. */
    @BackgroundJob
    @Recurring(id = "it-nightly", cron = "0 0 3 * * *", zone = "Europe/Berlin", queue = "critical")
    @Recurring(id = "it-from-config", cron = "${it.recurring.cron}", misfire = Misfire.STRICT)
    @Recurring(id = "it-switched-off", cron = "${it.recurring.unset-cron:off}")
    public void nightly() {
        executions.record("nightly");
    }

    @BackgroundJob
    public void noop() {
    }

    /** Not a job: calling it inside a job lambda is an error. */
    public String helper() {
        return "helper";
    }
}
