package org.connectorsdk.runtime.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.Converter;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.TransformMap;
import org.junit.jupiter.api.Test;

/** A connector's own converters: named {@code <id>:<name>}, visible to its maps alone, failing loudly. */
class PluginConvertersTest {
    private static final Converter STATUS = new Converter("status", "Acme's state as the finding model's status",
            value -> switch (value.toString()) {
                case "open" -> "Active";
                case "fixed" -> "Fixed";
                default -> throw new IllegalArgumentException("unknown state '" + value + "'");
            });
    private static final Converter SCORE = new Converter("riskScore", "Acme's '7/10' risk as a number",
            value -> Double.parseDouble(value.toString().split("/")[0]));

    private static final Connector ACME = connector("acme-edr", STATUS, SCORE);

    private static TransformMap.Builder findings() {
        return TransformMap.named("Acme Findings").from("findings").to("finding").required("id", "externalFindingId");
    }

    @Test
    void anInstanceOverrideMayNameItsConnectorsConverterButNoOneElses() {
        Map<String, Object> own = Map.of("Acme Findings", Map.of("rows", List.of(
                Map.of("source", "state", "target", "status", "converter", "acme-edr:status"))));
        Map<String, Object> foreign = Map.of("Acme Findings", Map.of("rows", List.of(
                Map.of("source", "state", "target", "status", "converter", "other-edr:status"))));

        TransformMap overridden = TransformMapJson.activeMaps(ACME, ACME.configSpec().bind(Map.of()), own).get(0);

        assertThat(TransformEngine.compile(overridden, ACME).apply(Map.of("id", "F-3", "state", "open")).record()
                .orElseThrow()).containsEntry("status", "Active");
        assertThatThrownBy(() -> TransformMapJson.activeMaps(ACME, ACME.configSpec().bind(Map.of()), foreign))
                .hasMessageStartingWith("transformMaps.'Acme Findings' (merge): Transform map 'Acme Findings', row 2"
                        + " (state -> status): converter 'other-edr:status' belongs to connector 'other-edr'");
    }

    @Test
    void aRowUsesItsConnectorsConverterByConnectorIdAndName() {
        CompiledMap map = TransformEngine.compile(findings()
                .optional("state", "status", "acme-edr:status")
                .optional("risks[]", "customAttributes.risks", "acme-edr:riskScore").build(), ACME);

        TransformOutcome out = map.apply(Map.of("id", "F-1", "state", "fixed", "risks", List.of("7/10", "2/10")));

        assertThat(out.rejections()).isEmpty();
        assertThat(out.record().orElseThrow()).containsEntry("status", "Fixed")
                .containsEntry("customAttributes", Map.of("risks", List.of(7.0, 2.0)));
        assertThat(ModelSchemas.problems("finding", out.record().orElseThrow())).isEmpty();
    }

    @Test
    void aConverterThatThrowsRejectsTheRecordNamingTheRowAndTheConverter() {
        CompiledMap map = TransformEngine.compile(findings().required("state", "status", "acme-edr:status").build(), ACME);

        TransformOutcome out = map.apply(Map.of("id", "F-2", "state", "snoozed"));

        assertThat(out.record()).isEmpty();
        assertThat(out.rejections()).containsExactly("record F-2: 'state' (-> status): converter 'acme-edr:status'"
                + " failed: IllegalArgumentException: unknown state 'snoozed'");
    }

    @Test
    void aConverterThatThrowsInsideAnArrayRejectsTheWholeRecord() {
        CompiledMap map = TransformEngine.compile(TransformMap.named("Acme Assets").from("assets").to("asset")
                .required("id", "externalAssetId").required("name", "hostName")
                .required("vulns[].id", "finding[].externalFindingId")
                .optional("vulns[].state", "finding[].status", "acme-edr:status").build(), ACME);

        TransformOutcome out = map.apply(Map.of("id", "A-1", "name", "web-1",
                "vulns", List.of(Map.of("id", "V-1", "state", "open"), Map.of("id", "V-2", "state", "??"))));

        assertThat(out.record()).isEmpty();
        assertThat(out.rejections()).containsExactly("record A-1: 'vulns[].state' (-> finding[].status) [1]:"
                + " converter 'acme-edr:status' failed: IllegalArgumentException: unknown state '??'");
    }

    @Test
    void anUnknownNameOfTheConnectorFailsTheCompileListingWhatIsKnown() {
        assertCompileFails(findings().optional("state", "status", "acme-edr:stat").build(), ACME,
                "Transform map 'Acme Findings', row 2 (state -> status): unknown converter 'acme-edr:stat' (known:"
                        + " afterLastColon, beforeLastColon, epochMillisToIso, eventStatus, isoDateTime, jsonString,"
                        + " mitreId, mitreName, severity, toArray, toNumber, toText, trimEmptyToNull, acme-edr:riskScore,"
                        + " acme-edr:status)");
    }

    @Test
    void anotherConnectorsConverterIsNotVisible() {
        Connector other = connector("other-edr");
        assertCompileFails(findings().optional("state", "status", "acme-edr:status").build(), other,
                "Transform map 'Acme Findings', row 2 (state -> status): converter 'acme-edr:status' belongs to"
                        + " connector 'acme-edr', and a map sees only the built-in converters and its own connector's"
                        + " ('other-edr'; known: afterLastColon, beforeLastColon, epochMillisToIso, eventStatus,"
                        + " isoDateTime, jsonString, mitreId, mitreName, severity, toArray, toNumber, toText,"
                        + " trimEmptyToNull)");
    }

    @Test
    void withoutItsConnectorAMapCannotNameAPluginConverter() {
        assertThatThrownBy(() -> TransformEngine.compile(findings().optional("state", "status", "acme-edr:status").build()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.getMessage()).contains("(this map was compiled without its connector;");
                    assertThat(e.remediation()).contains(
                            "Compile the map with its connector: TransformEngine.compile(map, connector)");
                });
    }

    @Test
    void twoConvertersOfOneNameAreRefused() {
        Connector twice = connector("acme-edr", STATUS, new Converter("status", "again", value -> value));
        assertCompileFails(findings().build(), twice, "Connector 'acme-edr' declares two converters named 'status'");
    }

    @Test
    void theConverterListHasTheBuiltInsThenTheConnectorsOwnWithDescriptions() {
        Map<String, String> converters = TransformEngine.converters(ACME);

        assertThat(converters.keySet()).startsWith("afterLastColon").endsWith("trimEmptyToNull", "acme-edr:riskScore",
                "acme-edr:status");
        assertThat(converters).containsEntry("acme-edr:status", "Acme's state as the finding model's status")
                .containsEntry("trimEmptyToNull", "trims text; empty text is absent");
        assertThat(converters.values()).allSatisfy(d -> assertThat(d).isNotBlank().doesNotContain("\n"));
    }

    @Test
    void aConverterNameIsOneWordWithoutTheConnectorId() {
        assertThatThrownBy(() -> new Converter("acme-edr:status", "x", v -> v))
                .hasMessage("Invalid converter name: 'acme-edr:status' (expected [a-z][A-Za-z0-9]*, e.g. riskScore;"
                        + " rows add the connector's id: <connector id>:acme-edr_status)");
        assertThatThrownBy(() -> new Converter("status", "two\nlines", v -> v))
                .hasMessage("Converter 'status' needs a description of one line, not 'two\nlines'");
    }

    private static void assertCompileFails(TransformMap map, Connector connector, String message) {
        assertThatThrownBy(() -> TransformEngine.compile(map, connector))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    private static Connector connector(String id, Converter... converters) {
        return new Connector() {
            @Override
            public ConnectorDescriptor descriptor() {
                return new ConnectorDescriptor(id, "Test", "Test", "Testing", "1.0.0", List.of(), "memory",
                        "Unidirectional", Set.of());
            }

            @Override
            public ConfigSpec configSpec() {
                return ConfigSpec.of();
            }

            @Override
            public List<ConnectionCheck> connectionChecks() {
                return List.of();
            }

            @Override
            public List<StreamSpec> streams() {
                return List.of(StreamSpec.full("findings", "Findings", "id"));
            }

            @Override
            public List<TransformMap> transformMaps() {
                return List.of(findings().build());
            }

            @Override
            public List<Converter> converters() {
                return List.of(converters);
            }

            @Override
            public StreamReader open(ConnectorConfig config, ConnectorContext context) {
                throw new UnsupportedOperationException("never read: the test compiles maps only");
            }
        };
    }
}
