package io.quarkiverse.hangfire.runtime.recurring;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A cron expression with optional seconds, evaluated in a time zone.
 * <p>
 * Six fields ({@code second minute hour day-of-month month day-of-week}) or five (seconds are then 0), each a
 * list of {@code *}, {@code n}, {@code a-b}, {@code * /s}, {@code a/s} or {@code a-b/s}; month and day names
 * (JAN, MON); {@code ?} as {@code *} in the day fields; Sunday is 0 or 7. The day fields also take Quartz's
 * calendar rules ({@link CronDays}): {@code L}, {@code L-n}, {@code nW}, {@code LW} in the day of month,
 * {@code d#n} and {@code dL} in the day of week. When both day fields are restricted, a day matches either, as
 * in Unix cron. Macros: {@code @yearly} ({@code @annually}), {@code @monthly}, {@code @weekly}, {@code @daily}
 * ({@code @midnight}), {@code @hourly}.
 * <p>
 * Daylight saving time: an occurrence whose local time does not exist (the clocks jump over it) runs once, at
 * the end of the gap; an occurrence whose local time happens twice (the clocks go back) runs once, the first
 * time.
 * <p>
 * Why our own parser rather than cron-utils (what quarkus-scheduler uses): tried with cron-utils 9.2.1 and a
 * definition matching this syntax, it matches a day only when both day fields match ({@code 0 0 1 * MON} runs
 * on Mondays that are the 1st, where Unix cron and our tests run on both), drops the other items of a list that
 * holds {@code L} ({@code L,15} runs on the 15th only), throws a {@code DateTimeException} from
 * {@code nextExecution} for {@code 31W} in a 30-day month, accepts backward ranges ({@code 5-1}), and its errors
 * do not name the field. Wrapping it would have kept this class's validation, day matching and DST mapping, and
 * added a dependency (and slf4j) to the native image for the month arithmetic alone.
 */
public final class CronSchedule {

    private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 0 1 1 *", "@annually", "0 0 0 1 1 *",
            "@monthly", "0 0 0 1 * *", "@weekly", "0 0 0 * * 0", "@daily", "0 0 0 * * *", "@midnight", "0 0 0 * * *",
            "@hourly", "0 0 * * * *");
    private static final String[] MONTHS = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
            "DEC" };
    static final String[] DAYS = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };
    /** How far ahead an occurrence is looked for before the expression is declared one that never fires. */
    private static final int SEARCH_YEARS = 8;

    private final String expression;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final CronDays daysOfMonth;
    private final BitSet months;
    private final CronDays daysOfWeek;

    private CronSchedule(String expression, String[] f) {
        this.expression = expression;
        this.seconds = field(f[0], "second", 0, 59, null);
        this.minutes = field(f[1], "minute", 0, 59, null);
        this.hours = field(f[2], "hour", 0, 23, null);
        this.daysOfMonth = CronDays.ofMonth(f[3]);
        this.months = field(f[4], "month", 1, 12, MONTHS);
        this.daysOfWeek = CronDays.ofWeek(f[5]);
    }

    /**
     * Parses an expression; an {@link IllegalArgumentException} says what is wrong with it, including an
     * expression that never fires (such as the 30th of February).
     */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("The cron expression is empty");
        }
        String text = expression.trim();
        String macro = MACROS.get(text.toLowerCase(Locale.ROOT));
        String[] fields = (macro != null ? macro : text).split("\\s+");
        if (fields.length == 5) {
            String[] withSeconds = new String[6];
            withSeconds[0] = "0";
            System.arraycopy(fields, 0, withSeconds, 1, 5);
            fields = withSeconds;
        } else if (fields.length != 6) {
            throw new IllegalArgumentException("The cron expression '" + expression + "' has " + fields.length
                    + " fields; use 5 (minute hour day-of-month month day-of-week), 6 (with seconds first) or a macro"
                    + " such as @daily");
        }
        CronSchedule schedule;
        try {
            schedule = new CronSchedule(text, fields);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The cron expression '" + expression + "' is invalid: " + e.getMessage(), e);
        }
        if (schedule.next(Instant.EPOCH.plus(365L * 30, ChronoUnit.DAYS), ZoneId.of("UTC")) == null) {
            throw new IllegalArgumentException("The cron expression '" + expression + "' never fires");
        }
        return schedule;
    }

    /** A time zone by id, with an error that says what to use instead. */
    public static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Unknown time zone '" + id + "'; use an IANA id such as Europe/Berlin or UTC");
        }
    }

    /** The first occurrence strictly after {@code after}, or null when there is none within years. */
    public Instant next(Instant after, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        LocalDateTime limit = t.plusYears(SEARCH_YEARS);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
                continue;
            }
            if (!dayMatches(t.toLocalDate())) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
                continue;
            }
            if (!seconds.get(t.getSecond())) {
                t = t.plusSeconds(1);
                continue;
            }
            Instant instant = toInstant(t, zone);
            if (instant.isAfter(after)) {
                return instant;
            }
            // the second pass of a repeated hour: its occurrences ran the first time
            t = t.plusSeconds(1);
        }
        return null;
    }

    /** A local time in the zone: the gap's end for a time the clocks skip, the first of two for a repeated one. */
    private static Instant toInstant(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap().toInstant();
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = daysOfMonth.matchesDayOfMonth(date);
        boolean dow = daysOfWeek.matchesDayOfWeek(date);
        if (daysOfMonth.restricted() && daysOfWeek.restricted()) {
            return dom || dow;
        }
        return dom && dow;
    }

    static BitSet field(String text, String name, int min, int max, String[] names) {
        BitSet bits = new BitSet(max + 1);
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                throw new IllegalArgumentException("the " + name + " field '" + text + "' has an empty list item");
            }
            int step = 1;
            String range = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(item.substring(slash + 1), name, 1, max - min + 1, null);
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                if (range.equals("?") && !name.startsWith("day")) {
                    throw new IllegalArgumentException("'?' is only allowed in the day-of-month and day-of-week fields");
                }
                from = min;
                to = name.equals("day-of-week") ? 6 : max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw new IllegalArgumentException("the " + name + " range '" + range + "' is not of the form a-b");
                }
                from = number(ends[0], name, min, max, names);
                to = number(ends[1], name, min, max, names);
                if (from > to) {
                    throw new IllegalArgumentException("the " + name + " range '" + range + "' goes backwards");
                }
            } else {
                from = number(range, name, min, max, names);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    static int number(String text, String name, int min, int max, String[] names) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(text)) {
                    return names == MONTHS ? i + 1 : i;
                }
            }
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid " + name);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("the " + name + " " + value + " is outside " + min + "-" + max);
        }
        return value;
    }

    @Override
    public String toString() {
        return expression;
    }
}
