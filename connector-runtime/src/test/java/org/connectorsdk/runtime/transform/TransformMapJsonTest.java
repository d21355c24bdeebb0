package org.connectorsdk.runtime.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.FieldMapping;
import org.connectorsdk.api.TransformMap;
import org.junit.jupiter.api.Test;

class TransformMapJsonTest {
    private static final TransformMap MAP = TransformMap.named("Asset Map").from("assets").to("asset")
            .activeByDefault(false)
            .required("endpoint_id", "externalAssetId")
            .required("endpoint_name", "hostName")
            .optional("domain", "domain", "trimEmptyToNull")
            .optional("first_seen", "firstFoundDate", "epochMillisToIso")
            .build();
    private static final TransformMap OTHER = TransformMap.named("Other Map").from("assets").to("asset")
            .required("id", "externalAssetId").required("name", "hostName").build();

    private static List<TransformMap> override(String json) throws Exception {
        return TransformMapJson.applyOverrides(List.of(MAP, OTHER), new ObjectMapper().readTree(json));
    }

    private static void assertOverrideFails(String json, String message) {
        assertThatThrownBy(() -> override(json))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
                .hasMessage(message);
    }

    @Test
    void showsAMapAsJson() {
        assertThat(TransformMapJson.toJson(MAP).replaceAll("\\s+", "")).isEqualTo(
                "{\"name\":\"AssetMap\",\"sourceStream\":\"assets\",\"targetKind\":\"asset\",\"activeByDefault\":false,"
                        + "\"rows\":[{\"source\":\"endpoint_id\",\"target\":\"externalAssetId\",\"required\":true},"
                        + "{\"source\":\"endpoint_name\",\"target\":\"hostName\",\"required\":true},"
                        + "{\"source\":\"domain\",\"target\":\"domain\",\"required\":false,\"converter\":\"trimEmptyToNull\"},"
                        + "{\"source\":\"first_seen\",\"target\":\"firstFoundDate\",\"required\":false,"
                        + "\"converter\":\"epochMillisToIso\"}]}");
    }

    @Test
    void readsBackWhatItShows() {
        assertThat(TransformMapJson.fromJson(TransformMapJson.toJson(MAP))).isEqualTo(MAP);
    }

    @Test
    void mergeReplacesRowsInPlaceAddsNewOnesAndRemoves() throws Exception {
        List<TransformMap> maps = override("""
                {"Asset Map": {"mode": "merge", "rows": [
                  {"source": "host_name", "target": "hostName", "required": true},
                  {"source": "alias", "target": "customAttributes.alias", "converter": "trimEmptyToNull"},
                  {"target": "domain", "remove": true}]}}""");

        assertThat(maps).hasSize(2);
        assertThat(maps.get(1)).isSameAs(OTHER);
        TransformMap merged = maps.get(0);
        assertThat(merged.name()).isEqualTo("Asset Map");
        assertThat(merged.activeByDefault()).isFalse();
        assertThat(merged.mappings()).containsExactly(
                new FieldMapping("endpoint_id", "externalAssetId", true, Optional.empty()),
                new FieldMapping("host_name", "hostName", true, Optional.empty()),
                new FieldMapping("first_seen", "firstFoundDate", false, Optional.of("epochMillisToIso")),
                new FieldMapping("alias", "customAttributes.alias", false, Optional.of("trimEmptyToNull")));
        assertThat(TransformEngine.compile(merged).apply(Map.of("endpoint_id", "1", "host_name", "h", "alias", "a"))
                .record().orElseThrow()).containsEntry("hostName", "h").containsEntry("customAttributes", Map.of("alias", "a"));
    }

    @Test
    void mergeIsTheDefaultMode() throws Exception {
        List<TransformMap> maps = override("{\"Other Map\": {\"rows\": [{\"source\": \"d\", \"target\": \"domain\"}]}}");
        assertThat(maps.get(1).mappings()).hasSize(3);
    }

    @Test
    void replaceRowsMakesTheGivenRowsTheTable() throws Exception {
        List<TransformMap> maps = override("""
                {"Asset Map": {"mode": "replace-rows", "rows": [
                  {"source": "id", "target": "externalAssetId", "required": true},
                  {"source": "fqdn", "target": "hostName", "required": true}]}}""");

        assertThat(maps.get(0).mappings()).containsExactly(
                new FieldMapping("id", "externalAssetId", true, Optional.empty()),
                new FieldMapping("fqdn", "hostName", true, Optional.empty()));
    }

    @Test
    void overriddenRowsAreValidatedAgainstTheModelAtLoad() {
        assertOverrideFails("{\"Asset Map\": {\"rows\": [{\"source\": \"x\", \"target\": \"customAttrs.x\"}]}}",
                "transformMaps.'Asset Map' (merge): Transform map 'Asset Map', row 5 (x -> customAttrs.x): target"
                        + " 'customAttrs' is not a field of the asset model 1.0.0 (fields there: externalAssetId, hostName,"
                        + " operatingSystem, domain, type, firstFoundDate, networkInterfaces, customAttributes, asset,"
                        + " finding)");
        assertOverrideFails("{\"Asset Map\": {\"rows\": [{\"source\": \"d\", \"target\": \"domain\", \"converter\": \"upper\"}]}}",
                "transformMaps.'Asset Map' (merge): Transform map 'Asset Map', row 3 (d -> domain): unknown converter"
                        + " 'upper' (known: afterLastColon, beforeLastColon, epochMillisToIso, eventStatus, isoDateTime, jsonString,"
                        + " mitreId, mitreName, severity, toArray, toNumber, toText, trimEmptyToNull)");
        assertOverrideFails("""
                {"Asset Map": {"mode": "replace-rows", "rows": [{"source": "id", "target": "externalAssetId", "required": true}]}}""",
                "transformMaps.'Asset Map' (replace-rows): Transform map 'Asset Map' has no required row writing"
                        + " 'hostName', which the asset model requires");
    }

    @Test
    void malformedOverridesNameTheProblem() {
        assertOverrideFails("{\"Nope\": {\"rows\": []}}",
                "transformMaps.'Nope' names no map of this connector (maps: Asset Map, Other Map)");
        assertOverrideFails("{\"Asset Map\": {\"mode\": \"append\", \"rows\": []}}",
                "transformMaps.'Asset Map'.mode is 'append' (expected merge or replace-rows)");
        assertOverrideFails("{\"Asset Map\": {\"row\": []}}",
                "transformMaps.'Asset Map' has an unknown key 'row' (allowed: mode, rows)");
        assertOverrideFails("{\"Asset Map\": {\"rows\": [{\"source\": \"x\"}]}}",
                "transformMaps.'Asset Map'.rows[0] is missing 'target'");
        assertOverrideFails("{\"Asset Map\": {\"rows\": [{\"source\": \"x\", \"target\": \"domain\", \"required\": \"yes\"}]}}",
                "transformMaps.'Asset Map'.rows[0].required must be true or false, not yes");
        assertOverrideFails("{\"Asset Map\": {\"rows\": [{\"target\": \"type\", \"remove\": true}]}}",
                "transformMaps.'Asset Map'.rows[0]: no row writes 'type', nothing to remove");
        assertOverrideFails("{\"Asset Map\": []}", "transformMaps.'Asset Map' must be a JSON object");
    }

    @Test
    void noOverridesKeepTheMaps() throws Exception {
        assertThat(override("{}")).containsExactly(MAP, OTHER);
        assertThat(TransformMapJson.applyOverrides(List.of(MAP), new ObjectMapper().nullNode())).containsExactly(MAP);
    }
}
