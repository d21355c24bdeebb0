package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.connectorsdk.api.TransformMap;
import org.junit.jupiter.api.Test;

/** Rows reading one element field share the lookup and, when unreported, the conversion. */
class SharedElementReadsTest {

    private static final TransformMap MAP = TransformMap.named("Shared").from("assets").to("asset")
            .required("endpoint_id", "externalAssetId")
            .required("endpoint_name", "hostName")
            .required("cves[].name", "finding[].externalFindingId", "trimEmptyToNull")
            .optional("cves[].name", "finding[].name", "trimEmptyToNull")
            .optional("cves[].name", "finding[].findingType.vulnerability.cveId")
            .optional("cves[].publication_date", "finding[].firstFoundOn", "epochMillisToIso")
            .optional("cves[].publication_date", "finding[].description", "epochMillisToIso")
            .build();

    private static Map<String, Object> endpoint(List<Map<String, Object>> cves) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("endpoint_id", "aaa111");
        e.put("endpoint_name", "web-1");
        e.put("cves", cves);
        return e;
    }

    @Test
    void rowsSharingAFieldGetTheirOwnConverterOutput() {
        TransformOutcome out = TransformEngine.compile(MAP).apply(endpoint(List.of(
                Map.of("name", " CVE-2024-1 ", "publication_date", 1575795969644L))));

        Map<?, ?> finding = (Map<?, ?>) ((List<?>) out.record().orElseThrow().get("finding")).get(0);
        assertThat(finding.get("externalFindingId")).isEqualTo("CVE-2024-1");
        assertThat(finding.get("name")).isEqualTo("CVE-2024-1");
        // no converter: the raw value, untrimmed
        assertThat(((Map<?, ?>) ((Map<?, ?>) finding.get("findingType")).get("vulnerability")).get("cveId"))
                .isEqualTo(" CVE-2024-1 ");
        assertThat(finding.get("firstFoundOn")).isEqualTo("2019-12-08T09:06:09.644Z");
        assertThat(finding.get("description")).isEqualTo("2019-12-08T09:06:09.644Z");
    }

    @Test
    void aReportedConversionIsReportedForEveryRowThatAsksForIt() {
        TransformOutcome out = TransformEngine.compile(MAP).apply(endpoint(List.of(
                Map.of("name", "CVE-2024-1", "publication_date", "soon"),
                Map.of("name", "CVE-2024-2", "publication_date", 1575795969644L))));

        assertThat(out.warnings()).containsExactly(
                "record aaa111: 'cves[].publication_date' (-> finding[].firstFoundOn) [0]: 'soon' is not epoch"
                        + " milliseconds",
                "record aaa111: 'cves[].publication_date' (-> finding[].description) [0]: 'soon' is not epoch"
                        + " milliseconds");
        List<?> findings = (List<?>) out.record().orElseThrow().get("finding");
        assertThat(((Map<?, ?>) findings.get(0)).keySet().toString()).isEqualTo("[externalFindingId, name, findingType]");
        assertThat(((Map<?, ?>) findings.get(1)).get("description")).isEqualTo("2019-12-08T09:06:09.644Z");
    }

    @Test
    void aMissingSharedRequiredValueDropsTheElement() {
        TransformOutcome out = TransformEngine.compile(MAP).apply(endpoint(List.of(
                Map.of("name", "  "), Map.of("name", "CVE-2024-2"))));

        assertThat(out.droppedFindings()).isEqualTo(1);
        assertThat((List<?>) out.record().orElseThrow().get("finding")).hasSize(1);
    }
}
