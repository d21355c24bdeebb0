package org.connectorsdk.api.host;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When an instance syncs: once, or recurring from a start date-time in a time zone.
 *
 * <p>Minute and hour recurrences are fixed intervals of elapsed time. Day, week and month
 * recurrences keep the wall-clock time of the start in the zone: a daily 02:30 run in
 * {@code Europe/Berlin} runs once on both DST transition days (at 03:30 on the spring-forward
 * day, when 02:30 does not exist; at the first 02:30 on the fall-back day). A monthly run
 * started on the 31st runs on the last day of shorter months.
 *
 * @param start      the first occurrence, wall-clock time in {@code zone}
 * @param zone       the zone the schedule is read in
 * @param recurrence how it repeats; empty for a single occurrence
 */
public record ScheduleSpec(LocalDateTime start, ZoneId zone, Optional<Recurrence> recurrence) {

    private static final DateTimeFormatter DESCRIBE =
            DateTimeFormatter.ofPattern("MMMM d, yyyy hh:mm a", Locale.ENGLISH);

    /** The first year a start may fall in. */
    public static final int MIN_YEAR = 1970;
    /** The last year a start may fall in: later ones overflow the arithmetic of due times. */
    public static final int MAX_YEAR = 9999;

    public ScheduleSpec {
        requireNonNull(start, "start is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(recurrence, "recurrence is null");
        if (start.getYear() < MIN_YEAR || start.getYear() > MAX_YEAR) {
            throw new IllegalArgumentException("Schedule start must fall in the years " + MIN_YEAR + " to "
                    + MAX_YEAR + ", got " + start);
        }
    }

    public static ScheduleSpec once(LocalDateTime start, ZoneId zone) {
        return new ScheduleSpec(start, zone, Optional.empty());
    }

    public static ScheduleSpec recurring(Recurrence recurrence, LocalDateTime start, ZoneId zone) {
        return new ScheduleSpec(start, zone, Optional.of(recurrence));
    }

    /** Whether this is a single occurrence. */
    public boolean isOnce() {
        return recurrence.isEmpty();
    }

    /** The first occurrence strictly after {@code instant}; empty when there is none. */
    public Optional<Instant> nextRunAfter(Instant instant) {
        requireNonNull(instant, "instant is null");
        Instant first = occurrence(0);
        if (first.isAfter(instant)) {
            return Optional.of(first);
        }
        if (recurrence.isEmpty()) {
            return Optional.empty();
        }
        Recurrence r = recurrence.get();
        if (r.unit() == ChronoUnit.MINUTES || r.unit() == ChronoUnit.HOURS) {
            long periodMillis = r.unit().getDuration().toMillis() * r.amount();
            long k = Math.floorDiv(instant.toEpochMilli() - first.toEpochMilli(), periodMillis) + 1;
            return Optional.of(first.plusMillis(k * periodMillis));
        }
        LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
        long k = Math.max(0, r.unit().between(start, local) / r.amount() - 1);
        Instant next = occurrence(k);
        while (!next.isAfter(instant)) {
            next = occurrence(++k);
        }
        return Optional.of(next);
    }

    private Instant occurrence(long k) {
        if (k == 0) {
            return ZonedDateTime.of(start, zone).toInstant();
        }
        Recurrence r = recurrence.orElseThrow();
        return switch (r.unit()) {
            case MINUTES, HOURS -> ZonedDateTime.of(start, zone).toInstant().plus(r.period().multipliedBy(k));
            // calendar units: wall-clock arithmetic from the start each time, so clamping a
            // 31st to a 30-day month never drifts the following months
            default -> ZonedDateTime.of(start.plus(k * r.amount(), r.unit()), zone).toInstant();
        };
    }

    /**
     * The schedule as a user reads it, e.g. "The sync is scheduled for May 13, 2026 04:37 PM in
     * Asia/Calcutta timezone". A fixed offset reads as UTC ("UTC", "UTC+05:30"), never "Z".
     */
    public String describe() {
        String base = "The sync is scheduled for " + DESCRIBE.format(start) + " in " + zoneName() + " timezone";
        return recurrence.map(r -> base + " and repeats " + r.describe()).orElse(base);
    }

    /**
     * Reads the instance-file form: {@code {"type": "once"|"recurring", "every": "PT5M"|"P1D"|"P1W"|"P1M",
     * "start": "2026-05-13T16:37", "zone": "Asia/Calcutta"}}; {@code "every"} may also be
     * {@code daily}, {@code weekly} or {@code monthly}.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} naming the bad field
     */
    public static ScheduleSpec fromMap(Map<String, ?> map) {
        Object type = map.get("type");
        if (!"once".equals(type) && !"recurring".equals(type)) {
            throw invalid("schedule.type", "must be \"once\" or \"recurring\", got " + quote(type));
        }
        LocalDateTime start;
        try {
            start = LocalDateTime.parse(String.valueOf(map.get("start")));
        } catch (DateTimeException e) {
            throw invalid("schedule.start", "must be a local date-time such as 2026-05-13T16:37, got "
                    + quote(map.get("start")));
        }
        if (start.getYear() < MIN_YEAR || start.getYear() > MAX_YEAR) {
            throw invalid("schedule.start", "must fall in the years " + MIN_YEAR + " to " + MAX_YEAR + ", got "
                    + quote(map.get("start")));
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(String.valueOf(map.get("zone")));
        } catch (DateTimeException e) {
            throw invalid("schedule.zone", "must be a time zone id such as Asia/Calcutta, got " + quote(map.get("zone")));
        }
        if ("once".equals(type)) {
            if (map.get("every") != null) {
                throw invalid("schedule.every", "is only allowed for a recurring schedule");
            }
            return once(start, zone);
        }
        if (map.get("every") == null) {
            throw invalid("schedule.every", "is required for a recurring schedule, e.g. \"P1D\" or \"daily\"");
        }
        return recurring(Recurrence.parse(String.valueOf(map.get("every"))), start, zone);
    }

    /** The instance-file form, the inverse of {@link #fromMap}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", isOnce() ? "once" : "recurring");
        recurrence.ifPresent(r -> map.put("every", r.toString()));
        map.put("start", start.toString());
        map.put("zone", zone.getId());
        return map;
    }

    private String zoneName() {
        if (zone.normalized() instanceof ZoneOffset offset) {
            return offset.getTotalSeconds() == 0 ? "UTC" : "UTC" + offset.getId();
        }
        return zone.getId();
    }

    private static String quote(Object value) {
        return value == null ? "nothing" : "'" + value + "'";
    }

    private static ConnectorException invalid(String field, String message) {
        return new ConnectorException(ErrorKind.CONFIGURATION, field + " " + message,
                "Correct the instance's schedule: a type (once or recurring), a start date-time such as"
                        + " 2026-05-13T16:37, a time zone id such as Asia/Calcutta and, when recurring, every");
    }

    /**
     * How a schedule repeats: every {@code amount} minutes, hours, days, weeks or months.
     *
     * @param amount how many units between runs, at least 1
     * @param unit   {@link ChronoUnit#MINUTES}, {@code HOURS}, {@code DAYS}, {@code WEEKS} or {@code MONTHS}
     */
    public record Recurrence(long amount, ChronoUnit unit) {
        private static final Pattern TIME = Pattern.compile("PT(\\d+)([MH])");
        private static final Pattern DATE = Pattern.compile("P(\\d+)([DWM])");

        public Recurrence {
            requireNonNull(unit, "unit is null");
            if (amount < 1) {
                throw new IllegalArgumentException("Recurrence amount must be at least 1, got " + amount);
            }
            switch (unit) {
                case MINUTES, HOURS, DAYS, WEEKS, MONTHS -> { }
                default -> throw new IllegalArgumentException("Unsupported recurrence unit: " + unit);
            }
            if (!withinLongest(amount, unit)) {
                throw new IllegalArgumentException("Recurrence must be at most " + LONGEST_YEARS + " years, got every "
                        + amount + " " + unit);
            }
        }

        /** The longest recurrence, in years: a longer one is a typo, not a schedule. */
        public static final int LONGEST_YEARS = 100;

        private static boolean withinLongest(long amount, ChronoUnit unit) {
            try {
                return unit.getDuration().multipliedBy(amount)
                        .compareTo(ChronoUnit.YEARS.getDuration().multipliedBy(LONGEST_YEARS)) <= 0;
            } catch (ArithmeticException e) {
                return false;
            }
        }

        public static Recurrence everyMinutes(long n) {
            return new Recurrence(n, ChronoUnit.MINUTES);
        }

        public static Recurrence everyHours(long n) {
            return new Recurrence(n, ChronoUnit.HOURS);
        }

        public static Recurrence everyDays(long n) {
            return new Recurrence(n, ChronoUnit.DAYS);
        }

        public static Recurrence everyWeeks(long n) {
            return new Recurrence(n, ChronoUnit.WEEKS);
        }

        public static Recurrence daily() {
            return everyDays(1);
        }

        public static Recurrence weekly() {
            return everyWeeks(1);
        }

        public static Recurrence monthly() {
            return new Recurrence(1, ChronoUnit.MONTHS);
        }

        private static Recurrence inRange(String text, long amount, ChronoUnit unit) {
            if (!withinLongest(amount, unit)) {
                throw invalid("schedule.every", "must be at most " + LONGEST_YEARS + " years, got '" + text + "'");
            }
            return new Recurrence(amount, unit);
        }

        /** Parses {@code PT5M}, {@code PT2H}, {@code P1D}, {@code P2W}, {@code P1M}, {@code daily}, {@code weekly}, {@code monthly}. */
        public static Recurrence parse(String text) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "daily": return daily();
                case "weekly": return weekly();
                case "monthly": return monthly();
                default: break;
            }
            Matcher t = TIME.matcher(text.toUpperCase(Locale.ROOT));
            Matcher d = DATE.matcher(text.toUpperCase(Locale.ROOT));
            try {
                if (t.matches() && Long.parseLong(t.group(1)) > 0) {
                    return inRange(text, Long.parseLong(t.group(1)),
                            t.group(2).equals("M") ? ChronoUnit.MINUTES : ChronoUnit.HOURS);
                }
                if (d.matches() && Long.parseLong(d.group(1)) > 0) {
                    ChronoUnit unit = switch (d.group(2)) {
                        case "D" -> ChronoUnit.DAYS;
                        case "W" -> ChronoUnit.WEEKS;
                        default -> ChronoUnit.MONTHS;
                    };
                    return inRange(text, Long.parseLong(d.group(1)), unit);
                }
            } catch (NumberFormatException e) {
                // too large: fall through to the error below
            }
            throw invalid("schedule.every", "must be PT<n>M, PT<n>H, P<n>D, P<n>W, P<n>M, daily, weekly or monthly, got '"
                    + text + "'");
        }

        /** The length of one period for minute and hour recurrences. */
        Duration period() {
            return unit.getDuration().multipliedBy(amount);
        }

        String describe() {
            if (amount == 1) {
                return switch (unit) {
                    case MINUTES -> "every minute";
                    case HOURS -> "every hour";
                    case DAYS -> "daily";
                    case WEEKS -> "weekly";
                    default -> "monthly";
                };
            }
            return "every " + amount + " " + unit.toString().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return switch (unit) {
                case MINUTES -> "PT" + amount + "M";
                case HOURS -> "PT" + amount + "H";
                case DAYS -> "P" + amount + "D";
                case WEEKS -> "P" + amount + "W";
                default -> "P" + amount + "M";
            };
        }
    }
}
