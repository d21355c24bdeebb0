package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.testkit.MutableClock;
import org.connectorsdk.runtime.transform.TransformEngine;

/**
 * Replies of older tenants and scoped keys through the simulator: alerts in the legacy
 * {@code alert_fields} shape from {@code get_alerts_by_filter_data}, and {@code get_incidents}
 * replies that withhold incidents in {@code restricted_incident_ids}.
 */
class OlderTenantsTest {
    private final CortexXdrConnector connector = new CortexXdrConnector();
    private final MutableClock clock = MutableClock.at(EventStreamsSimulatorTest.BASE.plus(Duration.ofHours(1)));

    private List<Map<String, Object>> read(CortexXdrSimulator sim, org.connectorsdk.api.StreamSpec stream) {
        ConnectorConfig config = EventStreamsSimulatorTest.config(sim, "eventLookback", "P30D");
        ConnectorContext context = RuntimeContexts.onFakeTime("old", List.of(EventStreamsSimulatorTest.KEY), clock);
        try (StreamReader reader = connector.open(config, context)) {
            return EventStreamsSimulatorTest.readAll(reader, stream, SyncMode.FULL, Optional.empty());
        }
    }

    @Test
    void anOlderTenantsAlertsAreReadWithGetAlertsByFilterDataAndMappedByTheSameMap() {
        try (CortexXdrSimulator sim = EventStreamsSimulatorTest.start(40)) {
            List<Map<String, Object>> current = read(sim, CortexXdrConnector.ALERTS);
            sim.olderTenant(true);
            List<Map<String, Object>> legacy = read(sim, CortexXdrConnector.ALERTS);

            assertThat(sim.requestCount(CortexXdrSimulator.GET_ALERTS_BY_FILTER_DATA)).isPositive();
            assertThat(legacy).hasSameSizeAs(current).isNotEmpty();
            // the older call filters and sorts on the detection time, so the order may differ
            assertThat(EventStreamsSimulatorTest.ids(legacy, "alert_id"))
                    .containsExactlyInAnyOrderElementsOf(EventStreamsSimulatorTest.ids(current, "alert_id"));
            assertThat(legacy.get(0).get("severity")).asString().startsWith("SEV_0");

            CompiledMap map = TransformEngine.compile(CortexXdrEventMaps.alertMap());
            Map<Object, Map<String, Object>> legacyById = new java.util.HashMap<>();
            legacy.forEach(a -> legacyById.put(a.get("alert_id"), a));
            for (int i = 0; i < current.size(); i++) {
                Map<String, Object> fromCurrent = map.apply(current.get(i), i + 1).record().orElseThrow();
                Map<String, Object> fromLegacy = map.apply(legacyById.get(current.get(i).get("alert_id")), i + 1)
                        .record().orElseThrow();
                assertThat(fromLegacy).as("alert %s", current.get(i).get("alert_id"))
                        .containsEntry("externalDetectionId", fromCurrent.get("externalDetectionId"))
                        .containsEntry("title", fromCurrent.get("title"))
                        .containsEntry("severity", fromCurrent.get("severity"))
                        .containsEntry("receivedTime", fromCurrent.get("receivedTime"))
                        .containsEntry("createdTime", fromCurrent.get("createdTime"))
                        .containsEntry("device", fromCurrent.get("device"))
                        .containsEntry("category", fromCurrent.get("category"));
            }
        }
    }

    @Test
    void incidentsOutsideTheKeysScopeAreLeftOutAndTheRestAreAllRead() {
        try (CortexXdrSimulator sim = EventStreamsSimulatorTest.start(250)) {
            List<String> all = EventStreamsSimulatorTest.ids(read(sim, CortexXdrConnector.INCIDENTS), "incident_id");
            List<String> restricted = List.of(all.get(3), all.get(99), all.get(100), all.get(101), all.get(200));
            sim.restrictIncidents(restricted.toArray(String[]::new));

            List<String> visible = EventStreamsSimulatorTest.ids(read(sim, CortexXdrConnector.INCIDENTS),
                    "incident_id");

            assertThat(visible).hasSize(all.size() - restricted.size()).doesNotContainAnyElementsOf(restricted)
                    .containsExactlyElementsOf(all.stream().filter(id -> !restricted.contains(id)).toList());
        }
    }

    @Test
    void theRecordedLegacyReplyOfAPublicIntegrationMapsThroughTheAlertMap() throws Exception {
        var reply = CortexXdrJson.MAPPER.readTree(getClass().getResourceAsStream(
                "reliability/replies/demisto-content__CortexXDRIR__get_alerts_by_filter_results.json"));
        var alert = LegacyAlerts.normalise(EventPager.list(LegacyAlerts.API, reply.get("reply"), "alerts").get(0));
        Map<String, Object> raw = CortexXdrJson.MAPPER.convertValue(alert, CortexXdrJson.RECORD);

        Map<String, Object> detection = TransformEngine.compile(CortexXdrEventMaps.alertMap()).apply(raw, 1)
                .record().orElseThrow();

        assertThat(detection).containsEntry("externalDetectionId", "33333").containsEntry("externalIncidentId", "41")
                .containsEntry("title", "SOME NAME").containsEntry("category", "Malware")
                .containsEntry("description", "Suspicious executable detected").containsEntry("severity", 3)
                .containsEntry("sourceSeverity", "SEV_030_MEDIUM").containsEntry("detectionSource", "SOURCE")
                .containsEntry("receivedTime", "2022-04-12T07:57:55.398Z")
                .containsEntry("createdTime", "2022-04-12T07:57:25.010Z")
                .containsEntry("device", Map.of("externalAssetId", "ANOTHER ID", "ipAddresses", List.of("IP"),
                        "osType", "AGENT_OS_WINDOWS"));
    }

    @Test
    void aLegacyAlertIsRewrittenIntoTheCurrentNamesWithoutOverwritingThem() throws Exception {
        var item = CortexXdrJson.MAPPER.readTree("""
                {"alert_fields": {"internal_id": 17, "alert_name": "Suspicious process", "severity": "SEV_030_MEDIUM",
                 "source_insert_ts": 1700000000000, "agent_hostname": "WS-1", "agent_ip_addresses": ["10.0.0.1"],
                 "name": "kept"}}""");

        var normal = LegacyAlerts.normalise(item);

        assertThat(normal.get("alert_id").asInt()).isEqualTo(17);
        assertThat(normal.get("name").asText()).isEqualTo("kept");
        assertThat(normal.get("detection_timestamp").asLong()).isEqualTo(1700000000000L);
        assertThat(normal.get("host_name").asText()).isEqualTo("WS-1");
        assertThat(normal.get("host_ip").get(0).asText()).isEqualTo("10.0.0.1");
        assertThat(normal.has("alert_fields")).isFalse();
        assertThat(LegacyAlerts.normalise(normal)).isSameAs(normal);
    }
}
