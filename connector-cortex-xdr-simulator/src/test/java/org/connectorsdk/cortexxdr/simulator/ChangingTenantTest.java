package org.connectorsdk.cortexxdr.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tenant that changes on request, so delta runs have something to find. */
class ChangingTenantTest {

    private static List<String> ids(JsonNode reply) {
        List<String> out = new ArrayList<>();
        reply.get("endpoints").forEach(e -> out.add(e.get("endpoint_id").asText()));
        return out;
    }

    @Test
    void endpointsSeenAgainMoveTheirLastSeenAndOnlyTheyMatchAFilterFromThen() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(50).seed(5).start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            Instant at = CortexXdrSimulator.referenceTime().plusSeconds(3_600);
            String since = "{\"filters\":[{\"field\":\"last_seen\",\"operator\":\"gte\",\"value\":"
                    + at.toEpochMilli() + "}],\"search_from\":0,\"search_to\":100}";
            assertThat(ids(client.standardJson(CortexXdrSimulator.GET_ENDPOINT, since).get("reply"))).isEmpty();

            tenant.seeEndpoints(at, 3, 17, 41);
            // seen earlier than it already was: last_seen never moves back
            long before = (Long) tenant.endpoint(9).get("last_seen");
            tenant.seeEndpoints(Instant.ofEpochMilli(before - 1), 9);

            assertThat(ids(client.standardJson(CortexXdrSimulator.GET_ENDPOINT, since).get("reply")))
                    .containsExactlyInAnyOrder(tenant.endpointId(3), tenant.endpointId(17), tenant.endpointId(41));
            assertThat(tenant.endpoint(17).get("last_seen")).isEqualTo(at.toEpochMilli());
            assertThat(tenant.endpoint(9).get("last_seen")).isEqualTo(before);
        }
    }

    @Test
    void addedAndRemovedCvesShowInTheNextXqlQuery() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(20).seed(5).start()) {
            List<Map<String, Object>> was = tenant.cvesFor(4);
            List<String> added = tenant.addCves(4, 3, 1);
            List<String> removed = tenant.removeCves(4, 2);

            List<String> now = tenant.cvesFor(4).stream().map(c -> (String) c.get("name")).toList();
            List<String> expected = new ArrayList<>(was.stream().map(c -> (String) c.get("name")).toList());
            expected.addAll(added);
            expected.removeAll(removed);
            assertThat(added).hasSize(3).doesNotContainAnyElementsOf(was.stream().map(c -> (String) c.get("name")).toList());
            assertThat(removed).hasSize(2);
            assertThat(now).isSorted().containsExactlyInAnyOrderElementsOf(expected);

            SimulatorClient client = new SimulatorClient(tenant);
            String query = client.standardJson(CortexXdrSimulator.START_XQL_QUERY,
                    "{\"query\":\"dataset = va_endpoints\",\"tenants\":[],\"timeframe\":{\"relativeTime\":86400000}}")
                    .get("reply").asText();
            JsonNode reply = client.standardJson(CortexXdrSimulator.GET_QUERY_RESULTS, "{\"query_id\":\"" + query
                    + "\",\"pending_flag\":true,\"limit\":1000,\"format\":\"json\"}").get("reply");
            for (int polls = 0; "PENDING".equals(reply.get("status").asText()) && polls < 5; polls++) {
                reply = client.standardJson(CortexXdrSimulator.GET_QUERY_RESULTS, "{\"query_id\":\"" + query
                        + "\",\"pending_flag\":true,\"limit\":1000,\"format\":\"json\"}").get("reply");
            }
            List<String> rowsOfFour = new ArrayList<>();
            reply.get("results").get("data").forEach(row -> {
                if (row.get("endpoint_id").asText().equals(tenant.endpointId(4))) {
                    rowsOfFour.add(row.get("name").asText());
                }
            });
            assertThat(rowsOfFour).containsExactlyElementsOf(now);
        }
    }
}
