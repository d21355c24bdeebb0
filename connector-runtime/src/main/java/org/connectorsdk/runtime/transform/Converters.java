package org.connectorsdk.runtime.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The converters a transform map row may name. Each turns one source value into one target
 * value; {@code null} in gives {@code null} (absent) out. A value a converter cannot make sense
 * of is reported (a warning naming the value) and left out: never guessed.
 */
final class Converters {

    /** Receives what a converter could not convert; the engine adds the record and the row. */
    @FunctionalInterface
    interface Problems {
        void report(String detail);
    }

    /** One conversion; must be thread-safe and should not allocate when it can avoid it. */
    @FunctionalInterface
    interface Converter {
        Object convert(Object value, Problems problems);
    }

    /** The latest instant a 4-digit ISO-8601 year can write: 9999-12-31T23:59:59.999Z. */
    static final long MAX_EPOCH_MILLIS = 253_402_300_799_999L;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Integer[] SEVERITIES = {1, 2, 3, 4, 5};
    private static final String KNOWN_SEVERITIES = "info, low, medium, high, critical";

    private static final Map<String, Converter> BY_NAME;

    static {
        Map<String, Converter> m = new TreeMap<>();
        m.put("epochMillisToIso", Converters::epochMillisToIso);
        m.put("isoDateTime", Converters::isoDateTime);
        m.put("severity", Converters::severity);
        m.put("toArray", Converters::toArray);
        m.put("jsonString", Converters::jsonString);
        m.put("trimEmptyToNull", Converters::trimEmptyToNull);
        m.put("toNumber", Converters::toNumber);
        m.put("toText", Converters::toText);
        m.put("beforeLastColon", Converters::beforeLastColon);
        m.put("afterLastColon", Converters::afterLastColon);
        m.put("mitreId", Converters::mitreId);
        m.put("mitreName", Converters::mitreName);
        m.put("eventStatus", Converters::eventStatus);
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private Converters() {
    }

    static Optional<Converter> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every converter name, sorted. */
    static Set<String> names() {
        return BY_NAME.keySet();
    }

    /**
     * Epoch milliseconds (a number or a numeric string) to ISO-8601 UTC with milliseconds,
     * {@code 2019-12-08T09:06:09.644Z}. 0 is how vendors write "never": absent, silently.
     * Negative values and values past year 9999 are reported and left out.
     */
    static Object epochMillisToIso(Object value, Problems problems) {
        long millis;
        if (value == null) {
            return null;
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            millis = ((Number) value).longValue();
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                problems.report("'" + value + "' is not whole epoch milliseconds");
                return null;
            }
            millis = n.longValue();
        } else if (value instanceof String s) {
            String t = s.trim();
            if (t.isEmpty()) {
                return null;
            }
            try {
                millis = Long.parseLong(t);
            } catch (NumberFormatException e) {
                problems.report("'" + s + "' is not epoch milliseconds");
                return null;
            }
        } else {
            problems.report("a " + kindOf(value) + " is not epoch milliseconds");
            return null;
        }
        if (millis == 0) {
            return null;
        }
        if (millis < 0) {
            problems.report("negative epoch milliseconds " + millis + " (before 1970) left out");
            return null;
        }
        if (millis > MAX_EPOCH_MILLIS) {
            problems.report("epoch milliseconds " + millis + " lie past year 9999, left out");
            return null;
        }
        return formatIso(millis);
    }

    /**
     * An ISO-8601 date-time with any offset ({@code 2026-01-02T03:04:05+02:00}, {@code ...Z},
     * fractions of any length) to UTC with milliseconds, {@code 2026-01-02T01:04:05.000Z}, the
     * form {@link #epochMillisToIso} writes. A date-time without an offset is refused, not
     * guessed to be UTC; blank is absent.
     */
    static Object isoDateTime(Object value, Problems problems) {
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        if (!(value instanceof String s)) {
            problems.report("a " + kindOf(value) + " is not an ISO-8601 date-time");
            return null;
        }
        try {
            long millis = java.time.OffsetDateTime.parse(s.strip()).toInstant().toEpochMilli();
            if (millis < 0 || millis > MAX_EPOCH_MILLIS) {
                problems.report("'" + s + "' lies outside 1970..9999, left out");
                return null;
            }
            return formatIso(millis);
        } catch (java.time.format.DateTimeParseException e) {
            problems.report("'" + s + "' is not an ISO-8601 date-time with an offset (e.g. 2026-01-02T03:04:05Z)");
            return null;
        }
    }

    /** Formats 1970..9999 without a formatter: this runs once per timestamp of every record. */
    static String formatIso(long millis) {
        long secs = millis / 1000;
        int milli = (int) (millis % 1000);
        int secOfDay = (int) (secs % 86_400);
        LocalDate date = LocalDate.ofEpochDay(secs / 86_400);
        char[] c = new char[24];
        put4(c, 0, date.getYear());
        c[4] = '-';
        put2(c, 5, date.getMonthValue());
        c[7] = '-';
        put2(c, 8, date.getDayOfMonth());
        c[10] = 'T';
        put2(c, 11, secOfDay / 3600);
        c[13] = ':';
        put2(c, 14, secOfDay / 60 % 60);
        c[16] = ':';
        put2(c, 17, secOfDay % 60);
        c[19] = '.';
        c[20] = (char) ('0' + milli / 100);
        c[21] = (char) ('0' + milli / 10 % 10);
        c[22] = (char) ('0' + milli % 10);
        c[23] = 'Z';
        return new String(c);
    }

    private static void put2(char[] c, int at, int v) {
        c[at] = (char) ('0' + v / 10);
        c[at + 1] = (char) ('0' + v % 10);
    }

    private static void put4(char[] c, int at, int v) {
        put2(c, at, v / 100);
        put2(c, at + 2, v % 100);
    }

    /**
     * A severity word to 1..5: info (or informational) 1, low 2, medium 3, high 4, critical 5,
     * in any case, also in Cortex XDR's {@code SEV_030_MEDIUM} form. Anything else is reported.
     */
    static Object severity(Object value, Problems problems) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            problems.report("unknown severity " + value + " (a " + kindOf(value) + "; known: " + KNOWN_SEVERITIES
                    + "), left out");
            return null;
        }
        String word = s.trim();
        if (word.isEmpty()) {
            return null;
        }
        if (word.regionMatches(true, 0, "SEV_", 0, 4)) {
            word = word.substring(word.lastIndexOf('_') + 1);
        }
        int level;
        if (word.equalsIgnoreCase("critical")) {
            level = 5;
        } else if (word.equalsIgnoreCase("high")) {
            level = 4;
        } else if (word.equalsIgnoreCase("medium")) {
            level = 3;
        } else if (word.equalsIgnoreCase("low")) {
            level = 2;
        } else if (word.equalsIgnoreCase("info") || word.equalsIgnoreCase("informational")) {
            level = 1;
        } else {
            problems.report("unknown severity '" + s + "' (known: " + KNOWN_SEVERITIES + "), left out");
            return null;
        }
        return SEVERITIES[level - 1];
    }

    /**
     * A string or an array to an array: a comma-joined string is split and trimmed, a single
     * value becomes a one-element array, nulls and empty strings are dropped; an empty result
     * is absent.
     */
    static Object toArray(Object value, Problems problems) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                return null;
            }
            for (Object o : list) {
                if (o == null || (o instanceof String s && s.isBlank())) {
                    return withoutEmpties(list);
                }
            }
            return list;
        }
        if (value instanceof Map) {
            problems.report("an object cannot be made an array");
            return null;
        }
        if (!(value instanceof String s)) {
            return List.of(value);
        }
        int comma = s.indexOf(',');
        if (comma < 0) {
            String t = s.trim();
            return t.isEmpty() ? null : List.of(t);
        }
        List<Object> parts = new ArrayList<>();
        int start = 0;
        while (start <= s.length()) {
            int end = comma < 0 ? s.length() : comma;
            String t = s.substring(start, end).trim();
            if (!t.isEmpty()) {
                parts.add(t);
            }
            start = end + 1;
            comma = start <= s.length() ? s.indexOf(',', start) : -1;
        }
        return parts.isEmpty() ? null : Collections.unmodifiableList(parts);
    }

    private static Object withoutEmpties(List<?> list) {
        List<Object> kept = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o != null && !(o instanceof String s && s.isBlank())) {
                kept.add(o);
            }
        }
        return kept.isEmpty() ? null : Collections.unmodifiableList(kept);
    }

    /**
     * A JSON document encoded as a string (Cortex XDR's {@code operational_status_description})
     * to its value; objects and arrays pass unchanged; text that is not JSON is reported.
     */
    static Object jsonString(Object value, Problems problems) {
        if (!(value instanceof String s)) {
            return value;
        }
        if (s.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(s, Object.class);
        } catch (JsonProcessingException e) {
            problems.report("text is not JSON (" + e.getOriginalMessage() + ")");
            return null;
        }
    }

    /** Trims a string; an empty result is absent. Other values pass unchanged. */
    static Object trimEmptyToNull(Object value, Problems problems) {
        if (value instanceof String s) {
            String t = s.trim();
            return t.isEmpty() ? null : t;
        }
        return value;
    }

    /** A number, or a numeric string, to a number; anything else is reported. */
    static Object toNumber(Object value, Problems problems) {
        if (value == null || value instanceof Number) {
            return value;
        }
        if (value instanceof String s) {
            String t = s.trim();
            if (t.isEmpty()) {
                return null;
            }
            try {
                BigDecimal d = new BigDecimal(t);
                return d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                        ? (Object) d.longValueExact() : (Object) d.doubleValue();
            } catch (NumberFormatException | ArithmeticException e) {
                problems.report("'" + s + "' is not a number");
                return null;
            }
        }
        problems.report("a " + kindOf(value) + " is not a number");
        return null;
    }

    /** A string, number or boolean as text (ids some replies send as numbers); blank text is absent. */
    static Object toText(Object value, Problems problems) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            problems.report("a " + kindOf(value) + " is not text");
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        String t = value.toString().trim();
        return t.isEmpty() ? null : t;
    }

    /**
     * The part of {@code name:id} before the last colon (Cortex XDR's incident {@code hosts});
     * text without a colon is returned whole.
     */
    static Object beforeLastColon(Object value, Problems problems) {
        if (!(value instanceof String s)) {
            return trimEmptyToNull(value, problems);
        }
        int colon = s.lastIndexOf(':');
        String t = (colon < 0 ? s : s.substring(0, colon)).trim();
        return t.isEmpty() ? null : t;
    }

    /** The part of {@code name:id} after the last colon; absent when there is no colon. */
    static Object afterLastColon(Object value, Problems problems) {
        if (!(value instanceof String s)) {
            return null;
        }
        int colon = s.lastIndexOf(':');
        String t = colon < 0 ? "" : s.substring(colon + 1).trim();
        return t.isEmpty() ? null : t;
    }

    /** The id of a MITRE ATT&CK entry written {@code "TA0002 - Execution"}: {@code TA0002}. */
    static Object mitreId(Object value, Problems problems) {
        String[] parts = mitre(value);
        if (parts == null) {
            return null;
        }
        if (!parts[0].matches("(TA|T|S|G|M|DS)[0-9]{4}(\\.[0-9]{3})?")) {
            problems.report("'" + value + "' does not start with a MITRE ATT&CK id such as TA0002 or T1059.001");
            return null;
        }
        return parts[0];
    }

    /** The name of a MITRE ATT&CK entry written {@code "TA0002 - Execution"}: {@code Execution}. */
    static Object mitreName(Object value, Problems problems) {
        String[] parts = mitre(value);
        return parts == null || parts[1].isEmpty() ? null : parts[1];
    }

    private static String[] mitre(Object value) {
        if (!(value instanceof String s) || s.isBlank()) {
            return null;
        }
        int dash = s.indexOf(" - ");
        return dash < 0 ? new String[] {s.trim(), ""}
                : new String[] {s.substring(0, dash).trim(), s.substring(dash + 3).trim()};
    }

    /**
     * An incident or alert status to an OCSF status name: {@code new} is New,
     * {@code under_investigation} In Progress, every {@code resolved_*} Resolved; Cortex XDR's
     * {@code STATUS_020_UNDER_INVESTIGATION} form too. Anything else is reported.
     */
    static Object eventStatus(Object value, Problems problems) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            problems.report("unknown status " + value + " (a " + kindOf(value) + "), left out");
            return null;
        }
        String word = s.trim().toLowerCase(Locale.ROOT).replaceFirst("^status_[0-9]+_", "");
        if (word.isEmpty()) {
            return null;
        }
        if (word.equals("new")) {
            return "New";
        }
        if (word.equals("under_investigation") || word.equals("in_progress")) {
            return "In Progress";
        }
        if (word.startsWith("resolved")) {
            return "Resolved";
        }
        problems.report("unknown status '" + s + "' (known: new, under_investigation, resolved_*), left out");
        return null;
    }

    static String kindOf(Object value) {
        if (value instanceof Map) {
            return "object";
        } else if (value instanceof List) {
            return "array";
        } else if (value instanceof Boolean) {
            return "boolean";
        } else if (value instanceof Number) {
            return "number";
        }
        return value.getClass().getSimpleName();
    }
}
