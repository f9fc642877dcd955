package io.quarkiverse.hangfire.runtime.storage;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The one clock every stored time comes from. Times are stored as UTC with microsecond precision, the
 * finest that MySQL's DATETIME(6) keeps, so that a value read back equals the value written.
 */
public final class JobClock {

    private static volatile Clock clock = Clock.systemUTC();

    private JobClock() {
    }

    public static Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** For tests that need to move time. */
    public static void use(Clock replacement) {
        clock = replacement;
    }

    public static LocalDateTime toDb(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    public static Instant fromDb(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
