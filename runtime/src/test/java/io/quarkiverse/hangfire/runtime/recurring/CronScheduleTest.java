package io.quarkiverse.hangfire.runtime.recurring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Cron evaluation, including the days the clocks change in Europe/Berlin (2026-03-29 and 2026-10-25). */
class CronScheduleTest {

    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void fiveFieldsMeanSecondZeroAndSixFieldsStartWithSeconds() {
        assertThat(next("*/15 * * * *", "2026-11-24T10:07:30Z", UTC)).isEqualTo("2026-11-24T10:15:00Z");
        assertThat(next("*/10 * * * * *", "2026-11-24T10:07:31Z", UTC)).isEqualTo("2026-11-24T10:07:40Z");
        assertThat(next("30 2 * * *", "2026-11-24T02:30:00Z", UTC)).as("strictly after").isEqualTo("2026-11-25T02:30:00Z");
    }

    @Test
    void macrosNamesRangesListsAndLastDayOfMonth() {
        assertThat(next("@daily", "2026-11-24T10:00:00Z", UTC)).isEqualTo("2026-11-25T00:00:00Z");
        assertThat(next("@hourly", "2026-11-24T10:00:00Z", UTC)).isEqualTo("2026-11-24T11:00:00Z");
        assertThat(next("@weekly", "2026-11-24T10:00:00Z", UTC)).as("Sunday").isEqualTo("2026-11-29T00:00:00Z");
        assertThat(next("@monthly", "2026-11-24T10:00:00Z", UTC)).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(next("@yearly", "2026-11-24T10:00:00Z", UTC)).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("0 9 * * MON-FRI", "2026-11-27T09:00:00Z", UTC)).as("Friday to Monday").isEqualTo("2026-11-30T09:00:00Z");
        assertThat(next("0 0 8,20 ? JAN,JUL *", "2026-11-24T10:00:00Z", UTC)).isEqualTo("2027-01-01T08:00:00Z");
        assertThat(next("0 0 12 L * ?", "2027-02-01T00:00:00Z", UTC)).isEqualTo("2027-02-28T12:00:00Z");
        assertThat(next("0 0 0 * * 7", "2026-11-24T10:00:00Z", UTC)).as("7 is Sunday").isEqualTo("2026-11-29T00:00:00Z");
        // both day fields restricted: either matches, as in Unix cron
        assertThat(next("0 0 1 * 1", "2026-11-24T10:00:00Z", UTC)).as("Monday the 30th before the 1st")
                .isEqualTo("2026-11-30T00:00:00Z");
    }

    @Test
    void nearestWeekdayKeepsToTheMonth() {
        assertThat(next("0 0 9 15W * ?", "2026-11-24T10:00:00Z", UTC)).as("a Tuesday").isEqualTo("2026-12-15T09:00:00Z");
        assertThat(next("0 0 9 15W * ?", "2027-05-01T00:00:00Z", UTC)).as("Saturday to Friday").isEqualTo("2027-05-14T09:00:00Z");
        assertThat(next("0 0 9 15W * ?", "2027-08-01T00:00:00Z", UTC)).as("Sunday to Monday").isEqualTo("2027-08-16T09:00:00Z");
        assertThat(next("0 0 9 1W * ?", "2027-04-15T00:00:00Z", UTC)).as("Saturday the 1st to Monday the 3rd")
                .isEqualTo("2027-05-03T09:00:00Z");
        assertThat(next("0 0 9 31W * ?", "2027-10-01T00:00:00Z", UTC)).as("Sunday the 31st to Friday the 29th")
                .isEqualTo("2027-10-29T09:00:00Z");
        assertThat(next("0 0 9 31W * ?", "2026-11-01T00:00:00Z", UTC)).as("no 31st in November").isEqualTo("2026-12-31T09:00:00Z");
        assertThat(next("0 0 9 LW * ?", "2027-01-15T00:00:00Z", UTC)).as("Sunday the 31st").isEqualTo("2027-01-29T09:00:00Z");
    }

    @Test
    void nthAndLastWeekdayOfTheMonthAndDaysBeforeTheLast() {
        assertThat(next("0 0 9 ? * FRI#3", "2026-11-24T10:00:00Z", UTC)).isEqualTo("2026-12-18T09:00:00Z");
        assertThat(next("0 0 9 ? * 1#5", "2026-12-01T00:00:00Z", UTC)).as("the next month with five Mondays")
                .isEqualTo("2027-03-29T09:00:00Z");
        assertThat(occurrences("0 0 9 ? * 5L", "2026-11-24T10:00:00Z", UTC, 2)).as("last Fridays")
                .containsExactly(Instant.parse("2026-11-27T09:00:00Z"), Instant.parse("2026-12-25T09:00:00Z"));
        assertThat(next("0 0 9 L-3 * ?", "2027-02-01T00:00:00Z", UTC)).isEqualTo("2027-02-25T09:00:00Z");
        assertThat(occurrences("0 0 9 L,15 * ?", "2026-11-24T10:00:00Z", UTC, 3)).as("rules and values in one list")
                .containsExactly(Instant.parse("2026-11-30T09:00:00Z"), Instant.parse("2026-12-15T09:00:00Z"),
                        Instant.parse("2026-12-31T09:00:00Z"));
        assertThat(occurrences("0 0 9 ? * MON#1,FRIL", "2026-11-24T10:00:00Z", UTC, 3))
                .containsExactly(Instant.parse("2026-11-27T09:00:00Z"), Instant.parse("2026-12-07T09:00:00Z"),
                        Instant.parse("2026-12-25T09:00:00Z"));
        // both day fields restricted: either matches, rules included
        assertThat(occurrences("0 0 9 15 * 1#1", "2026-11-24T10:00:00Z", UTC, 2))
                .containsExactly(Instant.parse("2026-12-07T09:00:00Z"), Instant.parse("2026-12-15T09:00:00Z"));
        // the last Sunday of March at 02:30 in Berlin falls in the skipped hour
        assertThat(local(occurrences("0 30 2 ? 3 7L", "2026-01-01T00:00:00Z", BERLIN, 1))).containsExactly("2026-03-29T03:00");
    }

    @Test
    void invalidCalendarRulesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 ? * 1#6")).hasMessageContaining("the week of the month (d#n) 6 is outside 1-5");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 ? * FOO#1")).hasMessageContaining("'FOO' is not a valid day-of-week");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 L-31 * ?")).hasMessageContaining("the days before the last (L-n) 31 is outside 1-30");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 32W * ?")).hasMessageContaining("the day-of-month 32 is outside 1-31");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 1-5W * ?")).hasMessageContaining("'1-5' is not a valid day-of-month");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 30W 2 ?")).hasMessageContaining("never fires");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 ? * L")).hasMessageContaining("'L' is not a valid day-of-week");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 L,,1 * ?")).hasMessageContaining("has an empty list item");
    }

    @Test
    void invalidExpressionsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> CronSchedule.parse("* * *")).hasMessageContaining("has 3 fields");
        assertThatThrownBy(() -> CronSchedule.parse("0 60 * * * *")).hasMessageContaining("the minute 60 is outside 0-59");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 30 2 *")).hasMessageContaining("never fires");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 5-1 * * *")).hasMessageContaining("goes backwards");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 * FOO *")).hasMessageContaining("'FOO' is not a valid month");
        assertThatThrownBy(() -> CronSchedule.parse("? * * * *")).hasMessageContaining("'?' is only allowed");
        assertThatThrownBy(() -> CronSchedule.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> CronSchedule.zone("Mars/Olympus")).hasMessageContaining("Unknown time zone 'Mars/Olympus'");
    }

    @Test
    void anOccurrenceInTheSkippedHourRunsOnceAtTheEndOfTheGap() {
        // 2026-03-29 02:00 CET jumps to 03:00 CEST: 02:30 does not exist that day
        List<Instant> daily = occurrences("0 30 2 * * *", "2026-03-28T00:00:00Z", BERLIN, 3);
        assertThat(local(daily)).containsExactly("2026-03-28T02:30", "2026-03-29T03:00", "2026-03-30T02:30");
        // every 15 minutes: 02:00 to 02:45 do not exist; 03:00 runs once
        List<Instant> quarter = occurrences("0 */15 * * * *", "2026-03-29T00:30:00Z", BERLIN, 4);
        assertThat(local(quarter)).containsExactly("2026-03-29T01:45", "2026-03-29T03:00", "2026-03-29T03:15",
                "2026-03-29T03:30");
    }

    @Test
    void anOccurrenceInTheRepeatedHourRunsOnceTheFirstTime() {
        // 2026-10-25 03:00 CEST goes back to 02:00 CET: 02:00 to 02:59 happen twice
        List<Instant> daily = occurrences("0 30 2 * * *", "2026-10-24T00:00:00Z", BERLIN, 3);
        assertThat(daily).containsExactly(Instant.parse("2026-10-24T00:30:00Z"), Instant.parse("2026-10-25T00:30:00Z"),
                Instant.parse("2026-10-26T01:30:00Z"));
        List<Instant> hourly = occurrences("0 0 * * * *", "2026-10-24T23:30:00Z", BERLIN, 4);
        // from 01:30 CEST: 02:00 CEST, (02:00 CET skipped: it ran the first time), 03:00 CET, 04:00 CET, 05:00 CET
        assertThat(hourly).containsExactly(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T02:00:00Z"),
                Instant.parse("2026-10-25T03:00:00Z"), Instant.parse("2026-10-25T04:00:00Z"));
    }

    @Test
    void nextFromInsideTheSecondPassOfARepeatedHourDoesNotGoBack() {
        // 02:10 CET, in the second pass: the next 02:15 (first pass) is in the past, so 03:00 CET comes next
        Instant secondPass = Instant.parse("2026-10-25T01:10:00Z");
        assertThat(CronSchedule.parse("0 */15 * * * *").next(secondPass, BERLIN)).isEqualTo(Instant.parse("2026-10-25T02:00:00Z"));
    }

    private static String next(String cron, String after, ZoneId zone) {
        return CronSchedule.parse(cron).next(Instant.parse(after), zone).toString();
    }

    private static List<Instant> occurrences(String cron, String after, ZoneId zone, int count) {
        CronSchedule schedule = CronSchedule.parse(cron);
        List<Instant> all = new ArrayList<>();
        Instant t = Instant.parse(after);
        for (int i = 0; i < count; i++) {
            t = schedule.next(t, zone);
            all.add(t);
        }
        return all;
    }

    private static List<String> local(List<Instant> instants) {
        return instants.stream().map(i -> LocalDateTime.ofInstant(i, BERLIN).toString()).toList();
    }
}
