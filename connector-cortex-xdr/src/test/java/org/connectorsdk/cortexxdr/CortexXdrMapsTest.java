package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.connectorsdk.api.FieldMapping;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.runtime.transform.ModelSchemas;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.runtime.transform.TransformMapJson;
import org.connectorsdk.runtime.transform.TransformOutcome;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Pins the target value of every row of both Cortex XDR maps on one synthetic endpoint. */
class CortexXdrMapsTest {
    static final String RESOURCES = "/org/connectorsdk/cortexxdr/transform/";
    static final ObjectMapper JSON = new ObjectMapper();

    private static final String IPV6 = "fe80::a00:27ff:fe4e:66a1";
    private static final String XZ = "Backdoor in the xz-utils release tarballs affecting liblzma.";
    private static final String WEBP = "Heap buffer overflow in the WebP image decoder.";

    /**
     * Expected value per row ("source -> target") for synthetic-endpoint.json. Rows inside an
     * array give the value of every element in order (null where the element lacks the field).
     */
    private static final Map<String, Object> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("endpoint_id -> externalAssetId", "4f3c0a1e9b7d4c2a8e6f5d3b1a0c9e8f");
        EXPECTED.put("endpoint_name -> hostName", "web-prod-01");
        EXPECTED.put("operating_system -> operatingSystem.name", "Ubuntu 22.04.4 LTS");
        EXPECTED.put("os_version -> operatingSystem.version", "22.04.4");
        EXPECTED.put("domain -> domain", "corp.example.com");
        EXPECTED.put("endpoint_type -> type", "AGENT_TYPE_SERVER");
        EXPECTED.put("first_seen -> firstFoundDate", "2023-11-14T22:13:20.123Z");
        EXPECTED.put("allIPs -> networkInterfaces[].ipv4Address", List.of("10.20.0.15", IPV6, "172.17.0.1"));
        EXPECTED.put("allIPs -> networkInterfaces[].ipAddress", List.of("10.20.0.15", IPV6, "172.17.0.1"));
        EXPECTED.put("ip -> networkInterfaces[].ipv4Address", Arrays.asList("10.20.0.15", null, null));
        EXPECTED.put("ipv6 -> networkInterfaces[].ipv6Address", Arrays.asList(IPV6, null, null));
        EXPECTED.put("mac_address[] -> networkInterfaces[].macAddress",
                Arrays.asList("08:00:27:4e:66:a1", "02:42:ac:11:00:01", null));
        EXPECTED.put("tags.server_tags -> customAttributes.serverTags", List.of("prod", "pci"));
        EXPECTED.put("tags.endpoint_tags -> customAttributes.endPointTags", List.of("web", "dmz"));
        EXPECTED.put("cves[].name -> finding[].externalFindingId", List.of("CVE-2024-3094", "CVE-2023-4863"));
        EXPECTED.put("cves[].name -> finding[].findingType.vulnerability.cveId", List.of("CVE-2024-3094", "CVE-2023-4863"));
        EXPECTED.put("cves[].name -> finding[].name", List.of("CVE-2024-3094", "CVE-2023-4863"));
        EXPECTED.put("cves[].severity -> finding[].severity", List.of(5, 4));
        EXPECTED.put("cves[].severity -> finding[].sourceSeverity", List.of("CRITICAL", "high"));
        EXPECTED.put("cves[].description -> finding[].description", List.of(XZ, WEBP));
        EXPECTED.put("cves[].publication_date -> finding[].firstFoundOn",
                List.of("2024-03-29T00:00:00.000Z", "2023-09-13T00:00:00.000Z"));
        EXPECTED.put("cves[].severity_score -> finding[].sourceRiskScore", List.of(10.0, 8.8));
        EXPECTED.put("cloud_provider -> asset.assetDetail.cloudInfo.provider", "AWS");
    }

    static Map<String, Object> resource(String name) {
        try (InputStream in = CortexXdrMapsTest.class.getResourceAsStream(RESOURCES + name)) {
            return JSON.readValue(in, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRowOfBothMapsPinsItsTargetValue() {
        Map<String, Object> endpoint = resource("synthetic-endpoint.json");
        return CortexXdrMaps.all().stream().flatMap(map -> {
            TransformOutcome outcome = TransformEngine.compile(map).apply(endpoint);
            Map<String, Object> record = outcome.record().orElseThrow(() -> new AssertionError(outcome.rejections()));
            return map.mappings().stream().map(row -> DynamicTest.dynamicTest(map.name() + ": " + key(row), () -> {
                if (!EXPECTED.containsKey(key(row))) {
                    fail("Row '" + key(row) + "' of " + map.name() + " has no pinned value in EXPECTED");
                }
                assertThat(valueAt(record, row.targetPath())).as(key(row)).isEqualTo(EXPECTED.get(key(row)));
            }));
        });
    }

    @Test
    void syntheticEndpointTransformsCleanlyAndValidates() {
        Map<String, Object> endpoint = resource("synthetic-endpoint.json");
        for (TransformMap map : CortexXdrMaps.all()) {
            TransformOutcome outcome = TransformEngine.compile(map).apply(endpoint);
            assertThat(outcome.warnings()).as(map.name()).isEmpty();
            assertThat(outcome.droppedFindings()).isZero();
            assertThat(ModelSchemas.problems("asset", outcome.record().orElseThrow())).as(map.name()).isEmpty();
            assertThat(outcome.record().get().get("_meta"))
                    .isEqualTo(Map.of("map", map.name(), "model", "asset", "modelVersion", "1.0.0"));
        }
    }

    @Test
    void anEndpointWhoseVulnerabilitiesAreUnknownGetsNoFindingButAFlagInMeta() {
        Map<String, Object> endpoint = new LinkedHashMap<>(resource("synthetic-endpoint.json"));
        endpoint.remove("cves");
        endpoint.put("_meta", Map.of("unknown", Map.of("finding", "partial XQL result")));

        TransformOutcome outcome = TransformEngine.compile(CortexXdrMaps.vulnerabilityMap()).apply(endpoint);

        Map<String, Object> record = outcome.record().orElseThrow(() -> new AssertionError(outcome.rejections()));
        assertThat(record).doesNotContainKey("finding").containsKey("hostName");
        assertThat(record.get("_meta")).isEqualTo(Map.of("map", CortexXdrMaps.VULNERABILITY_MAP, "model", "asset",
                "modelVersion", "1.0.0", "unknown", Map.of("finding", "partial XQL result")));
        assertThat(ModelSchemas.problems("asset", record)).isEmpty();
    }

    @Test
    void assetMapHasTheSpecsTwelveRows() {
        assertThat(CortexXdrMaps.assetMap().mappings()).extracting(CortexXdrMapsTest::key).containsExactly(
                "endpoint_id -> externalAssetId", "endpoint_name -> hostName", "operating_system -> operatingSystem.name",
                "os_version -> operatingSystem.version", "domain -> domain", "endpoint_type -> type",
                "first_seen -> firstFoundDate", "allIPs -> networkInterfaces[].ipv4Address",
                "ipv6 -> networkInterfaces[].ipv6Address", "mac_address[] -> networkInterfaces[].macAddress",
                "tags.server_tags -> customAttributes.serverTags", "tags.endpoint_tags -> customAttributes.endPointTags");
        assertThat(CortexXdrMaps.assetMap().mappings()).filteredOn(FieldMapping::required)
                .extracting(FieldMapping::targetPath).containsExactly("externalAssetId", "hostName");
        assertThat(CortexXdrMaps.assetMap().activeByDefault()).isFalse();
        assertThat(CortexXdrMaps.assetMap().sourceStream()).isEqualTo("assets");
        assertThat(CortexXdrMaps.assetMap().targetKind()).isEqualTo("asset");
    }

    @Test
    void vulnerabilityMapIsTheAssetRowsWithItsAddressesPlusCvesAndCloud() {
        List<String> expected = new ArrayList<>();
        for (FieldMapping row : CortexXdrMaps.assetMap().mappings()) {
            if (key(row).equals("allIPs -> networkInterfaces[].ipv4Address")) {
                expected.add("allIPs -> networkInterfaces[].ipAddress");
                expected.add("ip -> networkInterfaces[].ipv4Address");
            } else {
                expected.add(key(row));
            }
        }
        expected.addAll(List.of("cves[].name -> finding[].externalFindingId",
                "cves[].name -> finding[].findingType.vulnerability.cveId", "cves[].name -> finding[].name",
                "cves[].severity -> finding[].severity", "cves[].severity -> finding[].sourceSeverity",
                "cves[].description -> finding[].description", "cves[].publication_date -> finding[].firstFoundOn",
                "cves[].severity_score -> finding[].sourceRiskScore",
                "cloud_provider -> asset.assetDetail.cloudInfo.provider"));
        TransformMap vulnerability = CortexXdrMaps.vulnerabilityMap();
        assertThat(vulnerability.mappings()).extracting(CortexXdrMapsTest::key).containsExactlyElementsOf(expected);
        assertThat(vulnerability.mappings()).filteredOn(FieldMapping::required).extracting(FieldMapping::targetPath)
                .containsExactly("externalAssetId", "hostName", "finding[].externalFindingId");
        assertThat(vulnerability.activeByDefault()).isTrue();
        assertThat(vulnerability.name()).isEqualTo("Cortex XDR Vulnerability Transform Map");
    }

    @Test
    void dataToSyncChoosesTheActiveMap() {
        CortexXdrConnector connector = new CortexXdrConnector();
        String url = "https://api-tenant.xdr.eu.paloaltonetworks.com";

        assertThat(connector.transformMaps()).containsExactly(CortexXdrMaps.assetMap(), CortexXdrMaps.vulnerabilityMap(),
                CortexXdrEventMaps.incidentMap(), CortexXdrEventMaps.alertMap(), CortexXdrSoftwareMap.map());
        assertThat(connector.activeMaps(TestConfigs.config(url))).containsExactly(CortexXdrMaps.vulnerabilityMap());
        assertThat(connector.activeMaps(TestConfigs.config(url, "dataToSync", "assets-and-findings")))
                .containsExactly(CortexXdrMaps.vulnerabilityMap());
        assertThat(connector.activeMaps(TestConfigs.config(url, "dataToSync", "assets")))
                .containsExactly(CortexXdrMaps.assetMap());
        assertThat(connector.activeMaps(TestConfigs.config(url, "dataToSync", "none"))).isEmpty();
        assertThat(connector.activeMaps(TestConfigs.config(url, "dataToSync", "none", "events",
                List.of("alerts", "incidents")))).containsExactly(CortexXdrEventMaps.incidentMap(),
                CortexXdrEventMaps.alertMap());
        assertThat(connector.activeMaps(TestConfigs.config(url, "events", List.of("alerts"))))
                .containsExactly(CortexXdrMaps.vulnerabilityMap(), CortexXdrEventMaps.alertMap());
        assertThat(connector.activeMaps(TestConfigs.config(url, "dataToSync", "none", "software", true)))
                .containsExactly(CortexXdrSoftwareMap.map());
    }

    @Test
    void instanceOverridesApplyToTheActiveMap() throws Exception {
        CortexXdrConnector connector = new CortexXdrConnector();
        Map<String, Object> overrides = JSON.readValue("""
                {"Cortex XDR Asset Transform Map": {"rows": [{"source": "alias", "target": "customAttributes.alias"}]},
                 "Cortex XDR Vulnerability Transform Map": {"rows": [{"target": "domain", "remove": true}]}}""",
                new TypeReference<Map<String, Object>>() { });
        String url = "https://api-tenant.xdr.eu.paloaltonetworks.com";

        List<TransformMap> assets = TransformMapJson.activeMaps(connector, TestConfigs.config(url, "dataToSync", "assets"),
                overrides);
        List<TransformMap> vulnerabilities = TransformMapJson.activeMaps(connector, TestConfigs.config(url), overrides);

        assertThat(assets).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo(CortexXdrMaps.ASSET_MAP);
            assertThat(m.mappings()).hasSize(13);
            assertThat(m.rowsFor("customAttributes.alias")).hasSize(1);
        });
        assertThat(vulnerabilities).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo(CortexXdrMaps.VULNERABILITY_MAP);
            assertThat(m.rowsFor("domain")).isEmpty();
        });
    }

    @Test
    void bothMapsCompileAndShowAsJson() {
        for (TransformMap map : CortexXdrMaps.all()) {
            assertThat(TransformEngine.compile(map).modelVersion()).isEqualTo("1.0.0");
            assertThat(TransformMapJson.fromJson(TransformMapJson.toJson(map)))
                    .isEqualTo(map);
        }
    }

    // --- rejections -------------------------------------------------------------------------

    private final CompiledMap vulnerability = TransformEngine.compile(CortexXdrMaps.vulnerabilityMap());

    @Test
    void endpointWithoutIdIsRejectedByPosition() {
        Map<String, Object> endpoint = new HashMap<>(resource("synthetic-endpoint.json"));
        endpoint.remove("endpoint_id");

        TransformOutcome outcome = vulnerability.apply(endpoint, 4);

        assertThat(outcome.record()).isEmpty();
        assertThat(outcome.rejections()).containsExactly(
                "record #4 (no endpoint_id): required field 'endpoint_id' (-> externalAssetId) is missing");
    }

    @Test
    void endpointWithEmptyNameIsRejectedById() {
        Map<String, Object> endpoint = new HashMap<>(resource("synthetic-endpoint.json"));
        endpoint.put("endpoint_name", "");

        assertThat(vulnerability.apply(endpoint).rejections()).containsExactly(
                "record 4f3c0a1e9b7d4c2a8e6f5d3b1a0c9e8f: required field 'endpoint_name' (-> hostName) is empty");
    }

    @Test
    void cveWithoutNameIsDroppedAndCountedAssetKept() {
        Map<String, Object> endpoint = new HashMap<>(resource("synthetic-endpoint.json"));
        Map<String, Object> nameless = new HashMap<>();
        nameless.put("severity", "LOW");
        nameless.put("severity_score", 2.0);
        List<Object> cves = new ArrayList<>((List<?>) endpoint.get("cves"));
        cves.add(1, nameless);
        endpoint.put("cves", cves);

        TransformOutcome outcome = vulnerability.apply(endpoint);

        assertThat(outcome.rejected()).isFalse();
        assertThat(outcome.droppedFindings()).isEqualTo(1);
        assertThat(valueAt(outcome.record().orElseThrow(), "finding[].externalFindingId"))
                .isEqualTo(List.of("CVE-2024-3094", "CVE-2023-4863"));
        assertThat(outcome.warnings()).containsExactly("record 4f3c0a1e9b7d4c2a8e6f5d3b1a0c9e8f: finding[1] dropped:"
                + " required field 'cves[].name' (-> finding[].externalFindingId) is missing");
    }

    @Test
    void endpointWithoutCvesStillEmitsItsAsset() {
        Map<String, Object> endpoint = new HashMap<>(resource("synthetic-endpoint.json"));
        endpoint.put("cves", List.of());
        assertThat(vulnerability.apply(endpoint).record().orElseThrow()).containsEntry("finding", List.of());
        endpoint.remove("cves");
        assertThat(vulnerability.apply(endpoint).record().orElseThrow()).doesNotContainKey("finding")
                .containsKey("hostName");
    }

    static String key(FieldMapping row) {
        return row.sourcePath() + " -> " + row.targetPath();
    }

    /** The value at a target path; through {@code []}, the list of every element's value. */
    static Object valueAt(Map<String, Object> record, String path) {
        int array = path.indexOf("[]");
        if (array < 0) {
            return get(record, path);
        }
        Object list = get(record, path.substring(0, array));
        String rest = path.substring(array + 3);
        List<Object> values = new ArrayList<>();
        for (Object element : (List<?>) list) {
            values.add(get(element, rest));
        }
        return values;
    }

    private static Object get(Object node, String dotted) {
        Object current = node;
        for (String key : dotted.split("\\.")) {
            current = current instanceof Map<?, ?> m ? m.get(key) : null;
        }
        return current;
    }
}
