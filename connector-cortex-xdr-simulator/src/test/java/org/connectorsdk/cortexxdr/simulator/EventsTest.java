package org.connectorsdk.cortexxdr.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS;
import static org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator.GET_INCIDENTS;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.connectorsdk.testkit.MutableClock;
import org.junit.jupiter.api.Test;

class EventsTest {

    private static final Instant BASE = Instant.parse("2026-11-25T12:00:00Z");

    private static CortexXdrSimulator.Builder tenant(int incidents) {
        return SimulatorClient.withKeys().endpoints(50).seed(4).incidents(incidents).eventTimeBase(BASE);
    }

    private static List<JsonNode> readAll(SimulatorClient client, String path, String listField, String filters,
            String sort) {
        List<JsonNode> out = new ArrayList<>();
        for (int from = 0; ; from += 100) {
            JsonNode reply = client.standardJson(path, "{\"search_from\":" + from + ",\"search_to\":" + (from + 100)
                    + ",\"filters\":[" + filters + "],\"sort\":" + sort + "}").get("reply");
            reply.get(listField).forEach(out::add);
            if (reply.get(listField).size() < 100) {
                return out;
            }
        }
    }

    @Test
    void incidentsPageInModificationOrderWithTheRealShape() {
        try (CortexXdrSimulator sim = tenant(250).start()) {
            SimulatorClient client = new SimulatorClient(sim);
            JsonNode first = client.standardJson(GET_INCIDENTS, "{\"search_from\":0,\"search_to\":100}").get("reply");
            assertThat(first.get("total_count").asInt()).isEqualTo(250);
            assertThat(first.get("result_count").asInt()).isEqualTo(100);
            assertThat(first.get("restricted_incident_ids").isArray()).isTrue();
            JsonNode incident = first.at("/incidents/0");
            assertThat(incident.get("incident_id").asText()).isEqualTo("1");
            assertThat(incident.get("hosts").get(0).asText()).matches(".+:[0-9a-f]{32}");
            assertThat(incident.get("severity").asText()).isIn("low", "medium", "high", "critical");
            assertThat(incident.get("creation_time").asLong()).isLessThan(BASE.toEpochMilli());
            List<JsonNode> all = readAll(client, GET_INCIDENTS, "incidents", "",
                    "{\"field\":\"modification_time\",\"keyword\":\"asc\"}");
            assertThat(all).hasSize(250);
            assertThat(all).extracting(i -> i.get("modification_time").asLong()).isSorted();
            assertThat(all.stream().map(i -> i.get("incident_id").asText()).distinct().count()).isEqualTo(250);
        }
    }

    @Test
    void deltaWindowSeesExactlyTheModifiedAndAddedIncidents() {
        try (CortexXdrSimulator sim = tenant(120).start()) {
            SimulatorClient client = new SimulatorClient(sim);
            Instant later = BASE.plus(Duration.ofMinutes(30));
            List<String> modified = sim.modifyIncidents(3, later);
            List<String> added = sim.addIncidents(2, later.plusSeconds(1));
            assertThat(modified).hasSize(3).doesNotHaveDuplicates();
            assertThat(added).containsExactly("121", "122");
            List<JsonNode> delta = readAll(client, GET_INCIDENTS, "incidents",
                    "{\"field\":\"modification_time\",\"operator\":\"gte\",\"value\":" + BASE.toEpochMilli() + "}",
                    "{\"field\":\"modification_time\",\"keyword\":\"ASC\"}");
            Set<String> ids = new LinkedHashSet<>();
            delta.forEach(i -> ids.add(i.get("incident_id").asText()));
            Set<String> expected = new LinkedHashSet<>(modified);
            expected.addAll(added);
            assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
            for (JsonNode incident : delta) {
                if (modified.contains(incident.get("incident_id").asText())) {
                    assertThat(incident.get("modification_time").asLong()).isEqualTo(later.toEpochMilli());
                    assertThat(incident.get("status").asText()).isNotEqualTo("new");
                } else {
                    assertThat(incident.get("status").asText()).isEqualTo("new");
                }
            }
            assertThat(sim.incident(modified.get(0)).get("modification_time")).isEqualTo(later.toEpochMilli());
        }
    }

    @Test
    void incidentFiltersAndUnknownField() {
        try (CortexXdrSimulator sim = tenant(30).start()) {
            SimulatorClient client = new SimulatorClient(sim);
            JsonNode byId = client.standardJson(GET_INCIDENTS, "{\"filters\":[{\"field\":\"incident_id_list\","
                    + "\"operator\":\"in\",\"value\":[\"3\",\"7\"]}]}").get("reply");
            assertThat(byId.get("total_count").asInt()).isEqualTo(2);
            long open = sim.incidentCount() - readAll(client, GET_INCIDENTS, "incidents",
                    "{\"field\":\"status\",\"operator\":\"neq\",\"value\":\"new\"}", "null").size();
            assertThat(readAll(client, GET_INCIDENTS, "incidents",
                    "{\"field\":\"status\",\"operator\":\"eq\",\"value\":\"new\"}", "null")).hasSize((int) open);
            HttpResponse<byte[]> bad = client.standard(GET_INCIDENTS,
                    "{\"filters\":[{\"field\":\"colour\",\"operator\":\"in\",\"value\":[\"x\"]}]}");
            assertThat(bad.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void alertsPageOnServerCreationTimeAndMatchTheirIncidents() {
        try (CortexXdrSimulator sim = tenant(40).start()) {
            SimulatorClient client = new SimulatorClient(sim);
            List<JsonNode> alerts = readAll(client, GET_ALERTS_MULTI_EVENTS, "alerts", "",
                    "{\"field\":\"server_creation_time\",\"keyword\":\"asc\"}");
            assertThat(alerts).hasSize(sim.alertCount());
            assertThat(alerts).extracting(a -> a.get("local_insert_ts").asLong()).isSorted();
            JsonNode alert = alerts.get(0);
            assertThat(alert.get("event_type").isArray()).isTrue();
            assertThat(alert.get("host_ip").isArray() || alert.get("host_ip").isTextual()).isTrue();
            Map<String, Object> incident = sim.incident(alert.get("case_id").asText());
            assertThat(incident.get("alert_count")).isEqualTo(sim.alertsOf(alert.get("case_id").asText()).size());
            // some alerts were detected long before the server received them (offline hosts)
            assertThat(alerts).anyMatch(a -> a.get("local_insert_ts").asLong() - a.get("detection_timestamp").asLong()
                    > Duration.ofHours(12).toMillis());
            long cut = alerts.get(alerts.size() / 2).get("local_insert_ts").asLong();
            List<JsonNode> late = readAll(client, GET_ALERTS_MULTI_EVENTS, "alerts",
                    "{\"field\":\"server_creation_time\",\"operator\":\"gte\",\"value\":" + cut + "}", "null");
            assertThat(late).hasSize((int) alerts.stream().filter(a -> a.get("local_insert_ts").asLong() >= cut).count());
        }
    }

    @Test
    void alertTotalCountIsCappedAndDeepOffsetsAreRefused() {
        try (CortexXdrSimulator sim = tenant(3000).start()) {
            SimulatorClient client = new SimulatorClient(sim);
            assertThat(sim.alertCount()).isGreaterThan(9_999);
            JsonNode reply = client.standardJson(GET_ALERTS_MULTI_EVENTS, "{\"search_from\":0,\"search_to\":100}")
                    .get("reply");
            assertThat(reply.get("total_count").asInt()).isEqualTo(9_999);
            assertThat(client.standardJson(GET_ALERTS_MULTI_EVENTS, "{\"search_from\":9900,\"search_to\":10000}")
                    .at("/reply/result_count").asInt()).isEqualTo(100);
            HttpResponse<byte[]> deep = client.standard(GET_ALERTS_MULTI_EVENTS, "{\"search_from\":10000,\"search_to\":10100}");
            assertThat(deep.statusCode()).isEqualTo(500);
            assertThat(SimulatorClient.json(deep).at("/reply/err_extra").asText()).contains("narrow the filters");
        }
    }

    @Test
    void liveEventsAddAndModifyOneIncidentPerTickOfTheClock() {
        MutableClock clock = MutableClock.at(BASE);
        try (CortexXdrSimulator sim = tenant(10).clock(clock).liveEvents(Duration.ofMinutes(5)).start()) {
            SimulatorClient client = new SimulatorClient(sim);
            assertThat(sim.incidentCount()).isEqualTo(10);
            clock.advance(Duration.ofMinutes(11));
            String sinceBase = "{\"field\":\"modification_time\",\"operator\":\"gte\",\"value\":" + BASE.toEpochMilli() + "}";
            List<JsonNode> changed = readAll(client, GET_INCIDENTS, "incidents", sinceBase, "null");
            assertThat(sim.incidentCount()).isEqualTo(12);
            // two ticks: two added, and two modified (the second tick may modify the first tick's new one)
            assertThat(changed).hasSizeBetween(3, 4);
            assertThat(changed).extracting(i -> i.get("incident_id").asText()).contains("11", "12");
            assertThat(changed).allMatch(i -> i.get("modification_time").asLong() == BASE.plus(Duration.ofMinutes(5)).toEpochMilli()
                    || i.get("modification_time").asLong() == BASE.plus(Duration.ofMinutes(10)).toEpochMilli());
        }
    }

    @Test
    void eventsAreDeterministicForAFixedBase() {
        try (CortexXdrSimulator a = tenant(20).start(); CortexXdrSimulator b = tenant(20).start()) {
            String body = "{\"search_from\":0,\"search_to\":100}";
            assertThat(new SimulatorClient(a).standard(GET_ALERTS_MULTI_EVENTS, body).body())
                    .isEqualTo(new SimulatorClient(b).standard(GET_ALERTS_MULTI_EVENTS, body).body());
            assertThat(new SimulatorClient(a).standard(GET_INCIDENTS, body).body())
                    .isEqualTo(new SimulatorClient(b).standard(GET_INCIDENTS, body).body());
        }
    }
}
