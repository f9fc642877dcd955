package io.quarkiverse.hangfire.runtime.recurring;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * One of the two day fields of a cron expression: plain values (as in the other fields) plus Quartz's calendar
 * rules, which depend on the month a day falls in. Day of month: {@code L} (last day), {@code L-n} (n days
 * before it), {@code nW} (the weekday nearest the nth, within the month), {@code LW} (the last weekday). Day of
 * week: {@code d#n} (the nth such day of the month) and {@code dL} (the last such day).
 */
final class CronDays {

    private final BitSet values;
    private final List<Predicate<LocalDate>> rules;
    private final boolean restricted;

    private CronDays(BitSet values, List<Predicate<LocalDate>> rules, boolean restricted) {
        this.values = values;
        this.rules = rules;
        this.restricted = restricted;
    }

    static CronDays ofMonth(String field) {
        BitSet values = new BitSet(32);
        List<Predicate<LocalDate>> rules = new ArrayList<>();
        for (String item : items(field, "day-of-month")) {
            String upper = item.toUpperCase(Locale.ROOT);
            if (upper.equals("L")) {
                rules.add(date -> date.getDayOfMonth() == date.lengthOfMonth());
            } else if (upper.startsWith("L-")) {
                int before = CronSchedule.number(upper.substring(2), "days before the last (L-n)", 1, 30, null);
                rules.add(date -> date.getDayOfMonth() == date.lengthOfMonth() - before);
            } else if (upper.equals("LW")) {
                rules.add(date -> date.equals(lastWeekday(date)));
            } else if (upper.endsWith("W")) {
                int day = CronSchedule.number(upper.substring(0, upper.length() - 1), "day-of-month", 1, 31, null);
                rules.add(date -> date.equals(nearestWeekday(date, day)));
            } else {
                values.or(CronSchedule.field(item, "day-of-month", 1, 31, null));
            }
        }
        return new CronDays(values, rules, !isWildcard(field));
    }

    static CronDays ofWeek(String field) {
        BitSet values = new BitSet(8);
        List<Predicate<LocalDate>> rules = new ArrayList<>();
        for (String item : items(field, "day-of-week")) {
            String upper = item.toUpperCase(Locale.ROOT);
            int hash = upper.indexOf('#');
            if (hash > 0) {
                DayOfWeek day = dayOfWeek(upper.substring(0, hash));
                int nth = CronSchedule.number(upper.substring(hash + 1), "week of the month (d#n)", 1, 5, null);
                rules.add(date -> date.getDayOfWeek() == day && (date.getDayOfMonth() - 1) / 7 + 1 == nth);
            } else if (upper.length() > 1 && upper.endsWith("L")) {
                DayOfWeek day = dayOfWeek(upper.substring(0, upper.length() - 1));
                rules.add(date -> date.getDayOfWeek() == day && date.getDayOfMonth() + 7 > date.lengthOfMonth());
            } else {
                values.or(CronSchedule.field(item, "day-of-week", 0, 7, CronSchedule.DAYS));
            }
        }
        if (values.get(7)) {
            values.set(0);
            values.clear(7);
        }
        return new CronDays(values, rules, !isWildcard(field));
    }

    /** Whether the field is anything other than {@code *} or {@code ?}. */
    boolean restricted() {
        return restricted;
    }

    boolean matchesDayOfMonth(LocalDate date) {
        return values.get(date.getDayOfMonth()) || anyRule(date);
    }

    boolean matchesDayOfWeek(LocalDate date) {
        DayOfWeek day = date.getDayOfWeek();
        return values.get(day == DayOfWeek.SUNDAY ? 0 : day.getValue()) || anyRule(date);
    }

    private boolean anyRule(LocalDate date) {
        for (Predicate<LocalDate> rule : rules) {
            if (rule.test(date)) {
                return true;
            }
        }
        return false;
    }

    /** Quartz's rule: a Saturday moves to Friday and a Sunday to Monday, but never into another month. */
    private static LocalDate nearestWeekday(LocalDate inMonth, int day) {
        if (day > inMonth.lengthOfMonth()) {
            return null; // the month has no such day: no occurrence in it
        }
        LocalDate date = inMonth.withDayOfMonth(day);
        return switch (date.getDayOfWeek()) {
            case SATURDAY -> day == 1 ? date.plusDays(2) : date.minusDays(1);
            case SUNDAY -> day == date.lengthOfMonth() ? date.minusDays(2) : date.plusDays(1);
            default -> date;
        };
    }

    private static LocalDate lastWeekday(LocalDate inMonth) {
        LocalDate last = inMonth.withDayOfMonth(inMonth.lengthOfMonth());
        return switch (last.getDayOfWeek()) {
            case SATURDAY -> last.minusDays(1);
            case SUNDAY -> last.minusDays(2);
            default -> last;
        };
    }

    private static DayOfWeek dayOfWeek(String text) {
        int value = CronSchedule.number(text, "day-of-week", 0, 7, CronSchedule.DAYS);
        return value == 0 || value == 7 ? DayOfWeek.SUNDAY : DayOfWeek.of(value);
    }

    private static String[] items(String field, String name) {
        String[] items = field.split(",", -1);
        for (String item : items) {
            if (item.isEmpty()) {
                throw new IllegalArgumentException("the " + name + " field '" + field + "' has an empty list item");
            }
        }
        return items;
    }

    private static boolean isWildcard(String field) {
        return field.equals("*") || field.equals("?");
    }
}
