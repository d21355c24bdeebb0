package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.runtime.transform.ModelSchemas;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.runtime.transform.TransformOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recorded endpoint replies, enriched with the synthetic {@code cves[]} of
 * synthetic-cves.json, transform to the checked-in JSON Lines under golden/. To regenerate after
 * an intended change: {@code mvn -pl connector-cortex-xdr -am test -Dtest=CortexXdrGoldenTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}, then review the diff.
 */
class CortexXdrGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> REPLIES = List.of(
            "demisto-content__CoreIRApiModule__get_endpoints.json",
            "demisto-content__CoreIRApiModule__get_endpoints_linux_response.json",
            "demisto-content__CoreIRApiModule__get_endpoints_mac_response.json",
            "demisto-content__CoreIRApiModule__get_endpoints_windows_response.json",
            "demisto-content__CortexXDRIR__get_all_endpoints.json");

    static Stream<Arguments> cases() {
        return REPLIES.stream().flatMap(reply -> CortexXdrMaps.all().stream().map(map -> Arguments.of(reply, map)));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("cases")
    void recordedReplyTransformsToGoldenJsonLines(String reply, TransformMap map) throws IOException {
        CompiledMap compiled = TransformEngine.compile(map);
        List<Map<String, Object>> endpoints = endpoints(reply);
        boolean vulnerabilities = map.name().equals(CortexXdrMaps.VULNERABILITY_MAP);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < endpoints.size(); i++) {
            Map<String, Object> endpoint = vulnerabilities ? withSyntheticCves(endpoints.get(i)) : endpoints.get(i);
            TransformOutcome outcome = compiled.apply(endpoint, i + 1);
            assertThat(outcome.rejections()).isEmpty();
            assertThat(outcome.droppedFindings()).isZero();
            Map<String, Object> record = outcome.record().orElseThrow();
            assertThat(ModelSchemas.problems("asset", record)).as("schema problems of %s", record).isEmpty();
            lines.append(JSON.writeValueAsString(record)).append('\n');
        }
        assertThat(endpoints).isNotEmpty();

        String golden = "golden/" + reply.replace(".json", "") + (vulnerabilities ? ".vulnerability" : ".asset") + ".jsonl";
        if (Boolean.getBoolean("golden.update")) {
            Path file = Path.of("src/test/resources/org/connectorsdk/cortexxdr/transform/", golden);
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines.toString());
        }
        try (InputStream in = getClass().getResourceAsStream(CortexXdrMapsTest.RESOURCES + golden)) {
            assertThat(in).as("golden file %s (run with -Dgolden.update=true to create it)", golden).isNotNull();
            assertThat(lines.toString()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The endpoints of a reply: {@code reply.endpoints[]}, {@code reply[]} or a bare array. */
    static List<Map<String, Object>> endpoints(String reply) throws IOException {
        Object tree;
        try (InputStream in = CortexXdrGoldenTest.class.getResourceAsStream(CortexXdrMapsTest.RESOURCES + reply)) {
            tree = JSON.readValue(in, Object.class);
        }
        if (tree instanceof Map<?, ?> top) {
            tree = top.get("reply");
        }
        if (tree instanceof Map<?, ?> body) {
            tree = body.get("endpoints");
        }
        return JSON.convertValue(tree, new TypeReference<List<Map<String, Object>>>() { });
    }

    private static Map<String, Object> withSyntheticCves(Map<String, Object> endpoint) {
        Map<?, ?> byId = (Map<?, ?>) CortexXdrMapsTest.resource("synthetic-cves.json").get("cvesByEndpointId");
        Object cves = byId.get(endpoint.get("endpoint_id"));
        if (cves == null) {
            return endpoint;
        }
        Map<String, Object> enriched = new LinkedHashMap<>(endpoint);
        enriched.put("cves", new ArrayList<>((List<?>) cves));
        return enriched;
    }
}
