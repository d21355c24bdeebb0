package org.connectorsdk.cortexxdr.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator.GET_ALERTS_BY_FILTER_DATA;
import static org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS;
import static org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator.GET_INCIDENTS;
import static org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator.GET_QUERY_RESULTS;
import static org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator.START_XQL_QUERY;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulator's host inventory over XQL, the legacy alert call of older tenants, and
 * incidents withheld by a scoped key.
 */
class InventoryAndOlderRepliesTest {
    private static final String INVENTORY_QUERY = "{\"query\":\"preset = host_inventory_applications"
            + " | fields endpoint_id, application_name\",\"tenants\":[],\"timeframe\":{\"relativeTime\":86400000}}";

    @Test
    void anInventoryQueryReturnsEveryEndpointsApplicationsInEndpointThenNameOrder() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(30).seed(9).xqlPendingPolls(0)
                .start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            String id = SimulatorClient.json(client.standard(START_XQL_QUERY, INVENTORY_QUERY)).get("reply").asText();
            JsonNode reply = client.standardJson(GET_QUERY_RESULTS, "{\"query_id\":\"" + id
                    + "\",\"pending_flag\":true,\"limit\":1000,\"format\":\"json\"}").get("reply");

            List<Map<String, Object>> expected = new ArrayList<>();
            for (int i = 0; i < tenant.endpointCount(); i++) {
                List<Map<String, Object>> apps = tenant.softwareFor(i);
                String endpointId = tenant.endpointId(i);
                Object endpointName = tenant.endpoint(i).get("endpoint_name");
                assertThat(apps).hasSizeGreaterThanOrEqualTo(2)
                        .extracting(a -> (String) a.get("application_name")).isSorted();
                assertThat(apps).allSatisfy(a -> assertThat(a).containsEntry("endpoint_id", endpointId)
                        .containsEntry("endpoint_name", endpointName));
                expected.addAll(apps);
            }
            assertThat(reply.get("status").asText()).isEqualTo("SUCCESS");
            assertThat(reply.get("number_of_results").asInt()).isEqualTo(expected.size());
            List<Map<String, Object>> rows = new ArrayList<>();
            reply.at("/results/data").forEach(r -> rows.add(SimulatorClient.JSON.convertValue(r,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { })));
            assertThat(rows).hasSameSizeAs(expected);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(rows.get(i)).as("row %d", i).containsEntry("application_name",
                        expected.get(i).get("application_name")).containsEntry("endpoint_id",
                        expected.get(i).get("endpoint_id")).containsEntry("version", expected.get(i).get("version"));
            }
        }
    }

    @Test
    void theInventoryIsTheSameForTheSameSeed() {
        try (CortexXdrSimulator a = SimulatorClient.withKeys().endpoints(5).seed(9).start();
                CortexXdrSimulator b = SimulatorClient.withKeys().endpoints(5).seed(9).start();
                CortexXdrSimulator c = SimulatorClient.withKeys().endpoints(5).seed(10).start()) {
            assertThat(b.softwareFor(4)).isEqualTo(a.softwareFor(4));
            assertThat(List.of(c.softwareFor(0), c.softwareFor(1), c.softwareFor(2)))
                    .isNotEqualTo(List.of(a.softwareFor(0), a.softwareFor(1), a.softwareFor(2)));
        }
    }

    @Test
    void anOlderTenantServesItsAlertsInTheAlertFieldsShapeOnly() {
        Instant base = Instant.parse("2026-11-20T00:00:00Z");
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(10).incidents(20).eventTimeBase(base)
                .start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            long from = base.minusSeconds(30L * 86400).toEpochMilli();
            JsonNode current = client.standardJson(GET_ALERTS_MULTI_EVENTS, "{\"search_from\":0,\"search_to\":5,"
                    + "\"filters\":[{\"field\":\"creation_time\",\"operator\":\"gte\",\"value\":"
                    + from + "}],\"sort\":{\"field\":\"creation_time\",\"keyword\":\"asc\"}}").get("reply");
            tenant.olderTenant(true);

            assertThat(client.standard(GET_ALERTS_MULTI_EVENTS, "{}").statusCode()).isEqualTo(404);
            JsonNode legacy = client.standardJson(GET_ALERTS_BY_FILTER_DATA, "{\"filter_data\":{"
                    + "\"filter\":{\"AND\":[{\"SEARCH_FIELD\":\"source_insert_ts\",\"SEARCH_TYPE\":\"RANGE\","
                    + "\"SEARCH_VALUE\":{\"from\":" + from + ",\"to\":" + base.plusSeconds(86400).toEpochMilli()
                    + "}}]},\"paging\":{\"from\":0,\"to\":5},\"sort\":[{\"FIELD\":\"source_insert_ts\",\"ORDER\":"
                    + "\"ASC\"}]}}").get("reply");

            assertThat(legacy.get("total_count")).isEqualTo(current.get("total_count"));
            assertThat(legacy.get("alerts")).hasSize(5);
            for (int i = 0; i < 5; i++) {
                JsonNode fields = legacy.get("alerts").get(i).get("alert_fields");
                JsonNode alert = current.get("alerts").get(i);
                assertThat(fields.get("internal_id")).isEqualTo(alert.get("alert_id"));
                assertThat(fields.get("alert_name")).isEqualTo(alert.get("name"));
                assertThat(fields.get("source_insert_ts")).isEqualTo(alert.get("detection_timestamp"));
                assertThat(fields.get("local_insert_ts")).isEqualTo(alert.get("local_insert_ts"));
                assertThat(fields.get("severity").asText()).matches("SEV_0[1-5]0_[A-Z]+")
                        .endsWith(alert.get("severity").asText().toUpperCase(java.util.Locale.ROOT));
                assertThat(fields.has("alert_id")).isFalse();
            }
        }
    }

    @Test
    void restrictedIncidentsLeaveThePageAndAreListedByTheirIds() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(10).incidents(8).start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            String request = "{\"search_from\":0,\"search_to\":100}";
            assertThat(client.standardJson(GET_INCIDENTS, request).at("/reply/restricted_incident_ids")).isEmpty();
            tenant.restrictIncidents("2", "5");

            JsonNode reply = client.standardJson(GET_INCIDENTS, request).get("reply");

            assertThat(reply.get("restricted_incident_ids")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("2", "5");
            assertThat(reply.get("incidents")).hasSize(6).extracting(i -> i.get("incident_id").asText())
                    .doesNotContain("2", "5");
            assertThat(reply.get("result_count").asInt()).isEqualTo(6);
        }
    }
}
