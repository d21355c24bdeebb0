package org.connectorsdk.cortexxdr.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyntheticTenantTest {

    @Test
    void millionEndpointTenantServesItsLastPage() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(1_000_000).seed(99).start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            JsonNode reply = client.page(999_950, 1_000_050).get("reply");
            assertThat(reply.get("total_count").asInt()).isEqualTo(1_000_000);
            assertThat(reply.get("result_count").asInt()).isEqualTo(50);
            assertThat(reply.at("/endpoints/49/endpoint_id").asText()).isEqualTo(tenant.endpointId(999_999));
            assertThat(tenant.endpointIds()).hasSize(1_000_000);
            assertThat(tenant.endpointIds().get(999_999)).startsWith("000f423f");
        }
    }

    @Test
    void theTenantIsNotMaterialisedByDesign() {
        // No field of the simulator or its generators may hold a collection or array that could
        // grow with the tenant; only bounded bookkeeping maps (per path, per key, per query) and the
        // changes a caller asked for (endpoints seen again, CVEs changed) exist.
        List<String> allowed = List.of("keys", "routes", "requestCounts", "lastBodies", "forbidden", "unlicensed",
                "queries", "streams", "restrictedIncidents", "seenAgain", "changed", "assessments");
        for (Class<?> type : List.of(CortexXdrSimulator.class, SyntheticTenant.class, SyntheticCves.class,
                SyntheticSoftware.class, XqlEngine.class)) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                boolean bulky = field.getType().isArray() || Collection.class.isAssignableFrom(field.getType())
                        || Map.class.isAssignableFrom(field.getType());
                if (bulky) {
                    assertThat(allowed).as(type.getSimpleName() + "." + field.getName()).contains(field.getName());
                }
            }
        }
    }

    @Test
    void sameSeedGivesByteIdenticalPagesAndAnotherSeedDoesNot() {
        try (CortexXdrSimulator a = SimulatorClient.withKeys().endpoints(300).seed(42).start();
                CortexXdrSimulator b = SimulatorClient.withKeys().endpoints(300).seed(42).start();
                CortexXdrSimulator c = SimulatorClient.withKeys().endpoints(300).seed(43).start()) {
            String body = "{\"search_from\":100,\"search_to\":200,\"sort\":{\"field\":\"last_seen\",\"keyword\":\"DESC\"}}";
            byte[] first = new SimulatorClient(a).standard(CortexXdrSimulator.GET_ENDPOINT, body).body();
            assertThat(new SimulatorClient(b).standard(CortexXdrSimulator.GET_ENDPOINT, body).body()).isEqualTo(first);
            assertThat(new SimulatorClient(c).standard(CortexXdrSimulator.GET_ENDPOINT, body).body()).isNotEqualTo(first);
        }
    }

    @Test
    void endpointsHaveTheRealShape() throws Exception {
        CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(2000).seed(1).build();
        long reference = CortexXdrSimulator.referenceTime().toEpochMilli();
        for (int i = 0; i < 2000; i++) {
            Map<String, Object> e = tenant.endpoint(i);
            assertThat((String) e.get("endpoint_id")).matches("[0-9a-f]{32}").startsWith(String.format("%08x", i));
            assertThat((String) e.get("endpoint_name")).isNotBlank();
            assertThat(e.get("endpoint_type")).isIn("AGENT_TYPE_SERVER", "AGENT_TYPE_WORKSTATION");
            assertThat(e.get("endpoint_status")).isIn("CONNECTED", "DISCONNECTED", "LOST", "UNINSTALLED");
            assertThat(e.get("os_type")).isIn("AGENT_OS_WINDOWS", "AGENT_OS_LINUX", "AGENT_OS_MAC");
            assertThat(e.get("alias")).isInstanceOf(String.class);
            List<?> ips = (List<?>) e.get("ip");
            assertThat(ips).isNotEmpty();
            assertThat(((List<?>) e.get("mac_address")).size()).isEqualTo(ips.size());
            assertThat(((List<?>) e.get("allIPs")).containsAll(ips)).isTrue();
            long firstSeen = (Long) e.get("first_seen");
            long lastSeen = (Long) e.get("last_seen");
            assertThat(firstSeen).isLessThanOrEqualTo(lastSeen);
            assertThat(lastSeen).isLessThanOrEqualTo(reference);
            assertThat(e.get("tags")).isInstanceOf(Map.class);
            Object description = e.get("operational_status_description");
            if (description != null) {
                assertThat(SimulatorClient.JSON.readTree((String) description).isArray()).isTrue();
            }
        }
        // every variety shows up somewhere
        List<Map<String, Object>> all = IntStream.range(0, 2000).mapToObj(tenant::endpoint).toList();
        assertThat(all).extracting(e -> e.get("os_type")).contains("AGENT_OS_WINDOWS", "AGENT_OS_LINUX", "AGENT_OS_MAC");
        assertThat(all).anyMatch(e -> ((List<?>) e.get("ipv6")).isEmpty()).anyMatch(e -> !((List<?>) e.get("ipv6")).isEmpty());
        assertThat(all).anyMatch(e -> "".equals(e.get("domain"))).anyMatch(e -> !"".equals(e.get("domain")));
        assertThat(all).anyMatch(e -> e.get("group_name") == null).anyMatch(e -> e.get("group_name") instanceof List);
        assertThat(all).anyMatch(e -> !e.containsKey("cloud_provider"))
                .anyMatch(e -> e.containsKey("cloud_provider") && e.get("cloud_provider") == null)
                .anyMatch(e -> "AWS".equals(e.get("cloud_provider")));
        assertThat(all).anyMatch(e -> e.get("operational_status_description") == null)
                .anyMatch(e -> e.get("operational_status_description") != null);
    }

    @Test
    void cvesAreSyntheticSortedAndSpreadRealistically() {
        CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(1000).seed(8).build();
        int none = 0;
        int many = 0;
        for (int i = 0; i < 1000; i++) {
            List<Map<String, Object>> cves = tenant.cvesFor(i);
            assertThat(cves).isEqualTo(tenant.cvesFor(i));
            if (cves.isEmpty()) {
                none++;
            }
            if (cves.size() >= 100) {
                many++;
            }
            assertThat(cves).extracting(c -> (String) c.get("name")).isSorted().doesNotHaveDuplicates();
            for (Map<String, Object> cve : cves) {
                assertThat(cve).containsOnlyKeys("name", "severity", "description", "publication_date", "severity_score");
                assertThat((String) cve.get("name")).matches("CVE-20[12]\\d-\\d{4,5}");
                assertThat((String) cve.get("description")).startsWith("Synthetic vulnerability");
                double score = (Double) cve.get("severity_score");
                switch ((String) cve.get("severity")) {
                    case "CRITICAL" -> assertThat(score).isBetween(9.0, 10.0);
                    case "HIGH" -> assertThat(score).isBetween(7.0, 8.9);
                    case "MEDIUM" -> assertThat(score).isBetween(4.0, 6.9);
                    case "LOW" -> assertThat(score).isBetween(0.1, 3.9);
                    default -> throw new AssertionError("severity " + cve.get("severity"));
                }
                assertThat((Long) cve.get("publication_date")).isLessThan(CortexXdrSimulator.referenceTime().toEpochMilli());
            }
        }
        assertThat(none).isBetween(100, 300);
        assertThat(many).isBetween(5, 40);
    }
}
