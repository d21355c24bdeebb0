package org.connectorsdk.runtime.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConvertersTest {
    private final List<String> problems = new ArrayList<>();
    private final Converters.Problems sink = problems::add;

    @Test
    void knowsEveryConverterByName() {
        assertThat(Converters.names()).containsExactly("afterLastColon", "beforeLastColon", "epochMillisToIso",
                "eventStatus", "isoDateTime", "jsonString", "mitreId", "mitreName", "severity", "toArray", "toNumber", "toText",
                "trimEmptyToNull");
        assertThat(Converters.named("nope")).isEmpty();
    }

    @Test
    void epochMillisBecomeIsoUtcWithMilliseconds() {
        assertThat(Converters.epochMillisToIso(1575795969644L, sink)).isEqualTo("2019-12-08T09:06:09.644Z");
        assertThat(Converters.epochMillisToIso(1575795969000L, sink)).isEqualTo("2019-12-08T09:06:09.000Z");
        assertThat(Converters.epochMillisToIso(1, sink)).isEqualTo("1970-01-01T00:00:00.001Z");
        assertThat(Converters.epochMillisToIso("1575795969644", sink)).isEqualTo("2019-12-08T09:06:09.644Z");
        assertThat(Converters.epochMillisToIso(1.575795969644E12, sink)).isEqualTo("2019-12-08T09:06:09.644Z");
        assertThat(problems).isEmpty();
    }

    @Test
    void isoDateTimesWithAnyOffsetBecomeUtcWithMilliseconds() {
        assertThat(Converters.isoDateTime("2026-01-02T03:04:05+02:00", sink)).isEqualTo("2026-01-02T01:04:05.000Z");
        assertThat(Converters.isoDateTime("2026-01-02T03:04:05.123456Z", sink)).isEqualTo("2026-01-02T03:04:05.123Z");
        assertThat(Converters.isoDateTime(" 2026-01-02T03:04Z ", sink)).isEqualTo("2026-01-02T03:04:00.000Z");
        assertThat(Converters.isoDateTime("", sink)).isNull();
        assertThat(problems).isEmpty();

        assertThat(Converters.isoDateTime("2026-01-02T03:04:05", sink)).isNull();
        assertThat(Converters.isoDateTime(1767323045000L, sink)).isNull();
        assertThat(problems).containsExactly(
                "'2026-01-02T03:04:05' is not an ISO-8601 date-time with an offset (e.g. 2026-01-02T03:04:05Z)",
                "a number is not an ISO-8601 date-time");
    }

    @Test
    void formatAgreesWithJavaTimeAcrossTheRange() {
        for (long ms : new long[] {1, 951_782_400_000L, 4_107_542_399_999L, Converters.MAX_EPOCH_MILLIS,
                1_709_164_800_123L}) {
            String expected = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(ms));
            assertThat(Converters.formatIso(ms)).as("%d", ms).isEqualTo(expected);
        }
    }

    @Test
    void epochNullAndZeroAreAbsentSilently() {
        assertThat(Converters.epochMillisToIso(null, sink)).isNull();
        assertThat(Converters.epochMillisToIso(0L, sink)).isNull();
        assertThat(Converters.epochMillisToIso(0, sink)).isNull();
        assertThat(Converters.epochMillisToIso(" ", sink)).isNull();
        assertThat(problems).isEmpty();
    }

    @Test
    void negativeEpochIsReportedAndLeftOut() {
        assertThat(Converters.epochMillisToIso(-1000L, sink)).isNull();
        assertThat(problems).containsExactly("negative epoch milliseconds -1000 (before 1970) left out");
    }

    @Test
    void farFutureEpochIsReportedAndLeftOut() {
        assertThat(Converters.epochMillisToIso(Converters.MAX_EPOCH_MILLIS, sink)).isEqualTo("9999-12-31T23:59:59.999Z");
        assertThat(Converters.epochMillisToIso(Long.MAX_VALUE, sink)).isNull();
        assertThat(problems).containsExactly("epoch milliseconds 9223372036854775807 lie past year 9999, left out");
    }

    @Test
    void nonNumericEpochIsReported() {
        assertThat(Converters.epochMillisToIso("yesterday", sink)).isNull();
        assertThat(Converters.epochMillisToIso(1.5, sink)).isNull();
        assertThat(Converters.epochMillisToIso(List.of(1), sink)).isNull();
        assertThat(problems).containsExactly("'yesterday' is not epoch milliseconds",
                "'1.5' is not whole epoch milliseconds", "a array is not epoch milliseconds");
    }

    @ParameterizedTest
    @CsvSource({"info,1", "INFO,1", "Informational,1", "low,2", "LOW,2", "Medium,3", "MEDIUM,3", "high,4", "HiGh,4",
            "critical,5", "CRITICAL,5", "' critical ',5", "SEV_010_INFO,1", "SEV_020_LOW,2", "SEV_030_MEDIUM,3",
            "sev_040_high,4", "SEV_050_CRITICAL,5"})
    void severitiesNormaliseInAnyCase(String word, int level) {
        assertThat(Converters.severity(word, sink)).isEqualTo(level);
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"urgent", "NONE", "SEV_060_SEVERE", "moderate"})
    void unknownSeverityIsReportedNotGuessed(String word) {
        assertThat(Converters.severity(word, sink)).isNull();
        assertThat(problems).containsExactly(
                "unknown severity '" + word + "' (known: info, low, medium, high, critical), left out");
    }

    @Test
    void numericSeverityIsReportedNotGuessed() {
        assertThat(Converters.severity(7, sink)).isNull();
        assertThat(problems).containsExactly("unknown severity 7 (a number; known: info, low, medium, high, critical), left out");
    }

    @Test
    void nullOrBlankSeverityIsAbsent() {
        assertThat(Converters.severity(null, sink)).isNull();
        assertThat(Converters.severity("", sink)).isNull();
        assertThat(problems).isEmpty();
    }

    @Test
    void toArraySplitsCommaJoinedStringsAndKeepsArrays() {
        assertThat(Converters.toArray("1.1.1.1, 2.2.2.2,,3.3.3.3 ", sink)).isEqualTo(List.of("1.1.1.1", "2.2.2.2", "3.3.3.3"));
        assertThat(Converters.toArray("10.0.0.1", sink)).isEqualTo(List.of("10.0.0.1"));
        List<String> list = List.of("a", "b");
        assertThat(Converters.toArray(list, sink)).isSameAs(list);
        assertThat(Converters.toArray(Arrays.asList("a", null, " "), sink)).isEqualTo(List.of("a"));
        assertThat(Converters.toArray(42, sink)).isEqualTo(List.of(42));
        assertThat(Converters.toArray(List.of(), sink)).isNull();
        assertThat(Converters.toArray(" , ", sink)).isNull();
        assertThat(Converters.toArray(null, sink)).isNull();
        assertThat(problems).isEmpty();
        assertThat(Converters.toArray(Map.of("a", 1), sink)).isNull();
        assertThat(problems).containsExactly("an object cannot be made an array");
    }

    @Test
    void jsonStringParsesEmbeddedDocuments() {
        Object parsed = Converters.jsonString("{\"reasons\":[\"XDR Agent is not protected\"],\"count\":2}", sink);
        assertThat(parsed).isEqualTo(Map.of("reasons", List.of("XDR Agent is not protected"), "count", 2));
        assertThat(Converters.jsonString(Map.of("a", 1), sink)).isEqualTo(Map.of("a", 1));
        assertThat(Converters.jsonString(null, sink)).isNull();
        assertThat(Converters.jsonString("  ", sink)).isNull();
        assertThat(problems).isEmpty();
        assertThat(Converters.jsonString("{not json", sink)).isNull();
        assertThat(problems).singleElement().asString().startsWith("text is not JSON (");
    }

    @Test
    void trimEmptyToNullTrimsAndDropsEmpties() {
        assertThat(Converters.trimEmptyToNull("  host-1 ", sink)).isEqualTo("host-1");
        assertThat(Converters.trimEmptyToNull("", sink)).isNull();
        assertThat(Converters.trimEmptyToNull("   ", sink)).isNull();
        assertThat(Converters.trimEmptyToNull(5, sink)).isEqualTo(5);
        assertThat(Converters.trimEmptyToNull(null, sink)).isNull();
    }

    @Test
    void toNumberParsesNumericStrings() {
        assertThat(Converters.toNumber("9.8", sink)).isEqualTo(9.8);
        assertThat(Converters.toNumber("7", sink)).isEqualTo(7L);
        assertThat(Converters.toNumber(5.5, sink)).isEqualTo(5.5);
        assertThat(Converters.toNumber("high", sink)).isNull();
        assertThat(problems).containsExactly("'high' is not a number");
    }
}
