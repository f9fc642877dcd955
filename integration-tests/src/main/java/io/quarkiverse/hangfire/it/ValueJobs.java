package io.quarkiverse.hangfire.it;

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
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkiverse.hangfire.BackgroundJob;

/**
 * A job taking every kind of argument a job may take, for the tests that run the app as a process (native image):
 * it records what it received and the runtime classes of the values inside containers, which show whether the
 * stored JSON was read back as the declared types or as plain maps.
 */
public class ValueJobs {

    public enum Priority {
        LOW,
        HIGH
    }

    /** A record inside a list, with a decimal and an enum. */
    public record Line(String sku, BigDecimal price, Priority priority) {
    }

    /** The arguments of {@link ValueJobs#receive}, as one value a test can send and read back. */
    public record Arguments(Item item, List<Item> items, Instant instant, LocalDate date, LocalDateTime localDateTime,
            ZonedDateTime zoned, OffsetDateTime offset, Duration duration, Period period, YearMonth month, ZoneId zone,
            Optional<Item> optionalItem, Optional<String> emptyNote, BigDecimal amount, BigInteger big, UUID uuid,
            Priority priority, Set<Priority> priorities, Map<String, BigDecimal> totals, List<Line> lines) {
    }

    @Inject
    Executions executions;

    @BackgroundJob
    public void receive(String key, Item item, List<Item> items, Instant instant, LocalDate date,
            LocalDateTime localDateTime, ZonedDateTime zoned, OffsetDateTime offset, Duration duration, Period period,
            YearMonth month, ZoneId zone, Optional<Item> optionalItem, Optional<String> emptyNote, BigDecimal amount,
            BigInteger big, UUID uuid, Priority priority, Set<Priority> priorities, Map<String, BigDecimal> totals,
            List<Line> lines) {
        Arguments received = new Arguments(item, items, instant, date, localDateTime, zoned, offset, duration, period,
                month, zone, optionalItem, emptyNote, amount, big, uuid, priority, priorities, totals, lines);
        List<String> elementClasses = new ArrayList<>();
        items.forEach(i -> elementClasses.add(i.getClass().getName()));
        optionalItem.ifPresent(i -> elementClasses.add(i.getClass().getName()));
        priorities.forEach(p -> elementClasses.add(p.getClass().getName()));
        totals.values().forEach(v -> elementClasses.add(v.getClass().getName()));
        lines.forEach(l -> elementClasses.add(l.getClass().getName()));
        executions.record(key, received, elementClasses);
    }
}
