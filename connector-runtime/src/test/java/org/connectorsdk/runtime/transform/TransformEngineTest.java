package org.connectorsdk.runtime.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.TransformMap;
import org.junit.jupiter.api.Test;

class TransformEngineTest {

    static final TransformMap MAP = TransformMap.named("Test Map").from("assets").to("asset")
            .required("endpoint_id", "externalAssetId")
            .required("endpoint_name", "hostName")
            .optional("os.name", "operatingSystem.name")
            .optional("first_seen", "firstFoundDate", "epochMillisToIso")
            .optional("allIPs", "networkInterfaces[].ipAddress", "toArray")
            .optional("ipv6", "networkInterfaces[].ipv6Address")
            .optional("mac_address[]", "networkInterfaces[].macAddress")
            .optional("tags.server_tags", "customAttributes.serverTags", "toArray")
            .required("cves[].name", "finding[].externalFindingId")
            .optional("cves[].severity", "finding[].severity", "severity")
            .optional("cves[].severity", "finding[].sourceSeverity")
            .optional("cves[].publication_date", "finding[].firstFoundOn", "epochMillisToIso")
            .optional("cves[].severity_score", "finding[].sourceRiskScore")
            .optional("cloud_provider", "asset.assetDetail.cloudInfo.provider")
            .build();

    private final CompiledMap compiled = TransformEngine.compile(MAP);

    private static Map<String, Object> endpoint() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("endpoint_id", "aaa111");
        e.put("endpoint_name", "web-1");
        return e;
    }

    private static Map<String, Object> cve(String name, String severity) {
        Map<String, Object> c = new HashMap<>();
        c.put("name", name);
        c.put("severity", severity);
        return c;
    }

    @Test
    void writesNestedFieldsAndProvenance() {
        Map<String, Object> e = endpoint();
        e.put("os", Map.of("name", "Ubuntu"));
        e.put("first_seen", 1575795969644L);
        e.put("tags", Map.of("server_tags", "prod, dmz"));
        e.put("cloud_provider", "AWS");

        TransformOutcome out = compiled.apply(e);

        assertThat(out.rejections()).isEmpty();
        assertThat(out.record()).contains(Map.of(
                "externalAssetId", "aaa111",
                "hostName", "web-1",
                "operatingSystem", Map.of("name", "Ubuntu"),
                "firstFoundDate", "2019-12-08T09:06:09.644Z",
                "customAttributes", Map.of("serverTags", List.of("prod", "dmz")),
                "asset", Map.of("assetDetail", Map.of("cloudInfo", Map.of("provider", "AWS"))),
                "_meta", Map.of("map", "Test Map", "model", "asset", "modelVersion", "1.0.0")));
        assertThat(out.record().get().keySet()).containsExactly("externalAssetId", "hostName", "operatingSystem",
                "firstFoundDate", "customAttributes", "asset", "_meta");
        assertThat(ModelSchemas.problems("asset", out.record().get())).isEmpty();
    }

    @Test
    void missingOptionalFieldsAreLeftOutNotNull() {
        Map<String, Object> e = endpoint();
        e.put("os", null);
        e.put("first_seen", null);
        e.put("cloud_provider", null);

        Map<String, Object> record = compiled.apply(e).record().orElseThrow();

        assertThat(record).containsOnlyKeys("externalAssetId", "hostName", "_meta");
    }

    @Test
    void oneFindingPerCveWithRowsSharingTheSourceArray() {
        Map<String, Object> e = endpoint();
        Map<String, Object> first = cve("CVE-2024-3094", "CRITICAL");
        first.put("publication_date", 1711929600000L);
        first.put("severity_score", 10.0);
        e.put("cves", List.of(first, cve("CVE-2023-4863", "high")));

        TransformOutcome out = compiled.apply(e);

        assertThat(out.record().orElseThrow().get("finding")).isEqualTo(List.of(
                Map.of("externalFindingId", "CVE-2024-3094", "severity", 5, "sourceSeverity", "CRITICAL",
                        "firstFoundOn", "2024-04-01T00:00:00.000Z", "sourceRiskScore", 10.0),
                Map.of("externalFindingId", "CVE-2023-4863", "severity", 4, "sourceSeverity", "high")));
        assertThat(out.droppedFindings()).isZero();
        assertThat(ModelSchemas.problems("asset", out.record().get())).isEmpty();
    }

    @Test
    void sourceArraysFillInterfacesByIndexAsLongAsTheLongest() {
        Map<String, Object> e = endpoint();
        e.put("allIPs", List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"));
        e.put("ipv6", List.of("fe80::1"));
        e.put("mac_address", List.of("00:11:22:33:44:55", "66:77:88:99:aa:bb"));

        Object interfaces = compiled.apply(e).record().orElseThrow().get("networkInterfaces");

        assertThat(interfaces).isEqualTo(List.of(
                Map.of("ipAddress", "10.0.0.1", "ipv6Address", "fe80::1", "macAddress", "00:11:22:33:44:55"),
                Map.of("ipAddress", "10.0.0.2", "macAddress", "66:77:88:99:aa:bb"),
                Map.of("ipAddress", "10.0.0.3")));
    }

    @Test
    void commaJoinedStringIsSplitBeforeItFansOutAndSingleValueFillsElementZero() {
        Map<String, Object> e = endpoint();
        e.put("allIPs", "10.0.0.1, 10.0.0.2");
        e.put("ipv6", "fe80::1");

        Object interfaces = compiled.apply(e).record().orElseThrow().get("networkInterfaces");

        assertThat(interfaces).isEqualTo(List.of(Map.of("ipAddress", "10.0.0.1", "ipv6Address", "fe80::1"),
                Map.of("ipAddress", "10.0.0.2")));
    }

    @Test
    void elementsWithoutAnyValueAreNotWritten() {
        Map<String, Object> e = endpoint();
        e.put("mac_address", java.util.Arrays.asList(null, "66:77:88:99:aa:bb"));

        assertThat(compiled.apply(e).record().orElseThrow().get("networkInterfaces"))
                .isEqualTo(List.of(Map.of("macAddress", "66:77:88:99:aa:bb")));
    }

    @Test
    void emptySourceArrayGivesEmptyFindingsAbsentSourceGivesNone() {
        Map<String, Object> none = endpoint();
        none.put("cves", List.of());
        assertThat(compiled.apply(none).record().orElseThrow()).containsEntry("finding", List.of());
        assertThat(compiled.apply(endpoint()).record().orElseThrow()).doesNotContainKey("finding");
    }

    @Test
    void missingRequiredFieldRejectsWithFieldAndId() {
        Map<String, Object> e = endpoint();
        e.remove("endpoint_name");

        TransformOutcome out = compiled.apply(e);

        assertThat(out.rejected()).isTrue();
        assertThat(out.rejections()).containsExactly(
                "record aaa111: required field 'endpoint_name' (-> hostName) is missing");
    }

    @Test
    void emptyRequiredFieldRejects() {
        Map<String, Object> e = endpoint();
        e.put("endpoint_name", "  ");

        assertThat(compiled.apply(e).rejections()).containsExactly(
                "record aaa111: required field 'endpoint_name' (-> hostName) is empty");
    }

    @Test
    void missingIdNamesTheRecordByPosition() {
        Map<String, Object> e = new HashMap<>();
        e.put("endpoint_name", "web-1");

        assertThat(compiled.apply(e, 7).rejections()).containsExactly(
                "record #7 (no endpoint_id): required field 'endpoint_id' (-> externalAssetId) is missing");
        assertThat(compiled.apply(e).rejections()).containsExactly(
                "record without endpoint_id: required field 'endpoint_id' (-> externalAssetId) is missing");
    }

    @Test
    void everyMissingRequiredFieldIsNamed() {
        assertThat(compiled.apply(Map.of(), 1).rejections()).containsExactly(
                "record #1 (no endpoint_id): required field 'endpoint_id' (-> externalAssetId) is missing",
                "record #1 (no endpoint_id): required field 'endpoint_name' (-> hostName) is missing");
    }

    @Test
    void cveWithoutNameIsDroppedAndCountedAssetKept() {
        Map<String, Object> e = endpoint();
        e.put("cves", List.of(cve("CVE-2024-3094", "critical"), cve(null, "low"), cve("", "low")));

        TransformOutcome out = compiled.apply(e);

        assertThat(out.rejected()).isFalse();
        assertThat(out.droppedFindings()).isEqualTo(2);
        assertThat((List<?>) out.record().orElseThrow().get("finding")).hasSize(1);
        assertThat(out.warnings()).containsExactly(
                "record aaa111: finding[1] dropped: required field 'cves[].name' (-> finding[].externalFindingId) is missing",
                "record aaa111: finding[2] dropped: required field 'cves[].name' (-> finding[].externalFindingId) is empty");
    }

    @Test
    void unknownSeverityIsLeftOutAndReported() {
        Map<String, Object> e = endpoint();
        e.put("cves", List.of(cve("CVE-2024-1", "urgent")));

        TransformOutcome out = compiled.apply(e);

        assertThat(out.record().orElseThrow().get("finding"))
                .isEqualTo(List.of(Map.of("externalFindingId", "CVE-2024-1", "sourceSeverity", "urgent")));
        assertThat(out.warnings()).containsExactly("record aaa111: 'cves[].severity' (-> finding[].severity) [0]: "
                + "unknown severity 'urgent' (known: info, low, medium, high, critical), left out");
        assertThat(ModelSchemas.problems("asset", out.record().get())).isEmpty();
    }

    @Test
    void sourceArrayIntoScalarTargetCollects() {
        TransformMap map = TransformMap.named("Collect").from("assets").to("asset")
                .required("id", "externalAssetId").required("name", "hostName")
                .optional("groups[].tag", "customAttributes.endPointTags", "trimEmptyToNull").build();
        Map<String, Object> src = Map.of("id", "1", "name", "h", "groups",
                List.of(Map.of("tag", "a"), Map.of("tag", " "), Map.of("other", 1), Map.of("tag", "b")));

        assertThat(TransformEngine.compile(map).apply(src).record().orElseThrow().get("customAttributes"))
                .isEqualTo(Map.of("endPointTags", List.of("a", "b")));
    }

    @Test
    void openCustomAttributesAcceptAnyField() {
        TransformMap map = TransformMap.named("Open").from("assets").to("asset")
                .required("id", "externalAssetId").required("name", "hostName")
                .optional("operational_status_description", "customAttributes.operationalStatus", "jsonString").build();
        Map<String, Object> src = Map.of("id", "1", "name", "h", "operational_status_description",
                "{\"reasons\":[\"not protected\"]}");

        Map<String, Object> record = TransformEngine.compile(map).apply(src).record().orElseThrow();

        assertThat(record.get("customAttributes")).isEqualTo(Map.of("operationalStatus", Map.of("reasons", List.of("not protected"))));
        assertThat(ModelSchemas.problems("asset", record)).isEmpty();
    }

    @Test
    void compiledMapKeepsItsSourceMapAndModelVersion() {
        assertThat(compiled.map()).isSameAs(MAP);
        assertThat(compiled.modelKind()).isEqualTo("asset");
        assertThat(compiled.modelVersion()).isEqualTo("1.0.0");
    }

    @Test
    void findingIsAlsoATopLevelModel() {
        TransformMap map = TransformMap.named("Findings").from("vulns").to("finding")
                .required("cve", "externalFindingId")
                .optional("sev", "severity", "severity")
                .optional("score", "sourceRiskScore", "toNumber")
                .build();

        Map<String, Object> record = TransformEngine.compile(map)
                .apply(Map.of("cve", "CVE-2024-3094", "sev", "SEV_050_CRITICAL", "score", "10.0")).record().orElseThrow();

        assertThat(record).isEqualTo(Map.of("externalFindingId", "CVE-2024-3094", "severity", 5, "sourceRiskScore", 10.0,
                "_meta", Map.of("map", "Findings", "model", "finding", "modelVersion", "1.0.0")));
        assertThat(ModelSchemas.problems("finding", record)).isEmpty();
    }

    @Test
    void schemaRejectsWhatTheModelForbids() {
        // guards the validator itself: a record the engine could never emit fails validation
        assertThat(ModelSchemas.problems("asset", Map.of("externalAssetId", "1", "hostName", "h", "bogus", 1,
                "_meta", Map.of("map", "m", "model", "asset", "modelVersion", "1.0.0")))).isNotEmpty();
        assertThat(ModelSchemas.problems("asset", Map.of("externalAssetId", "1", "hostName", "h",
                "firstFoundDate", "yesterday", "_meta", Map.of("map", "m", "model", "asset", "modelVersion", "1.0.0"))))
                .isNotEmpty();
        assertThat(ModelSchemas.problems("asset", Map.of("externalAssetId", "1", "hostName", "h",
                "finding", List.of(Map.of("externalFindingId", "x", "severity", 6)),
                "_meta", Map.of("map", "m", "model", "asset", "modelVersion", "1.0.0")))).isNotEmpty();
    }

    // --- load-time errors -------------------------------------------------------------------

    private static TransformMap.Builder base() {
        return TransformMap.named("Bad").from("assets").to("asset")
                .required("id", "externalAssetId").required("name", "hostName");
    }

    private static void assertCompileFails(TransformMap map, String message) {
        assertThatThrownBy(() -> TransformEngine.compile(map))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
                .hasMessage(message);
    }

    @Test
    void unknownConverterFailsAtCompile() {
        assertCompileFails(base().optional("first_seen", "firstFoundDate", "epochToIso").build(),
                "Transform map 'Bad', row 3 (first_seen -> firstFoundDate): unknown converter 'epochToIso' (known: "
                        + "afterLastColon, beforeLastColon, epochMillisToIso, eventStatus, isoDateTime, jsonString, mitreId, mitreName,"
                        + " severity, toArray, toNumber, toText, trimEmptyToNull)");
    }

    @Test
    void targetOutsideTheModelFailsAtCompile() {
        assertCompileFails(base().optional("x", "hostname").build(),
                "Transform map 'Bad', row 3 (x -> hostname): target 'hostname' is not a field of the asset model 1.0.0"
                        + " (fields there: externalAssetId, hostName, operatingSystem, domain, type, firstFoundDate,"
                        + " networkInterfaces, customAttributes, asset, finding)");
        assertCompileFails(base().optional("x", "operatingSystem.build").build(),
                "Transform map 'Bad', row 3 (x -> operatingSystem.build): target 'operatingSystem.build' is not a field"
                        + " of the asset model 1.0.0 (fields there: name, version)");
        assertCompileFails(base().required("cves[].x", "finding[].cve").build(),
                "Transform map 'Bad', row 3 (cves[].x -> finding[].cve): target 'finding[].cve' is not a field of the"
                        + " asset model 1.0.0 (fields there: externalFindingId, findingType, name, severity, sourceSeverity,"
                        + " description, firstFoundOn, sourceRiskScore)");
    }

    @Test
    void arrayMarkersMustMatchTheModel() {
        assertCompileFails(base().optional("mac", "networkInterfaces.macAddress").build(),
                "Transform map 'Bad', row 3 (mac -> networkInterfaces.macAddress): target 'networkInterfaces' is an"
                        + " array of objects: write 'networkInterfaces[]' and a field");
        assertCompileFails(base().optional("d[]", "domain[]").build(),
                "Transform map 'Bad', row 3 (d[] -> domain[]): target 'domain' is not an array in the asset model");
        assertCompileFails(base().optional("t[]", "customAttributes.serverTags[]").build(),
                "Transform map 'Bad', row 3 (t[] -> customAttributes.serverTags[]): target 'customAttributes.serverTags'"
                        + " is an array of values: write 'customAttributes.serverTags' without [] (it takes the whole array)");
        assertCompileFails(base().optional("n", "networkInterfaces[]").build(),
                "Transform map 'Bad', row 3 (n -> networkInterfaces[]): target 'networkInterfaces[]' needs a field of its"
                        + " elements after it");
        assertCompileFails(base().optional("o", "operatingSystem").build(),
                "Transform map 'Bad', row 3 (o -> operatingSystem): target 'operatingSystem' is an object: map its"
                        + " fields (name, version)");
    }

    @Test
    void metaCannotBeMapped() {
        assertCompileFails(base().optional("m", "_meta.map").build(),
                "Transform map 'Bad', row 3 (m -> _meta.map): target '_meta' is written by the engine and cannot be mapped");
    }

    @Test
    void malformedPathsFailAtCompile() {
        assertCompileFails(base().optional("a..b", "domain").build(),
                "Transform map 'Bad', row 3 (a..b -> domain): malformed source path 'a..b' at ''");
        assertCompileFails(base().optional("a[].b[].c", "domain").build(),
                "Transform map 'Bad', row 3 (a[].b[].c -> domain): source path 'a[].b[].c' has 2 [] (at most one is supported)");
    }

    @Test
    void twoRowsCannotWriteOneTarget() {
        assertCompileFails(base().optional("a", "domain").optional("b", "domain").build(),
                "Transform map 'Bad', row 4 (b -> domain): target 'domain' is already written by another row");
    }

    @Test
    void modelRequiredFieldsNeedARequiredRow() {
        assertCompileFails(TransformMap.named("Bad").from("assets").to("asset").required("id", "externalAssetId")
                        .optional("name", "hostName").build(),
                "Transform map 'Bad' has no required row writing 'hostName', which the asset model requires");
        assertCompileFails(base().optional("cves[].name", "finding[].name").build(),
                "Transform map 'Bad' writes 'finding[]' without a required row for 'finding[].externalFindingId', which"
                        + " the asset model requires of every element");
    }

    @Test
    void unknownTargetKindFailsAtCompile() {
        assertCompileFails(TransformMap.named("Tix").from("tickets").to("ticket").required("id", "id").build(),
                "Transform map 'Tix' targets 'ticket', which has no target model (known: asset, finding, incident,"
                        + " detection, software)");
    }

    @Test
    void compileErrorsCarryARemediation() {
        assertThatThrownBy(() -> TransformEngine.compile(base().optional("x", "nope").build()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.remediation().orElseThrow())
                        .startsWith("Map to a field of the asset model 1.0.0: externalAssetId, hostName, operatingSystem.name,"));
    }

    @Test
    void targetPathsListEveryMappableField() {
        assertThat(TransformEngine.targetPaths("asset")).containsExactly("externalAssetId", "hostName",
                "operatingSystem.name", "operatingSystem.version", "domain", "type", "firstFoundDate",
                "networkInterfaces[].ipAddress", "networkInterfaces[].ipv4Address", "networkInterfaces[].ipv6Address",
                "networkInterfaces[].macAddress", "customAttributes.serverTags", "customAttributes.endPointTags",
                "customAttributes.*", "asset.assetDetail.cloudInfo.provider", "finding[].externalFindingId",
                "finding[].findingType.vulnerability.cveId", "finding[].name", "finding[].severity",
                "finding[].sourceSeverity", "finding[].description", "finding[].firstFoundOn",
                "finding[].sourceRiskScore");
        assertThat(TransformEngine.modelVersion("asset")).contains("1.0.0");
        assertThat(TransformEngine.modelVersion("finding")).contains("1.0.0");
    }
}
