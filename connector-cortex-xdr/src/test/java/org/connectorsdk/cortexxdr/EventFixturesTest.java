package org.connectorsdk.cortexxdr;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.Partition;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.runtime.transform.ModelSchemas;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.runtime.transform.TransformOutcome;

/**
 * The recorded real incident and alert replies go through the readers (over HTTP) and the maps,
 * and every mapped record is valid against the incident and detection schemas.
 */
class EventFixturesTest {
    static final String RESOURCES = "/org/connectorsdk/cortexxdr/events/";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-25T16:00:00Z");
    static final TimeWindow WINDOW = new TimeWindow(NOW.minus(Duration.ofHours(1)), NOW);

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .failOnUnmatchedRequests(true).build();

    private static final CompiledMap INCIDENTS = TransformEngine.compile(CortexXdrEventMaps.incidentMap());
    private static final CompiledMap ALERTS = TransformEngine.compile(CortexXdrEventMaps.alertMap());

    static String resource(String name) {
        try (InputStream in = EventFixturesTest.class.getResourceAsStream(RESOURCES + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private StreamReader reader(EventSettings settings) {
        CortexXdrSettings s = TestConfigs.at(TestConfigs.settings("https://api-x.xdr.us.paloaltonetworks.com"),
                wm.baseUrl());
        CortexXdrClient client = CortexXdrClient.open(s, RuntimeContexts.context("fixtures", List.of(TestConfigs.KEY),
                Clock.fixed(NOW, ZoneOffset.UTC)));
        return new CortexXdrReader(client, CortexXdrReader.Enrichment.NONE, settings);
    }

    private List<Map<String, Object>> readOnePage(StreamSpec stream, String path, String fixture) {
        wm.stubFor(post(path).willReturn(okJson(resource(fixture))));
        try (StreamReader reader = reader(new EventSettings(List.of(), List.of(), List.of(), Duration.ofDays(1)))) {
            Page page = reader.read(new PageRequest(stream, Partition.WHOLE, Checkpoint.START, SyncMode.INCREMENTAL,
                    Optional.of(WINDOW)));
            assertThat(page.done()).as("a short page ends the window").isTrue();
            return page.records();
        }
    }

    static Map<String, Object> map(CompiledMap map, Map<String, Object> raw) {
        TransformOutcome outcome = map.apply(raw);
        assertThat(outcome.rejections()).isEmpty();
        assertThat(outcome.warnings()).isEmpty();
        Map<String, Object> record = outcome.record().orElseThrow();
        assertThat(ModelSchemas.problems(map.modelKind(), record)).as("schema problems of %s", record).isEmpty();
        return record;
    }

    @Test
    void incidentsRequestTheWindowSortedByModificationTime() {
        List<Map<String, Object>> records = readOnePage(CortexXdrConnector.INCIDENTS,
                CortexXdrSimulator.GET_INCIDENTS, "demisto-content__CortexXDRIR__get_incidents_list.json");
        assertThat(records).extracting(r -> r.get("incident_id")).containsExactly("1", "2");
        wm.verify(1, postRequestedFor(urlEqualTo(CortexXdrSimulator.GET_INCIDENTS)).withRequestBody(equalToJson(
                "{\"request_data\":{\"filters\":["
                        + "{\"field\":\"modification_time\",\"operator\":\"gte\",\"value\":"
                        + WINDOW.from().toEpochMilli()
                        + "},{\"field\":\"modification_time\",\"operator\":\"lte\",\"value\":"
                        + (WINDOW.to().toEpochMilli() - 1) + "}],"
                        + "\"search_from\":0,\"search_to\":100,"
                        + "\"sort\":{\"field\":\"modification_time\",\"keyword\":\"ASC\"}}}")));
        Map<String, Object> first = map(INCIDENTS, records.get(0));
        assertThat(first).containsEntry("externalIncidentId", "1").containsEntry("severity", 3)
                .containsEntry("sourceSeverity", "medium").containsEntry("status", "In Progress")
                .containsEntry("sourceStatus", "under_investigation")
                .containsEntry("createdTime", "2019-12-08T12:08:29.185Z")
                .containsEntry("modifiedTime", "2019-12-08T14:04:35.168Z")
                .containsEntry("sourceUrl", "https://demisto.hello.com/incident-view/1")
                .containsEntry("starred", false).containsEntry("alertCount", 1)
                .doesNotContainKeys("title", "assignee", "detectedTime");
        assertThat(map(INCIDENTS, records.get(1))).containsEntry("status", "New").containsEntry("severity", 4);
    }

    @Test
    @SuppressWarnings("unchecked")
    void incidentsWithHostsUsersAndMitreMapToTheirArrays() {
        List<Map<String, Object>> records = readOnePage(CortexXdrConnector.INCIDENTS,
                CortexXdrSimulator.GET_INCIDENTS, "rapid7-insightconnect__get_incidents.json");
        Map<String, Object> incident = map(INCIDENTS, records.get(0));
        assertThat(incident.get("affectedHosts")).isEqualTo(List.of(Map.of("hostName", "example-host"),
                Map.of("hostName", "example-host-2")));
        assertThat(incident.get("affectedUsers")).isEqualTo(List.of("administrator"));
        assertThat(incident.get("tactics")).isEqualTo(List.of(
                Map.of("uid", "TA0002", "name", "Execution"),
                Map.of("uid", "TA0005", "name", "Defense Evasion"),
                Map.of("uid", "TA0006", "name", "Credential Access")));
        assertThat((List<Object>) incident.get("techniques")).hasSize(4)
                .contains(Map.of("uid", "T1059.001", "name", "Command and Scripting Interpreter: PowerShell"));
        assertThat(incident).containsEntry("sources", List.of("XDR Agent"))
                .containsEntry("categories", List.of("Malware")).containsEntry("alertCount", 14)
                .containsEntry("sourceUrl", "https://example.com/incident-view?caseId=1");
    }

    @Test
    void incidentsWrappedInAnIncidentObjectInABareListWithoutTotalCountAreUnwrapped() {
        List<Map<String, Object>> records = readOnePage(CortexXdrConnector.INCIDENTS,
                CortexXdrSimulator.GET_INCIDENTS, "demisto-content__CortexXDRIR__get_incidents_list_dedup.json");
        assertThat(records).extracting(r -> r.get("incident_id")).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(records).allSatisfy(r -> assertThat(r).doesNotContainKey("incident"));
        records.forEach(r -> map(INCIDENTS, r));
    }

    @Test
    void alertsRequestTheServerCreationTimeWindowAndMap() {
        List<Map<String, Object>> records = readOnePage(CortexXdrConnector.ALERTS,
                CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS, "rapid7-insightconnect__monitor_alerts.json");
        wm.verify(1, postRequestedFor(urlEqualTo(CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS))
                .withRequestBody(equalToJson("{\"request_data\":{\"filters\":["
                        + "{\"field\":\"server_creation_time\",\"operator\":\"gte\",\"value\":"
                        + WINDOW.from().toEpochMilli() + "},{\"field\":\"server_creation_time\",\"operator\":\"lte\","
                        + "\"value\":" + (WINDOW.to().toEpochMilli() - 1) + "}],"
                        + "\"search_from\":0,\"search_to\":100,"
                        + "\"sort\":{\"field\":\"server_creation_time\",\"keyword\":\"ASC\"}}}")));
        Map<String, Object> alert = map(ALERTS, records.get(0));
        assertThat(alert).containsEntry("externalDetectionId", "50023290705")
                .containsEntry("externalIncidentId", "391722").containsEntry("title", "Behavioral Threat")
                .containsEntry("category", "Malware").containsEntry("severity", 4)
                .containsEntry("sourceSeverity", "high")
                .containsEntry("status", "In Progress").containsEntry("sourceStatus", "STATUS_020_UNDER_INVESTIGATION")
                .containsEntry("action", "Detected (Reported)").containsEntry("detectionSource", "XDR Agent")
                .containsEntry("createdTime", "2024-01-29T15:01:39.609Z")
                .containsEntry("receivedTime", "2024-01-29T14:46:37.503Z")
                .containsEntry("modifiedTime", "2024-01-29T14:48:26.370Z")
                .containsEntry("device", Map.of("externalAssetId", "9de5069c5afe602b2ea0a04b66beb2c0",
                        "hostName", "hostname", "ipAddresses", List.of("8.8.8.8"), "osType", "Windows"))
                .containsEntry("tactics", List.of(Map.of("uid", "TA0007", "name", "Discovery")))
                .containsEntry("techniques", List.of(Map.of("uid", "T1012", "name", "Query Registry")))
                .containsEntry("tags", List.of("DS:PANW/XDR Agent"))
                .doesNotContainKey("affectedUsers");
    }

    @Test
    void moreAlertsInOneServerMillisecondThanTheApiServesEndTheReadWithAnErrorNotASkip() {
        // 12,000 alerts at the first millisecond of a one-second window: the API says 9,999 for
        // every query holding it (the stub answers every query so)
        long burst = WINDOW.from().toEpochMilli();
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            alerts.append(i == 0 ? "" : ",").append("{\"alert_id\":\"").append(70_000 + i)
                    .append("\",\"local_insert_ts\":").append(burst).append('}');
        }
        wm.stubFor(post(CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS).willReturn(okJson(
                "{\"reply\":{\"total_count\":9999,\"result_count\":100,\"alerts\":[" + alerts + "]}}")));
        try (StreamReader reader = reader(new EventSettings(List.of(), List.of(), List.of(), Duration.ofDays(1)))) {
            PageRequest request = new PageRequest(CortexXdrConnector.ALERTS, Partition.WHOLE, Checkpoint.START,
                    SyncMode.INCREMENTAL, Optional.of(new TimeWindow(WINDOW.from(), WINDOW.from().plusSeconds(1))));
            List<Map<String, Object>> emitted = new java.util.ArrayList<>();
            ConnectorException error = null;
            for (int pages = 0; pages < 100 && error == null; pages++) {
                try {
                    Page page = reader.read(request);
                    emitted.addAll(page.records());
                    assertThat(page.done()).as("the burst's window is never done").isFalse();
                    request = request.next(page);
                } catch (ConnectorException e) {
                    error = e;
                }
            }
            assertThat(emitted).as("no alert of a burst published in part").isEmpty();
            assertThat(error).isNotNull();
            assertThat(error.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
            // a full page at one millisecond is read on its own, and that is capped at once
            assertThat(error.getMessage()).isEqualTo("More than 9999 Cortex XDR alerts share server_creation_time "
                    + burst + " (" + Instant.ofEpochMilli(burst) + "); get_alerts_multi_events serves at most 10000"
                    + " results of one query and no narrower filter splits one millisecond, so the read stops rather"
                    + " than skip alerts");
        }
    }

    @Test
    void incidentsOutOfModificationTimeOrderFailTheReadRatherThanLoseIncidents() {
        wm.stubFor(post(CortexXdrSimulator.GET_INCIDENTS).willReturn(okJson("{\"reply\":{\"total_count\":2,"
                + "\"incidents\":[{\"incident_id\":\"8\",\"modification_time\":1764000000500},"
                + "{\"incident_id\":\"9\",\"modification_time\":1764000000100}]}}")));
        try (StreamReader reader = reader(new EventSettings(List.of(), List.of(), List.of(), Duration.ofDays(1)))) {
            assertThatThrownBy(() -> reader.read(new PageRequest(CortexXdrConnector.INCIDENTS, Partition.WHOLE,
                    Checkpoint.START, SyncMode.INCREMENTAL, Optional.of(WINDOW))))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
                        assertThat(e.getMessage()).isEqualTo("Cortex XDR returned get_incidents out of"
                                + " modification_time order (incident 9 at 1764000000100 after 1764000000500);"
                                + " stopping rather than miss incidents");
                    });
        }
    }

    @Test
    void oneIncidentStatusAndTheAlertSeveritiesAreSentAsApiFiltersWhileIncidentSeveritiesApplyToEachPage() {
        wm.stubFor(post(CortexXdrSimulator.GET_INCIDENTS).willReturn(okJson(
                resource("demisto-content__CortexXDRIR__get_incidents_list.json"))));
        wm.stubFor(post(CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS).willReturn(okJson(
                resource("rapid7-insightconnect__monitor_alerts_empty.json"))));
        EventSettings settings = new EventSettings(List.of("new"), List.of("high"), List.of("high", "critical"),
                Duration.ofDays(1));
        try (StreamReader reader = reader(settings)) {
            Page incidents = reader.read(new PageRequest(CortexXdrConnector.INCIDENTS, Partition.WHOLE,
                    Checkpoint.START, SyncMode.INCREMENTAL, Optional.of(WINDOW)));
            // the server answered both incidents (a replay ignores filters): the severity filter keeps the high one
            assertThat(incidents.records()).extracting(r -> r.get("incident_id")).containsExactly("2");
            reader.read(new PageRequest(CortexXdrConnector.ALERTS, Partition.WHOLE, Checkpoint.START,
                    SyncMode.INCREMENTAL, Optional.of(WINDOW)));
        }
        wm.verify(postRequestedFor(urlEqualTo(CortexXdrSimulator.GET_INCIDENTS)).withRequestBody(equalToJson(
                "{\"request_data\":{\"filters\":[{},{},{\"field\":\"status\",\"operator\":\"eq\","
                        + "\"value\":\"new\"}]}}", true, true)));
        wm.verify(postRequestedFor(urlEqualTo(CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS)).withRequestBody(
                equalToJson("{\"request_data\":{\"filters\":[{},{},{\"field\":\"severity\",\"operator\":\"in\","
                        + "\"value\":[\"high\",\"critical\"]}]}}", true, true)));
    }

    @Test
    void anEmptyAlertPageEndsTheStream() {
        assertThat(readOnePage(CortexXdrConnector.ALERTS, CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS,
                "rapid7-insightconnect__monitor_alerts_empty.json")).isEmpty();
    }

    @Test
    void aV1AlertWithACommaJoinedHostIpMapsEachAddress() throws IOException {
        Map<String, Object> root = JSON.readValue(resource(
                "demisto-content__CortexXDRIR__get_incident_extra_data_host_id_array.json"), new TypeReference<>() {
                });
        @SuppressWarnings("unchecked")
        Map<String, Object> reply = (Map<String, Object>) root.get("reply");
        @SuppressWarnings("unchecked")
        Map<String, Object> alerts = (Map<String, Object>) reply.get("alerts");
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = ((List<Map<String, Object>>) alerts.get("data")).get(0);
        Map<String, Object> alert = map(ALERTS, raw);
        assertThat(alert.get("device")).isEqualTo(Map.of("hostName", "AAAAAA", "ipAddresses",
                List.of("1.1.1.1", "2.2.2.2")));
        assertThat(alert).containsEntry("affectedUsers", List.of("Administrator"))
                .containsEntry("action", "Prevented (Blocked)").containsEntry("severity", 3)
                .containsEntry("evidence", Map.of("processImageNames", List.of("wildfire-test-pe-file.exe"),
                        "processCommandLines",
                        List.of("\"C:\\Users\\Administrator\\Downloads\\wildfire-test-pe-file.exe\"")));
        @SuppressWarnings("unchecked")
        Map<String, Object> incident = (Map<String, Object>) reply.get("incident");
        map(INCIDENTS, incident);
    }

    @Test
    void everySimulatedIncidentAndAlertInTheV2ShapeMapsCleanly() {
        CortexXdrSimulator sim = CortexXdrSimulator.builder().endpoints(20).incidents(200).seed(5)
                .eventTimeBase(NOW).build();
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            String id = Integer.toString(i);
            Map<String, Object> incident = map(INCIDENTS, sim.incident(id));
            assertThat(incident).containsKeys("affectedHosts", "tactics", "techniques", "severity", "status");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> hosts = (List<Map<String, Object>>) incident.get("affectedHosts");
            assertThat(hosts.get(0)).containsKeys("hostName", "externalAssetId");
            alerts.addAll(sim.alertsOf(id));
        }
        assertThat(alerts).allSatisfy(a -> {
            Map<String, Object> alert = map(ALERTS, a);
            assertThat(alert).containsKeys("device", "affectedUsers", "evidence", "status", "externalIncidentId");
            @SuppressWarnings("unchecked")
            Map<String, Object> device = (Map<String, Object>) alert.get("device");
            assertThat((List<?>) device.get("ipAddresses")).isNotEmpty()
                    .allSatisfy(ip -> assertThat((String) ip).doesNotContain(","));
        });
    }
}
