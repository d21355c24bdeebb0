package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import org.connectorsdk.api.Capability;
import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.StreamSpec;

class CortexXdrConnectorTest {
    private static final String URL = "https://api-cortex-xdr-qualys-tenant2.xdr.us.paloaltonetworks.com";
    private final CortexXdrConnector connector = new CortexXdrConnector();

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(Connector.class).stream().map(p -> p.get().descriptor().id()))
                .contains("cortex-xdr");
    }

    @Test
    void descriptorIsTheConnectorDetailsTable() {
        var d = connector.descriptor();
        assertThat(d.id()).isEqualTo("cortex-xdr");
        assertThat(d.vendor()).isEqualTo("Palo Alto Networks");
        assertThat(d.product()).isEqualTo("Cortex XDR");
        assertThat(d.category()).isEqualTo("Endpoint Security");
        assertThat(d.version()).isEqualTo("1.0.0");
        assertThat(d.assetTypes()).containsExactly("Host assets (compute)");
        assertThat(d.integrationType()).isEqualTo("REST API");
        assertThat(d.capabilities()).containsExactlyInAnyOrder(Capability.FINDINGS, Capability.INCREMENTAL_SYNC,
                Capability.SOURCE_TAGS, Capability.FILTERS, Capability.EVENTS, Capability.INSTALLED_SOFTWARE);
    }

    @Test
    void configFieldsAndDefaults() {
        var spec = connector.configSpec();
        assertThat(spec.fields()).extracting(f -> f.name()).containsExactly("name", "description", "baseUrl",
                "apiKey", "apiKeyId", "securityLevel", "dataToSync", "events", "batchSize", "maxRequestsPerSecond",
                "requestTimeout",
                "caCertificate", "platformFilter", "statusFilter", "groupFilter", "lastSeenAfter", "lastSeenBefore",
                "vulnerabilitiesUnavailable", "vulnerabilityMaxAge", "software", "incidentStatusFilter", "incidentSeverityFilter", "alertSeverityFilter",
                "eventLookback");
        assertThat(spec.secretFieldNames()).containsExactly("apiKey");
        var config = TestConfigs.config(URL);
        assertThat(config.string("securityLevel")).isEqualTo("standard");
        assertThat(config.string("dataToSync")).isEqualTo("assets-and-findings");
        assertThat(config.integer("batchSize")).isEqualTo(100);
        assertThat(config.integer("maxRequestsPerSecond")).isEqualTo(5);
        assertThat(config.string("vulnerabilitiesUnavailable")).isEqualTo("fail");
        assertThat(config.toString()).doesNotContain(TestConfigs.KEY);
    }

    @Test
    void validationNamesEachBadField() {
        Map<String, Object> raw = TestConfigs.raw("api-x.xdr.us.paloaltonetworks.com");
        raw.put("apiKeyId", "two");
        raw.put("batchSize", 101);
        raw.put("maxRequestsPerSecond", 11);
        raw.put("lastSeenAfter", "yesterday");
        raw.put("description", "x".repeat(181));
        assertThat(connector.configSpec().validate(raw)).extracting(p -> p.field()).containsExactlyInAnyOrder(
                "baseUrl", "apiKeyId", "batchSize", "maxRequestsPerSecond", "lastSeenAfter", "description");
        assertThat(connector.configSpec().validate(raw).toString()).contains("apiKeyId: must be a number, e.g. 2");
    }

    @Test
    void impossibleInstantsAndReversedRangesAreRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> TestConfigs.settings(URL, "lastSeenBefore", "2026-13-01T00:00:00Z"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                    assertThat(e.getMessage()).isEqualTo(
                            "Config field 'lastSeenBefore' is not an ISO-8601 instant: '2026-13-01T00:00:00Z'");
                });
        assertThatThrownBy(() -> TestConfigs.settings(URL, "lastSeenAfter", "2026-06-01T00:00:00Z",
                "lastSeenBefore", "2026-05-01T00:00:00Z"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Config field 'lastSeenBefore' (2026-05-01T00:00:00Z) is earlier than 'lastSeenAfter'"
                                + " (2026-06-01T00:00:00Z)"));
        FakeTenant tenant = new FakeTenant(1);
        assertThatThrownBy(() -> connector.open(TestConfigs.config(URL, "lastSeenAfter", "2026-02-30T00:00:00Z"),
                tenant)).isInstanceOf(ConnectorException.class);
        assertThat(tenant.requests).isEmpty();
    }

    @Test
    void streamsAndSelection() {
        assertThat(connector.streams()).extracting(StreamSpec::name).containsExactly("assets", "incidents", "alerts",
                "software");
        assertThat(CortexXdrConnector.SOFTWARE.primaryKey()).containsExactly("endpoint_id", "application_name",
                "version");
        assertThat(CortexXdrConnector.SOFTWARE.cursorField()).isEmpty();
        assertThat(CortexXdrConnector.SOFTWARE.defaultPollInterval()).hasValue(java.time.Duration.ofDays(1));
        assertThat(CortexXdrConnector.ASSETS.primaryKey()).containsExactly("endpoint_id");
        assertThat(CortexXdrConnector.ASSETS.cursorField()).hasValue("last_seen");
        assertThat(CortexXdrConnector.INCIDENTS.cursorField()).hasValue("modification_time");
        assertThat(CortexXdrConnector.INCIDENTS.defaultPollInterval()).hasValue(java.time.Duration.ofMinutes(5));
        assertThat(CortexXdrConnector.ALERTS.cursorField()).hasValue("local_insert_ts");
        assertThat(CortexXdrConnector.ASSETS.defaultPollInterval()).hasValue(java.time.Duration.ofDays(1));
        assertThat(CortexXdrConnector.ALERTS.defaultPollInterval()).hasValue(java.time.Duration.ofMinutes(10));
        assertThat(connector.selectedStreams(TestConfigs.config(URL))).extracting(StreamSpec::name)
                .containsExactly("assets");
        assertThat(connector.selectedStreams(TestConfigs.config(URL, "dataToSync", "none", "events",
                List.of("alerts", "incidents")))).extracting(StreamSpec::name).containsExactly("incidents", "alerts");
        assertThat(connector.selectedStreams(TestConfigs.config(URL, "dataToSync", "assets", "software", true)))
                .extracting(StreamSpec::name).containsExactly("assets", "software");
    }

    @Test
    void checksComeInTheFiveKindsInOrder() {
        assertThat(connector.connectionChecks()).extracting(ConnectionCheck::kind).containsExactly(
                CheckKind.NETWORK_REACHABILITY, CheckKind.TLS_HANDSHAKE, CheckKind.AUTHENTICATION,
                CheckKind.AUTHORIZATION_SCOPE, CheckKind.DATA_FETCH);
    }

    @Test
    void requestTimeoutDefaultsToTheTransportsSixtySecondsAndReachesTheTransport() {
        assertThat(TestConfigs.settings(URL).requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        FakeTenant tenant = new FakeTenant(0);
        CortexXdrClient.open(TestConfigs.settings(URL, "requestTimeout", "PT5S"), tenant);
        assertThat(tenant.httpSettings).hasValueSatisfying(
                s -> assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(5)));
    }

    @Test
    void requestTimeoutOutsideOneSecondToFiveMinutesIsRefusedBeforeAnyRequest() {
        for (String bad : List.of("PT0.5S", "PT5M1S")) {
            assertThatThrownBy(() -> TestConfigs.settings(URL, "requestTimeout", bad))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                        assertThat(e.getMessage()).isEqualTo("Config field 'requestTimeout' must be between PT1S and"
                                + " PT5M, got " + Duration.parse(bad));
                        assertThat(e.remediation()).hasValue("Set 'requestTimeout' to an ISO-8601 duration from"
                                + " PT1S to PT5M, e.g. PT30S, or leave it out for PT1M");
                    });
        }
        assertThat(connector.configSpec().validate(Map.of("requestTimeout", "soon")).toString())
                .contains("requestTimeout: must be an ISO-8601 duration such as PT5M, got 'soon'");
    }

    @Test
    void vulnerabilityMaxAgeDefaultsToAWeekAndOutsideAnHourToNinetyDaysIsRefused() {
        assertThat(TestConfigs.settings(URL).vulnerabilityMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(TestConfigs.settings(URL, "vulnerabilityMaxAge", "P30D").vulnerabilityMaxAge())
                .isEqualTo(Duration.ofDays(30));
        for (String bad : List.of("PT59M", "P91D")) {
            assertThatThrownBy(() -> TestConfigs.settings(URL, "vulnerabilityMaxAge", bad))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                        assertThat(e.getMessage()).isEqualTo("Config field 'vulnerabilityMaxAge' must be between PT1H"
                                + " and PT2160H, got " + Duration.parse(bad));
                        assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r)
                                .startsWith("Set 'vulnerabilityMaxAge' to an ISO-8601 duration from PT1H to PT2160H"));
                    });
        }
    }
}
