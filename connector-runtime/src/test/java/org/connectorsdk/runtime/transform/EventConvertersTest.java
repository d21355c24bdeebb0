package org.connectorsdk.runtime.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The converters the incident and detection maps use. */
class EventConvertersTest {
    private final List<String> problems = new ArrayList<>();
    private final Converters.Problems sink = problems::add;

    @Test
    void hostPairsSplitAtTheLastColon() {
        assertThat(Converters.beforeLastColon("web-01:0a1b2c", sink)).isEqualTo("web-01");
        assertThat(Converters.afterLastColon("web-01:0a1b2c", sink)).isEqualTo("0a1b2c");
        assertThat(Converters.beforeLastColon("example-host", sink)).isEqualTo("example-host");
        assertThat(Converters.afterLastColon("example-host", sink)).isNull();
        assertThat(Converters.afterLastColon("web-01:", sink)).isNull();
        assertThat(Converters.beforeLastColon(":0a1b", sink)).isNull();
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "TA0002 - Execution|TA0002|Execution",
        "T1059.001 - Command and Scripting Interpreter: PowerShell|T1059.001|Command and Scripting Interpreter: PowerShell",
        "T1012|T1012|",
    })
    void mitreEntriesSplitIntoIdAndName(String entry, String id, String name) {
        assertThat(Converters.mitreId(entry, sink)).isEqualTo(id);
        assertThat(Converters.mitreName(entry, sink)).isEqualTo(name);
        assertThat(problems).isEmpty();
    }

    @Test
    void aMitreEntryWithoutAnIdIsReported() {
        assertThat(Converters.mitreId("Execution", sink)).isNull();
        assertThat(problems).containsExactly(
                "'Execution' does not start with a MITRE ATT&CK id such as TA0002 or T1059.001");
    }

    @ParameterizedTest
    @CsvSource({
        "new, New", "under_investigation, In Progress", "resolved_threat_handled, Resolved",
        "resolved_security_testing, Resolved", "STATUS_010_NEW, New",
        "STATUS_020_UNDER_INVESTIGATION, In Progress", "STATUS_025_RESOLVED, Resolved",
        "STATUS_040_RESOLVED_KNOWN_ISSUE, Resolved",
    })
    void eventStatusesBecomeOcsfStatusNames(String source, String status) {
        assertThat(Converters.eventStatus(source, sink)).isEqualTo(status);
        assertThat(problems).isEmpty();
    }

    @Test
    void anUnknownStatusIsReportedAndLeftOut() {
        assertThat(Converters.eventStatus("snoozed", sink)).isNull();
        assertThat(problems).containsExactly(
                "unknown status 'snoozed' (known: new, under_investigation, resolved_*), left out");
    }

    @Test
    void numericIdsBecomeText() {
        assertThat(Converters.toText(391722, sink)).isEqualTo("391722");
        assertThat(Converters.toText(new BigDecimal("41.0"), sink)).isEqualTo("41");
        assertThat(Converters.toText(" 7 ", sink)).isEqualTo("7");
        assertThat(Converters.toText("  ", sink)).isNull();
        assertThat(Converters.toText(Map.of("a", 1), sink)).isNull();
        assertThat(problems).containsExactly("a object is not text");
    }
}
