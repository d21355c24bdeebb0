package org.connectorsdk.cli.examples;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.connectorsdk.testkit.ConnectorAssertions.assertThat;

import java.util.List;
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
    void aHostBecomesAnAssetOfTheModel() {
        assertThat(acme).transformMap("Acme Host Transform Map").readsStream("hosts").producesKind("asset")
                .converts("first_seen", "firstFoundDate", "epochMillisToIso")
                .appliedTo(Map.of("id", "h-17", "hostname", "web-01", "ips", List.of("10.0.0.5", "fe80::1"),
                        "first_seen", 1575796569644L))
                .hasFieldEqualTo("externalAssetId", "h-17")
                .hasFieldEqualTo("hostName", "web-01")
                .hasFieldEqualTo("networkInterfaces[1].ipAddress", "fe80::1")
                .hasFieldEqualTo("firstFoundDate", "2019-12-08T09:16:09.644Z")
                .conformsTo("asset");
    }
}
