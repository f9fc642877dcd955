package io.quarkiverse.hangfire.runtime.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The one clock every stored time comes from. Times are stored as UTC with microsecond precision, the
 * finest that MySQL's DATETIME(6) keeps, so that a value read back equals the value written.
 */
public final class JobClock {

    /**
     * The earliest time a caller may pass. With {@link #LATEST}, a range that MySQL's DATETIME(6) (years 1000 to
     * 9999), PostgreSQL's and H2's TIMESTAMP(6) all hold, and that leaves no doubt about time zones or calendars.
     */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    /** The latest time a caller may pass: the end of year 9999, to the microsecond. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private static volatile Clock clock = Clock.systemUTC();

    private JobClock() {
    }

    public static Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Returns a caller's time, or throws an {@link IllegalArgumentException} naming {@code name} when it is null or
     * outside {@link #EARLIEST} to {@link #LATEST}.
     */
    public static Instant storable(Instant time, String name) {
        if (time == null) {
            throw new IllegalArgumentException("'" + name + "' must not be null");
        }
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            throw new IllegalArgumentException("'" + name + "' is " + time + ", outside the times that can be stored: "
                    + EARLIEST + " to " + LATEST);
        }
        return time;
    }

    /**
     * The time {@code delay} from now; a zero or negative delay means now. Throws an {@link IllegalArgumentException}
     * naming {@code name} when it is null or reaches past {@link #LATEST}.
     */
    public static Instant after(Duration delay, String name) {
        if (delay == null) {
            throw new IllegalArgumentException("'" + name + "' must not be null");
        }
        Instant now = now();
        if (delay.isNegative()) {
            return now;
        }
        if (delay.compareTo(Duration.between(now, LATEST)) > 0) {
            throw new IllegalArgumentException("'" + name + "' is " + delay + ", which reaches past " + LATEST
                    + ", the latest time that can be stored");
        }
        return now.plus(delay);
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
