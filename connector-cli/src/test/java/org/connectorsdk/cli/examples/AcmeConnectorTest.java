package org.connectorsdk.cli.examples;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.connectorsdk.testkit.ConnectorAssertions.assertThat;

import java.util.Map;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.junit.jupiter.api.Test;

/**
 * The README's plugin example must work, not only compile: its map goes through the runtime's
 * transform engine, which checks every target against the model as a sync does at load time.
 */
class AcmeConnectorTest {
    private final AcmeConnector acme = new AcmeConnector();

    @Test
    void everyMapCompilesAgainstTheTargetModel() {
        for (TransformMap map : acme.transformMaps()) {
            assertThatCode(() -> TransformEngine.compile(map)).as(map.name()).doesNotThrowAnyException();
        }
    }

    @Test
    void aFindingBecomesAFindingOfTheModel() {
        assertThat(acme).transformMap("Acme Finding Transform Map").readsStream("findings").producesKind("finding")
                .converts("first_seen", "firstFoundOn", "isoDateTime")
                .appliedTo(Map.of("id", "AC-1", "title", "OpenSSL buffer overflow", "cve", "CVE-2022-3602",
                        "severity", "High", "first_seen", "2025-12-02T10:00:00+01:00"))
                .hasFieldEqualTo("externalFindingId", "AC-1")
                .hasFieldEqualTo("findingType.vulnerability.cveId", "CVE-2022-3602")
                .hasFieldEqualTo("sourceSeverity", "High")
                .hasFieldEqualTo("firstFoundOn", "2025-12-02T09:00:00.000Z")
                .conformsTo("finding");
    }
}
