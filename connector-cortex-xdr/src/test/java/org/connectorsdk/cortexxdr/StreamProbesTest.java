package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.LicenceFailure;

/**
 * The authorization check probes each selected stream with one small read; a 403 on one stream
 * fails it naming that stream's API and permission, and only that one.
 */
class StreamProbesTest {
    static final String KEY_ID = "1";
    static final String KEY = "standard-key-for-probe-tests-012345";

    private final CortexXdrConnector connector = new CortexXdrConnector();

    static CortexXdrSimulator start() {
        return CortexXdrSimulator.builder().endpoints(3).incidents(5).seed(3).standardKey(KEY_ID, KEY).start();
    }

    /** Every stream selected: assets with findings, incidents, alerts and software. */
    static ConnectorConfig everything(CortexXdrSimulator sim, Object... more) {
        Map<String, Object> raw = TestConfigs.raw(sim.baseUrl());
        raw.put("apiKey", KEY);
        raw.put("apiKeyId", KEY_ID);
        raw.put("caCertificate", sim.caCertificatePem());
        raw.put("events", List.of("incidents", "alerts"));
        raw.put("software", true);
        for (int i = 0; i < more.length; i += 2) {
            raw.put((String) more[i], more[i + 1]);
        }
        return TestConfigs.config(raw);
    }

    private CheckResult authorization(ConnectorConfig config) {
        CheckReport report = RuntimeContexts.check(connector, config, RuntimeContexts.context("probes", List.of(KEY),
                Clock.systemUTC()));
        return report.results().get(3);
    }

    @Test
    void everySelectedStreamIsProbedOnceAndPasses() {
        try (CortexXdrSimulator sim = start()) {
            CheckResult r = authorization(everything(sim));

            assertThat(r.passed()).as(r.message()).isTrue();
            assertThat(r.message()).isEqualTo("API key ID 1 may use get_endpoint, get_incidents,"
                    + " get_alerts_multi_events, XQL");
            assertThat(sim.requestCount(CortexXdrSimulator.GET_INCIDENTS)).isEqualTo(1);
            assertThat(sim.requestCount(CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS)).isEqualTo(1);
            assertThat(sim.requestCount(CortexXdrSimulator.GET_QUERY_RESULTS)).isEqualTo(1);
            assertThat(sim.requestCount(CortexXdrSimulator.START_XQL_QUERY)).as("no quota spent").isZero();
        }
    }

    @Test
    void aRoleThatMayNotReadAlertsFailsNamingAlertsOnly() {
        try (CortexXdrSimulator sim = start()) {
            sim.forbid(KEY_ID, CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS);

            CheckResult r = authorization(everything(sim));

            assertThat(r.errorKind()).hasValue(ErrorKind.AUTHORIZATION);
            assertThat(r.message()).startsWith("API key ID 1 cannot read every selected stream: alerts needs"
                    + " get_alerts_multi_events (/public_api/v2/alerts/get_alerts_multi_events), which the role"
                    + " refuses (HTTP 403").doesNotContain("incidents needs", "XQL", "get_endpoint");
            assertThat(r.remediation()).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("Give the key a role that may view alerts (needed for alerts).")
                    .doesNotContain("incidents"));
        }
    }

    @Test
    void aRoleThatMayNotReadIncidentsFailsNamingIncidentsOnly() {
        try (CortexXdrSimulator sim = start()) {
            sim.forbid(KEY_ID, CortexXdrSimulator.GET_INCIDENTS);

            CheckResult r = authorization(everything(sim));

            assertThat(r.message()).contains("incidents needs get_incidents").doesNotContain("alerts needs", "XQL");
            assertThat(r.remediation()).hasValueSatisfying(t -> assertThat(t)
                    .contains("may view incidents (needed for incidents)"));
        }
    }

    @Test
    void aRoleWithoutXqlFailsNamingBothStreamsThatNeedIt() {
        try (CortexXdrSimulator sim = start()) {
            sim.forbid(KEY_ID, CortexXdrSimulator.GET_QUERY_RESULTS);

            CheckResult r = authorization(everything(sim));

            assertThat(r.message()).contains("vulnerability findings and installed software need XQL"
                    + " get_query_results").doesNotContain("incidents needs", "alerts needs");
            // software alone needs it too
            CheckResult softwareOnly = authorization(everything(sim, "dataToSync", "assets", "events", List.of()));
            assertThat(softwareOnly.message()).contains(": installed software need XQL get_query_results");
        }
    }

    @Test
    void withoutHostInsightsSoftwareFailsOnTheLicenceEvenWhenFindingsMayBeLeftOut() {
        try (CortexXdrSimulator sim = start()) {
            sim.unlicenseXql(LicenceFailure.PAYMENT_REQUIRED);

            CheckResult r = authorization(everything(sim, "vulnerabilitiesUnavailable", "assets-only"));

            assertThat(r.kind()).isEqualTo(CheckKind.AUTHORIZATION_SCOPE);
            assertThat(r.errorKind()).hasValue(ErrorKind.LICENSE);
            assertThat(r.message()).contains("vulnerability findings and installed software need XQL, which the"
                    + " tenant's licence lacks (HTTP 402");
            assertThat(r.remediation()).hasValueSatisfying(t -> assertThat(t).contains("Host Insights", "Pro"));
            // without software, assets-only lets the check pass
            assertThat(authorization(everything(sim, "vulnerabilitiesUnavailable", "assets-only", "software",
                    false)).passed()).isTrue();
        }
    }

    @Test
    void anOlderTenantIsProbedWithItsAlertCall() {
        try (CortexXdrSimulator sim = start()) {
            sim.olderTenant(true);

            CheckResult r = authorization(everything(sim));

            assertThat(r.passed()).as(r.message()).isTrue();
            assertThat(r.message()).contains("get_alerts_by_filter_data");
            assertThat(sim.requestCount(CortexXdrSimulator.GET_ALERTS_BY_FILTER_DATA)).isEqualTo(1);
        }
    }
}
