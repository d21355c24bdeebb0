package org.connectorsdk.api.host;

import org.connectorsdk.api.ConnectorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.connectorsdk.api.host.ScheduleSpec.Recurrence;
import org.junit.jupiter.api.Test;

class ScheduleSpecTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId CALCUTTA = ZoneId.of("Asia/Calcutta");

    @Test
    void aStartOutsideTheYears1970To9999OrAnEndlessRecurrenceIsBadInput() {
        Map<String, String> base = Map.of("type", "recurring", "every", "P1D", "zone", "UTC");
        for (String start : List.of("+999999999-12-31T23:59", "1969-12-31T23:59", "+10000-01-01T00:00")) {
            Map<String, String> map = new java.util.HashMap<>(base);
            map.put("start", start);
            assertThatThrownBy(() -> ScheduleSpec.fromMap(map))
                    .isInstanceOfSatisfying(ConnectorException.class,
                            e -> assertThat(e.kind()).isEqualTo(org.connectorsdk.api.ErrorKind.CONFIGURATION))
                    .hasMessage("schedule.start must fall in the years 1970 to 9999, got '" + start + "'");
        }
        assertThatThrownBy(() -> Recurrence.parse("P99999999999W"))
                .hasMessage("schedule.every must be at most 100 years, got 'P99999999999W'");
        assertThat(ScheduleSpec.fromMap(Map.of("type", "once", "start", "9999-12-31T23:59", "zone", "UTC"))
                .nextRunAfter(Instant.parse("2026-01-01T00:00:00Z"))).contains(Instant.parse("9999-12-31T23:59:00Z"));
    }

    @Test
    void describesASingleOccurrenceLikeTheReference() {
        ScheduleSpec once = ScheduleSpec.once(LocalDateTime.parse("2026-05-13T16:37"), CALCUTTA);

        assertThat(once.describe()).isEqualTo("The sync is scheduled for May 13, 2026 04:37 PM in Asia/Calcutta timezone");
        assertThat(ScheduleSpec.once(once.start(), java.time.ZoneOffset.UTC).describe())
                .isEqualTo("The sync is scheduled for May 13, 2026 04:37 PM in UTC timezone");
        assertThat(ScheduleSpec.once(once.start(), java.time.ZoneId.of("Etc/UTC")).describe()).endsWith(" in UTC timezone");
        assertThat(ScheduleSpec.once(once.start(), java.time.ZoneOffset.ofHoursMinutes(5, 30)).describe())
                .endsWith(" in UTC+05:30 timezone");
    }

    @Test
    void describesARecurrence() {
        LocalDateTime start = LocalDateTime.parse("2026-05-13T09:05");
        assertThat(ScheduleSpec.recurring(Recurrence.daily(), start, CALCUTTA).describe())
                .isEqualTo("The sync is scheduled for May 13, 2026 09:05 AM in Asia/Calcutta timezone and repeats daily");
        assertThat(ScheduleSpec.recurring(Recurrence.everyHours(6), start, CALCUTTA).describe())
                .endsWith(" and repeats every 6 hours");
    }

    @Test
    void singleOccurrenceRunsOnceAndNeverAgain() {
        ScheduleSpec once = ScheduleSpec.once(LocalDateTime.parse("2026-05-13T16:37"), CALCUTTA);
        Instant at = Instant.parse("2026-05-13T11:07:00Z"); // 16:37 IST is UTC+05:30

        assertThat(once.nextRunAfter(at.minusSeconds(1))).contains(at);
        assertThat(once.nextRunAfter(at)).isEmpty();
        assertThat(once.nextRunAfter(Instant.parse("2027-01-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void startIsTheFirstRunOfARecurrence() {
        ScheduleSpec daily = ScheduleSpec.recurring(Recurrence.daily(), LocalDateTime.parse("2026-05-13T16:37"), CALCUTTA);

        assertThat(daily.nextRunAfter(Instant.parse("2026-01-01T00:00:00Z"))).contains(Instant.parse("2026-05-13T11:07:00Z"));
    }

    @Test
    void everyNMinutesAndHoursAreFixedIntervals() {
        LocalDateTime start = LocalDateTime.parse("2026-03-29T01:00");
        ScheduleSpec every45 = ScheduleSpec.recurring(Recurrence.everyMinutes(45), start, BERLIN);
        ScheduleSpec every2h = ScheduleSpec.recurring(Recurrence.everyHours(2), start, BERLIN);

        // 01:00 CET is 00:00Z; the spring-forward hour does not stretch elapsed-time intervals
        assertThat(runs(every45, Instant.parse("2026-03-28T23:00:00Z"), 4)).containsExactly(
                Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-29T00:45:00Z"),
                Instant.parse("2026-03-29T01:30:00Z"), Instant.parse("2026-03-29T02:15:00Z"));
        assertThat(runs(every2h, Instant.parse("2026-03-29T00:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-03-29T02:00:00Z"), Instant.parse("2026-03-29T04:00:00Z"),
                Instant.parse("2026-03-29T06:00:00Z"));
        // far from the start (1374 days = 43968 periods later, a run itself): strictly after it
        assertThat(every45.nextRunAfter(Instant.parse("2030-01-01T00:00:00Z")))
                .contains(Instant.parse("2030-01-01T00:45:00Z"));
        assertThat(every45.nextRunAfter(Instant.parse("2029-12-31T23:59:59Z")))
                .contains(Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void everyNDaysAndWeeksKeepTheWallClockTime() {
        LocalDateTime start = LocalDateTime.parse("2026-03-20T08:00");
        ScheduleSpec every3d = ScheduleSpec.recurring(Recurrence.everyDays(3), start, BERLIN);
        ScheduleSpec every2w = ScheduleSpec.recurring(Recurrence.everyWeeks(2), start, BERLIN);

        assertThat(localRuns(every3d, 4)).containsExactly(
                "2026-03-20T08:00+01:00[Europe/Berlin]", "2026-03-23T08:00+01:00[Europe/Berlin]",
                "2026-03-26T08:00+01:00[Europe/Berlin]", "2026-03-29T08:00+02:00[Europe/Berlin]");
        assertThat(localRuns(every2w, 3)).containsExactly(
                "2026-03-20T08:00+01:00[Europe/Berlin]", "2026-04-03T08:00+02:00[Europe/Berlin]",
                "2026-04-17T08:00+02:00[Europe/Berlin]");
    }

    @Test
    void weeklyRunsOnTheStartWeekday() {
        ScheduleSpec weekly = ScheduleSpec.recurring(Recurrence.weekly(), LocalDateTime.parse("2026-05-13T16:37"), CALCUTTA);

        Optional<Instant> next = weekly.nextRunAfter(Instant.parse("2026-06-01T00:00:00Z"));

        assertThat(next).map(i -> i.atZone(CALCUTTA).toLocalDateTime())
                .contains(LocalDateTime.parse("2026-06-03T16:37"));
    }

    @Test
    void dailyAt0230BerlinRunsExactlyOnceOnTheSpringForwardDay() {
        // 2026-03-29: clocks jump from 02:00 to 03:00, so 02:30 does not exist that day
        ScheduleSpec daily = ScheduleSpec.recurring(Recurrence.daily(), LocalDateTime.parse("2026-03-01T02:30"), BERLIN);

        List<Instant> runs = runsOn(daily, LocalDate.parse("2026-03-29"));

        assertThat(runs).containsExactly(Instant.parse("2026-03-29T01:30:00Z")); // 03:30 CEST
        assertThat(daily.nextRunAfter(runs.get(0)))
                .contains(Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST the next day
        assertThat(daily.nextRunAfter(Instant.parse("2026-03-28T01:30:00Z")))
                .contains(Instant.parse("2026-03-29T01:30:00Z"));
    }

    @Test
    void dailyAt0230BerlinRunsExactlyOnceOnTheFallBackDay() {
        // 2026-10-25: clocks fall back from 03:00 to 02:00, so 02:30 happens twice
        ScheduleSpec daily = ScheduleSpec.recurring(Recurrence.daily(), LocalDateTime.parse("2026-03-01T02:30"), BERLIN);

        List<Instant> runs = runsOn(daily, LocalDate.parse("2026-10-25"));

        assertThat(runs).containsExactly(Instant.parse("2026-10-25T00:30:00Z")); // the first 02:30 (CEST)
        assertThat(daily.nextRunAfter(runs.get(0)))
                .as("the repeated 02:30 CET one hour later is not a second run")
                .contains(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void monthlyOnThe31stRunsOnThe30thInA30DayMonthAndReturnsToThe31st() {
        ScheduleSpec monthly = ScheduleSpec.recurring(Recurrence.monthly(), LocalDateTime.parse("2026-03-31T09:00"), BERLIN);

        assertThat(localRuns(monthly, 5)).containsExactly(
                "2026-03-31T09:00+02:00[Europe/Berlin]",
                "2026-04-30T09:00+02:00[Europe/Berlin]",
                "2026-05-31T09:00+02:00[Europe/Berlin]",
                "2026-06-30T09:00+02:00[Europe/Berlin]",
                "2026-07-31T09:00+02:00[Europe/Berlin]");
        assertThat(monthly.nextRunAfter(Instant.parse("2027-02-01T00:00:00Z")))
                .map(i -> i.atZone(BERLIN).toLocalDateTime())
                .contains(LocalDateTime.parse("2027-02-28T09:00"));
    }

    @Test
    void readsAndWritesTheInstanceFileForm() {
        ScheduleSpec spec = ScheduleSpec.fromMap(
                Map.of("type", "recurring", "every", "P1D", "start", "2026-05-13T16:37", "zone", "Asia/Calcutta"));

        assertThat(spec).isEqualTo(ScheduleSpec.recurring(Recurrence.daily(), LocalDateTime.parse("2026-05-13T16:37"), CALCUTTA));
        assertThat(spec.toMap()).containsExactly(Map.entry("type", "recurring"), Map.entry("every", "P1D"),
                Map.entry("start", "2026-05-13T16:37"), Map.entry("zone", "Asia/Calcutta"));
        assertThat(ScheduleSpec.fromMap(Map.of("type", "once", "start", "2026-05-13T16:37", "zone", "Asia/Calcutta")).isOnce())
                .isTrue();
        assertThat(Recurrence.parse("PT15M")).isEqualTo(Recurrence.everyMinutes(15));
        assertThat(Recurrence.parse("PT2H")).isEqualTo(Recurrence.everyHours(2));
        assertThat(Recurrence.parse("P2W")).isEqualTo(Recurrence.everyWeeks(2));
        assertThat(Recurrence.parse("monthly")).isEqualTo(Recurrence.monthly());
    }

    @Test
    void badScheduleFieldsAreNamed() {
        assertThatThrownBy(() -> ScheduleSpec.fromMap(Map.of("type", "sometimes", "start", "2026-05-13T16:37", "zone", "UTC")))
                .isInstanceOf(ConnectorException.class)
                .hasMessage("schedule.type must be \"once\" or \"recurring\", got 'sometimes'");
        assertThatThrownBy(() -> ScheduleSpec.fromMap(Map.of("type", "once", "start", "13.05.2026", "zone", "UTC")))
                .hasMessage("schedule.start must be a local date-time such as 2026-05-13T16:37, got '13.05.2026'");
        assertThatThrownBy(() -> ScheduleSpec.fromMap(Map.of("type", "once", "start", "2026-05-13T16:37", "zone", "Mars/Olympus")))
                .hasMessage("schedule.zone must be a time zone id such as Asia/Calcutta, got 'Mars/Olympus'");
        assertThatThrownBy(() -> ScheduleSpec.fromMap(
                Map.of("type", "recurring", "every", "PT0M", "start", "2026-05-13T16:37", "zone", "UTC")))
                .hasMessage("schedule.every must be PT<n>M, PT<n>H, P<n>D, P<n>W, P<n>M, daily, weekly or monthly, got 'PT0M'");
        assertThatThrownBy(() -> ScheduleSpec.fromMap(Map.of("type", "recurring", "start", "2026-05-13T16:37", "zone", "UTC")))
                .hasMessage("schedule.every is required for a recurring schedule, e.g. \"P1D\" or \"daily\"");
        assertThatThrownBy(() -> ScheduleSpec.fromMap(
                Map.of("type", "once", "every", "P1D", "start", "2026-05-13T16:37", "zone", "UTC")))
                .hasMessage("schedule.every is only allowed for a recurring schedule");
    }

    /** Every run whose wall-clock date in the schedule's zone is {@code day}. */
    private static List<Instant> runsOn(ScheduleSpec spec, LocalDate day) {
        Instant from = day.minusDays(1).atStartOfDay(spec.zone()).toInstant();
        Instant to = day.plusDays(2).atStartOfDay(spec.zone()).toInstant();
        List<Instant> all = new ArrayList<>();
        Optional<Instant> next = spec.nextRunAfter(from);
        while (next.isPresent() && next.get().isBefore(to)) {
            all.add(next.get());
            next = spec.nextRunAfter(next.get());
        }
        return all.stream().filter(i -> i.atZone(spec.zone()).toLocalDate().equals(day)).toList();
    }

    private static List<Instant> runs(ScheduleSpec spec, Instant after, int count) {
        List<Instant> out = new ArrayList<>();
        Instant t = after;
        for (int i = 0; i < count; i++) {
            t = spec.nextRunAfter(t).orElseThrow();
            out.add(t);
        }
        return out;
    }

    private static List<String> localRuns(ScheduleSpec spec, int count) {
        Instant before = ZonedDateTime.of(spec.start(), spec.zone()).toInstant().minusSeconds(1);
        return runs(spec, before, count).stream().map(i -> i.atZone(spec.zone()).toString()).toList();
    }
}
