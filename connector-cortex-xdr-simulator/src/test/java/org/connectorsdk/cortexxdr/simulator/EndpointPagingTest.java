package org.connectorsdk.cortexxdr.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.connectorsdk.cortexxdr.simulator.SimulatorClient.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointPagingTest {

    private static final int TENANT = 250;
    private static CortexXdrSimulator simulator;
    private static SimulatorClient client;

    @BeforeAll
    static void start() {
        simulator = SimulatorClient.withKeys().endpoints(TENANT).seed(7).start();
        client = new SimulatorClient(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 99, 100, 101, 250})
    void pagingByHundredYieldsEveryEndpointOnceWithTheTrueTotal(int size) {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(size).seed(3).start()) {
            SimulatorClient c = new SimulatorClient(tenant);
            Set<String> ids = new LinkedHashSet<>();
            int pages = 0;
            for (int from = 0; ; from += 100) {
                JsonNode reply = c.page(from, from + 100).get("reply");
                pages++;
                assertThat(reply.get("total_count").asLong()).isEqualTo(size);
                assertThat(reply.get("result_count").asInt()).isEqualTo(reply.get("endpoints").size());
                reply.get("endpoints").forEach(e -> assertThat(ids.add(e.get("endpoint_id").asText())).isTrue());
                if (reply.get("endpoints").size() < 100) {
                    break;
                }
            }
            assertThat(ids).hasSize(size).containsExactlyElementsOf(tenant.endpointIds());
            assertThat(pages).isEqualTo(size / 100 + 1);
            assertThat(tenant.requestCount(CortexXdrSimulator.GET_ENDPOINT)).isEqualTo(pages);
        }
    }

    @Test
    void pageRecordsAreExactlyTheTenantsEndpoints() throws Exception {
        JsonNode endpoints = client.page(100, 103).get("reply").get("endpoints");
        assertThat(endpoints).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(SimulatorClient.JSON.writeValueAsString(endpoints.get(i)))
                    .isEqualTo(SimulatorClient.JSON.writeValueAsString(simulator.endpoint(100 + i)));
        }
    }

    @Test
    void aWindowWiderThanOneHundredIsCappedAtOneHundred() {
        JsonNode reply = client.page(10, 160).get("reply");
        assertThat(reply.get("result_count").asInt()).isEqualTo(100);
        assertThat(reply.get("endpoints").get(0).get("endpoint_id").asText()).isEqualTo(simulator.endpointId(10));
    }

    @Test
    void trailingSlashAndEmptyRequestDataAreAccepted() {
        JsonNode reply = client.standardJson(CortexXdrSimulator.GET_ENDPOINT + "/", "{}").get("reply");
        assertThat(reply.get("total_count").asInt()).isEqualTo(TENANT);
        assertThat(reply.get("result_count").asInt()).isEqualTo(100);
    }

    @Test
    void anOffsetPastTheEndGivesAnEmptyPageAndTheTotal() {
        JsonNode reply = client.page(300, 400).get("reply");
        assertThat(reply.get("total_count").asInt()).isEqualTo(TENANT);
        assertThat(reply.get("result_count").asInt()).isZero();
        assertThat(reply.get("endpoints")).isEmpty();
    }

    @Test
    void anInvertedRangeIsABadRequest() {
        HttpResponse<byte[]> response = client.standard(CortexXdrSimulator.GET_ENDPOINT,
                "{\"search_from\":50,\"search_to\":10}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response)).isEqualTo("{\"reply\":{\"err_code\":400,\"err_msg\":\"Bad Request\","
                + "\"err_extra\":\"Invalid search range: search_from 50, search_to 10 (zero-based offsets,"
                + " search_from <= search_to)\"}}");
    }

    @Test
    void sortByEndpointIdDescendingIsReverseIndexOrder() {
        JsonNode endpoints = client.standardJson(CortexXdrSimulator.GET_ENDPOINT,
                "{\"search_from\":0,\"search_to\":3,\"sort\":{\"field\":\"endpoint_id\",\"keyword\":\"desc\"}}")
                .get("reply").get("endpoints");
        assertThat(ids(endpoints)).containsExactly(simulator.endpointId(249), simulator.endpointId(248),
                simulator.endpointId(247));
    }

    @ParameterizedTest
    @ValueSource(strings = {"first_seen", "last_seen"})
    void timeSortsMatchABruteForceSortAcrossEveryPage(String field) {
        for (String keyword : List.of("ASC", "DESC")) {
            Comparator<Integer> byTime = Comparator.comparingLong(i -> (Long) simulator.endpoint(i).get(field));
            Comparator<Integer> order = (keyword.equals("ASC") ? byTime : byTime.reversed())
                    .thenComparing(Comparator.naturalOrder());
            List<String> expected = IntStream.range(0, TENANT).boxed().sorted(order)
                    .map(simulator::endpointId).toList();
            List<String> actual = new ArrayList<>();
            for (int from = 0; from < TENANT; from += 100) {
                actual.addAll(ids(client.standardJson(CortexXdrSimulator.GET_ENDPOINT, "{\"search_from\":" + from
                        + ",\"search_to\":" + (from + 100) + ",\"sort\":{\"field\":\"" + field
                        + "\",\"keyword\":\"" + keyword + "\"}}").get("reply").get("endpoints")));
            }
            assertThat(actual).as(field + " " + keyword).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void statusFilterMatchesCaseInsensitively() {
        assertFilter("{\"field\":\"endpoint_status\",\"operator\":\"in\",\"value\":[\"connected\",\"LOST\"]}",
                e -> Set.of("CONNECTED", "LOST").contains(e.get("endpoint_status")));
    }

    @Test
    void platformFilter() {
        assertFilter("{\"field\":\"platform\",\"operator\":\"in\",\"value\":[\"linux\",\"macos\"]}",
                e -> Set.of("AGENT_OS_LINUX", "AGENT_OS_MAC").contains(e.get("os_type")));
    }

    @Test
    void groupFilter() {
        assertFilter("{\"field\":\"group_name\",\"operator\":\"in\",\"value\":[\"Finance\"]}",
                e -> e.get("group_name") instanceof List<?> groups && groups.contains("Finance"));
    }

    @Test
    void lastSeenRangeFilters() {
        long from = CortexXdrSimulator.referenceTime().toEpochMilli() - 10L * 24 * 3600 * 1000;
        long to = CortexXdrSimulator.referenceTime().toEpochMilli() - 3600 * 1000;
        assertFilter("{\"field\":\"last_seen\",\"operator\":\"gte\",\"value\":" + from + "},"
                + "{\"field\":\"last_seen\",\"operator\":\"lte\",\"value\":" + to + "}",
                e -> (Long) e.get("last_seen") >= from && (Long) e.get("last_seen") <= to);
    }

    @Test
    void firstSeenFilter() {
        long from = CortexXdrSimulator.referenceTime().toEpochMilli() - 365L * 24 * 3600 * 1000;
        assertFilter("{\"field\":\"first_seen\",\"operator\":\"gte\",\"value\":" + from + "}",
                e -> (Long) e.get("first_seen") >= from);
    }

    @Test
    void hostnameAndEndpointIdListFilters() {
        String name = (String) simulator.endpoint(42).get("endpoint_name");
        assertFilter("{\"field\":\"hostname\",\"operator\":\"in\",\"value\":[\"" + name.toLowerCase() + "\"]}",
                e -> name.equalsIgnoreCase((String) e.get("endpoint_name")));
        assertFilter("{\"field\":\"endpoint_id_list\",\"operator\":\"in\",\"value\":[\"" + simulator.endpointId(7)
                + "\",\"" + simulator.endpointId(200) + "\",\"" + "f".repeat(32) + "\"]}",
                e -> Set.of(simulator.endpointId(7), simulator.endpointId(200)).contains(e.get("endpoint_id")));
    }

    @Test
    void unknownFilterFieldIsABadRequestNamingTheField() {
        HttpResponse<byte[]> response = client.standard(CortexXdrSimulator.GET_ENDPOINT,
                "{\"filters\":[{\"field\":\"colour\",\"operator\":\"in\",\"value\":[\"red\"]}]}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response)).isEqualTo("{\"reply\":{\"err_code\":400,\"err_msg\":\"Bad Request\","
                + "\"err_extra\":\"Unsupported filter field: colour\"}}");
    }

    @Test
    void wrongOperatorForATimeFilterIsABadRequest() {
        HttpResponse<byte[]> response = client.standard(CortexXdrSimulator.GET_ENDPOINT,
                "{\"filters\":[{\"field\":\"last_seen\",\"operator\":\"in\",\"value\":1}]}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(SimulatorClient.json(response).at("/reply/err_extra").asText())
                .isEqualTo("Unsupported operator in for filter last_seen (gte, lte, eq)");
    }

    @Test
    void tenantGrowsAndShrinksBetweenPages() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(150).seed(1).start()) {
            SimulatorClient c = new SimulatorClient(tenant);
            assertThat(c.page(0, 100).at("/reply/total_count").asInt()).isEqualTo(150);
            tenant.addEndpoints(30);
            JsonNode second = c.page(100, 200).get("reply");
            assertThat(second.get("total_count").asInt()).isEqualTo(180);
            assertThat(second.get("result_count").asInt()).isEqualTo(80);
            assertThat(second.at("/endpoints/79/endpoint_id").asText()).isEqualTo(tenant.endpointId(179));
            tenant.removeEndpoints(100);
            assertThat(c.page(0, 100).at("/reply/total_count").asInt()).isEqualTo(80);
            tenant.removeFirstEndpoints(10);
            JsonNode shifted = c.page(0, 100).get("reply");
            assertThat(shifted.get("total_count").asInt()).isEqualTo(70);
            assertThat(shifted.at("/endpoints/0/endpoint_id").asText()).isEqualTo(tenant.endpointId(10));
            assertThat(tenant.endpointIds()).hasSize(70).startsWith(tenant.endpointId(10));
        }
    }

    private static void assertFilter(String filters, Predicate<Map<String, Object>> expected) {
        List<String> want = IntStream.range(0, TENANT).filter(i -> expected.test(simulator.endpoint(i)))
                .mapToObj(simulator::endpointId).toList();
        assertThat(want).as("the filter should select some but not all endpoints").isNotEmpty().hasSizeLessThan(TENANT);
        List<String> got = new ArrayList<>();
        long total = -1;
        for (int from = 0; from < TENANT; from += 100) {
            JsonNode reply = client.standardJson(CortexXdrSimulator.GET_ENDPOINT, "{\"search_from\":" + from
                    + ",\"search_to\":" + (from + 100) + ",\"filters\":[" + filters + "]}").get("reply");
            total = reply.get("total_count").asLong();
            got.addAll(ids(reply.get("endpoints")));
        }
        assertThat(got).containsExactlyElementsOf(want);
        assertThat(total).isEqualTo(want.size());
    }

    private static List<String> ids(JsonNode endpoints) {
        List<String> out = new ArrayList<>();
        endpoints.forEach(e -> out.add(e.get("endpoint_id").asText()));
        return out;
    }
}
