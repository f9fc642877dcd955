package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.it.ArgumentTypes.Line;
import io.quarkiverse.hangfire.it.ArgumentTypes.Marker;
import io.quarkiverse.hangfire.it.ArgumentTypes.Order;
import io.quarkiverse.hangfire.it.ArgumentTypes.Priority;
import io.quarkus.test.junit.QuarkusTest;

/** Every supported argument type goes through the database and the worker and arrives equal to what was passed. */
@QuarkusTest
class ArgumentRoundTripTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Inject
    AgroalDataSource dataSource;

    private static final String TEXT = "quotes \" and \\ , unicode é 😀, a tab\t and a NUL \u0000";
    private static final BigDecimal PRICE = new BigDecimal("19.990");
    private static final BigInteger HUGE = new BigInteger("123456789012345678901234567890");
    private static final Instant INSTANT = Instant.parse("2026-11-29T10:15:30.123456789Z");
    private static final ZonedDateTime ZONED = ZonedDateTime.of(2026, 3, 29, 2, 30, 0, 500, ZoneId.of("Europe/Paris"));
    private static final OffsetDateTime OFFSET = OffsetDateTime.of(2026, 11, 29, 10, 0, 0, 0, ZoneOffset.ofHours(-5));
    private static final UUID UUID_1 = UUID.fromString("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    private static final Line LINE = new Line("a-1", new BigDecimal("0.10"), 3);
    private static final Order PREVIOUS = new Order("o-0", new BigDecimal("100"), List.of(), Optional.empty(), null);
    private static final Order ORDER = new Order("o-1", new BigDecimal("1.2300E+5"),
            List.of(LINE, new Line("b-2", new BigDecimal("5.000"), 1)), Optional.of(INSTANT), PREVIOUS);
    private static final Map<String, BigDecimal> PRICES = orderedPrices();
    private static final Map<Priority, List<Integer>> NESTED = Map.of(Priority.LOW, List.of(1, 2), Priority.HIGH, List.of());

    private static Map<String, BigDecimal> orderedPrices() {
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        prices.put("plain", new BigDecimal("2.50"));
        prices.put("negative", new BigDecimal("-0.000"));
        prices.put("long", new BigDecimal("12345678901234567890.123456789012345678900"));
        return prices;
    }

    /** What the job method must record for the arguments the tests pass. */
    private static List<Object> expected() {
        return Arrays.asList((byte) -7, (short) 300, Integer.MIN_VALUE, Long.MAX_VALUE, 1.1f, 0.1 + 0.2, true, 'é',
                Byte.MAX_VALUE, Short.MIN_VALUE, 42, Long.MIN_VALUE, Float.MAX_VALUE, Double.MIN_VALUE, false, '"', TEXT, PRICE, HUGE, INSTANT, LocalDate.of(2024, 2, 29), LocalTime.of(23, 59, 59, 999_999_999),
                LocalDateTime.of(2026, 11, 29, 10, 0, 0, 1000), OFFSET, OffsetTime.of(10, 0, 0, 0, ZoneOffset.ofHours(2)),
                ZONED, Year.of(2026), YearMonth.of(2026, 11), MonthDay.of(2, 29), Period.of(1, -2, 3),
                Duration.ofSeconds(123_456_789, 123_456_789), ZoneId.of("America/New_York"), ZoneOffset.ofHoursMinutes(5, 30),
                DayOfWeek.SUNDAY, Month.FEBRUARY, UUID_1, Priority.HIGH, Optional.of("present"),
                // a null Optional arrives as Optional.empty()
                Optional.empty(), OptionalInt.of(7), List.of(ORDER, PREVIOUS), PRICES, Set.of(UUID_1), NESTED, ORDER,
                new Marker(), true, true, true, true);
    }

    @Test
    void lambdaFormArgumentsArriveEqual() {
        String key = key("types-lambda");
        String id = jobs.enqueue(TestJobs.class, j -> j.everyType(key, (byte) -7, (short) 300, Integer.MIN_VALUE,
                Long.MAX_VALUE, 1.1f, 0.1 + 0.2, true, 'é', Byte.MAX_VALUE, Short.MIN_VALUE, 42, Long.MIN_VALUE,
                Float.MAX_VALUE, Double.MIN_VALUE, false, '"', TEXT, PRICE, HUGE, INSTANT, LocalDate.of(2024, 2, 29),
                LocalTime.of(23, 59, 59, 999_999_999), LocalDateTime.of(2026, 11, 29, 10, 0, 0, 1000), OFFSET,
                OffsetTime.of(10, 0, 0, 0, ZoneOffset.ofHours(2)), ZONED, Year.of(2026), YearMonth.of(2026, 11),
                MonthDay.of(2, 29), Period.of(1, -2, 3), Duration.ofSeconds(123_456_789, 123_456_789),
                ZoneId.of("America/New_York"), ZoneOffset.ofHoursMinutes(5, 30), DayOfWeek.SUNDAY, Month.FEBRUARY, UUID_1,
                Priority.HIGH, Optional.of("present"), null, OptionalInt.of(7), List.of(ORDER, PREVIOUS), PRICES,
                Set.of(UUID_1), NESTED, ORDER, new Marker(), null, null, null, null));
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.values(key)).containsExactlyElementsOf(expected());
        // the dashboard shows each argument exactly as stored
        assertThat(done.arguments().get(18)).isEqualTo("19.990");
        assertThat(done.arguments().get(31)).isEqualTo("\"PT34293H33M9.123456789S\"");
        assertThat(done.arguments().get(26)).isEqualTo("\"2026-03-29T03:30:00.0000005+02:00[Europe/Paris]\"");
    }

    @Test
    void nameFormArgumentsArriveEqual() {
        String key = key("types-name");
        String id = jobs.enqueue("TestJobs.everyType", key, (byte) -7, (short) 300, Integer.MIN_VALUE, Long.MAX_VALUE,
                1.1f, 0.1 + 0.2, true, 'é', Byte.MAX_VALUE, Short.MIN_VALUE, 42, Long.MIN_VALUE, Float.MAX_VALUE,
                Double.MIN_VALUE, false, '"', TEXT, PRICE, HUGE, INSTANT, LocalDate.of(2024, 2, 29),
                LocalTime.of(23, 59, 59, 999_999_999), LocalDateTime.of(2026, 11, 29, 10, 0, 0, 1000), OFFSET,
                OffsetTime.of(10, 0, 0, 0, ZoneOffset.ofHours(2)), ZONED, Year.of(2026), YearMonth.of(2026, 11),
                MonthDay.of(2, 29), Period.of(1, -2, 3), Duration.ofSeconds(123_456_789, 123_456_789),
                ZoneId.of("America/New_York"), ZoneOffset.ofHoursMinutes(5, 30), DayOfWeek.SUNDAY, Month.FEBRUARY, UUID_1,
                Priority.HIGH, Optional.of("present"), null, OptionalInt.of(7), List.of(ORDER, PREVIOUS), PRICES,
                Set.of(UUID_1), NESTED, ORDER, new Marker(), null, null, null, null);
        awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.values(key)).containsExactlyElementsOf(expected());
    }

    @Test
    void durationsAreStoredAsIso8601AndDecimalSecondsStoredBeforeStillRead() throws Exception {
        String key = key("old-duration");
        String id = jobs.schedule(TestJobs.class, j -> j.waitFor(key, Duration.ofMinutes(90)), Duration.ofHours(1));
        assertThat(JobAssertions.details(jobs, id).arguments()).containsExactly("\"" + key + "\"", "\"PT1H30M\"");
        // the form earlier versions stored: decimal seconds
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE hangfire_job SET arguments = ? WHERE id = ?")) {
            update.setString(1, "[\"" + key + "\",3600.500000000]");
            update.setLong(2, Long.parseLong(id));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        assertThat(jobs.perform(id)).isEqualTo(JobState.SUCCEEDED);
        assertThat(executions.values(key)).containsExactly(Duration.ofMillis(3_600_500));

        jobs.setJobParameter(id, "timeout", new BigDecimal("3600.500000000"));
        assertThat(jobs.getJobParameter(id, "timeout", Duration.class)).contains(Duration.ofMillis(3_600_500));
        jobs.setJobParameter(id, "price", PRICE);
        assertThat(jobs.getJobParameter(id, "price", BigDecimal.class)).contains(PRICE);
    }
}
