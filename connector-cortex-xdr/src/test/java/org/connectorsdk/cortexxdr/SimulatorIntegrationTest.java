package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.CheckStatus;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.TenantFault;

/** The plugin against the simulated tenant over real HTTPS, through the runtime's transport. */
class SimulatorIntegrationTest {
    static final String STANDARD_ID = "1";
    static final String STANDARD_KEY = "standard-key-for-tests-0123456789";
    static final String ADVANCED_ID = "2";
    static final String ADVANCED_KEY = "advanced-key-for-tests-9876543210";

    private final CortexXdrConnector connector = new CortexXdrConnector();

    static CortexXdrSimulator start(int endpoints) {
        return CortexXdrSimulator.builder().endpoints(endpoints).seed(7)
                .standardKey(STANDARD_ID, STANDARD_KEY).advancedKey(ADVANCED_ID, ADVANCED_KEY).start();
    }

    static ConnectorConfig config(CortexXdrSimulator sim, String keyId, String key, Object... more) {
        Map<String, Object> raw = TestConfigs.raw(sim.baseUrl());
        raw.put("apiKey", key);
        raw.put("apiKeyId", keyId);
        raw.put("caCertificate", sim.caCertificatePem());
        for (int i = 0; i < more.length; i += 2) {
            raw.put((String) more[i], more[i + 1]);
        }
        return TestConfigs.config(raw);
    }

    private static ConnectorContext context(String... secrets) {
        return RuntimeContexts.context("sim", List.of(secrets), Clock.systemUTC());
    }

    private CheckReport check(ConnectorConfig config, String key) {
        return RuntimeContexts.check(connector, config, context(key));
    }

    @Test
    void everyCheckPassesWithAStandardKey() {
        try (CortexXdrSimulator sim = start(3)) {
            CheckReport report = check(config(sim, STANDARD_ID, STANDARD_KEY), STANDARD_KEY);
            assertThat(report.results()).extracting(CheckResult::status).containsOnly(CheckStatus.PASSED).hasSize(5);
            assertThat(report.results().get(2).message())
                    .isEqualTo("Cortex XDR accepted API key ID 1 (security level standard)");
            assertThat(report.results().get(3).message()).isEqualTo("API key ID 1 may use get_endpoint, XQL");
            assertThat(report.results().get(4).message()).isEqualTo("Fetched 3 endpoints from get_endpoint"
                    + " (total_count 3)");
        }
    }

    @Test
    void everyCheckPassesWithAnAdvancedKey() {
        try (CortexXdrSimulator sim = start(3)) {
            CheckReport report = check(config(sim, ADVANCED_ID, ADVANCED_KEY, "securityLevel", "advanced"),
                    ADVANCED_KEY);
            assertThat(report.allPassed()).as(report.toString()).isTrue();
        }
    }

    @Test
    void aWrongKeyFailsAuthenticationWithTheRemediationAndSkipsTheRest() {
        try (CortexXdrSimulator sim = start(3)) {
            CheckReport report = check(config(sim, STANDARD_ID, "not-the-key"), "not-the-key");
            assertThat(report.results()).extracting(CheckResult::status).containsExactly(CheckStatus.PASSED,
                    CheckStatus.PASSED, CheckStatus.FAILED, CheckStatus.SKIPPED, CheckStatus.SKIPPED);
            CheckResult auth = report.results().get(2);
            assertThat(auth.message()).isEqualTo("Cortex XDR rejected API key ID 1 (security level standard):"
                    + " Public API request unauthorized");
            assertThat(auth.remediation()).hasValue(Remediation.AUTHENTICATION);
        }
    }

    @Test
    void anAdvancedKeyConfiguredAsStandardFailsAuthentication() {
        try (CortexXdrSimulator sim = start(3)) {
            CheckReport report = check(config(sim, ADVANCED_ID, ADVANCED_KEY), ADVANCED_KEY);
            assertThat(report.firstFailure()).hasValueSatisfying(f -> {
                assertThat(f.kind()).isEqualTo(CheckKind.AUTHENTICATION);
                assertThat(f.remediation().orElseThrow()).contains("security level must match");
            });
        }
    }

    @Test
    void aStandardKeyConfiguredAsAdvancedFailsAuthentication() {
        try (CortexXdrSimulator sim = start(3)) {
            CheckReport report = check(config(sim, STANDARD_ID, STANDARD_KEY, "securityLevel", "advanced"),
                    STANDARD_KEY);
            assertThat(report.firstFailure()).hasValueSatisfying(f -> assertThat(f.kind())
                    .isEqualTo(CheckKind.AUTHENTICATION));
        }
    }

    @Test
    void aRoleWithoutEndpointAccessFailsAuthorizationNamingTheApi() {
        try (CortexXdrSimulator sim = start(3)) {
            sim.forbid(STANDARD_ID, CortexXdrSimulator.GET_ENDPOINT);
            CheckReport report = check(config(sim, STANDARD_ID, STANDARD_KEY), STANDARD_KEY);
            CheckResult failed = report.firstFailure().orElseThrow();
            assertThat(failed.kind()).isEqualTo(CheckKind.AUTHORIZATION_SCOPE);
            assertThat(failed.message()).startsWith("API key ID 1 cannot read every selected stream: assets needs"
                    + " get_endpoint (/public_api/v1/endpoints/get_endpoint), which the role refuses (HTTP 403");
            assertThat(failed.remediation().orElseThrow()).contains("a role that may view endpoints");
        }
    }

    @Test
    void aRoleWithoutXqlFailsAuthorizationWhenFindingsAreSynced() {
        try (CortexXdrSimulator sim = start(3)) {
            sim.forbid(STANDARD_ID, "/public_api/v1/xql/get_query_results");
            CheckResult failed = check(config(sim, STANDARD_ID, STANDARD_KEY), STANDARD_KEY).firstFailure()
                    .orElseThrow();
            assertThat(failed.kind()).isEqualTo(CheckKind.AUTHORIZATION_SCOPE);
            assertThat(failed.message()).startsWith("API key ID 1 cannot read every selected stream: vulnerability"
                    + " findings need XQL get_query_results (/public_api/v1/xql/get_query_results), which the role"
                    + " refuses (HTTP 403");
            // assets only: XQL is not asked for
            assertThat(check(config(sim, STANDARD_ID, STANDARD_KEY, "dataToSync", "assets"), STANDARD_KEY)
                    .allPassed()).isTrue();
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(org.connectorsdk.cortexxdr.simulator.LicenceFailure.class)
    void aTenantWithoutTheXqlLicenceFailsAuthorizationUnlessAssetsOnlyIsAccepted(
            org.connectorsdk.cortexxdr.simulator.LicenceFailure how) {
        try (CortexXdrSimulator sim = start(3)) {
            sim.unlicenseXql(how);
            CheckResult failed = check(config(sim, STANDARD_ID, STANDARD_KEY), STANDARD_KEY).firstFailure()
                    .orElseThrow();
            assertThat(failed.kind()).isEqualTo(CheckKind.AUTHORIZATION_SCOPE);
            assertThat(failed.message()).startsWith("API key ID 1 cannot read every selected stream: vulnerability"
                    + " findings need XQL, which the tenant's licence lacks (HTTP " + (how == org.connectorsdk
                            .cortexxdr.simulator.LicenceFailure.PAYMENT_REQUIRED ? 402 : 500));
            assertThat(failed.errorKind()).hasValue(org.connectorsdk.api.ErrorKind.LICENSE);
            assertThat(failed.remediation().orElseThrow()).contains("Host Insights", "assets-only");
            CheckReport lenient = check(config(sim, STANDARD_ID, STANDARD_KEY, "vulnerabilitiesUnavailable",
                    "assets-only"), STANDARD_KEY);
            assertThat(lenient.allPassed()).isTrue();
            assertThat(lenient.results().get(3).message())
                    .isEqualTo("API key ID 1 may use get_endpoint; XQL is not licensed, so vulnerability findings are"
                            + " left out (vulnerabilitiesUnavailable is assets-only)");
        }
    }

    @Test
    void anHtmlPageFailsDataFetchSayingWhatCameBack() {
        try (CortexXdrSimulator sim = start(3)) {
            // the authorization check reads get_endpoint once; the data fetch is the second request
            sim.faults().onPath(CortexXdrSimulator.GET_ENDPOINT).request(2).respond(TenantFault.htmlLoginPage());
            CheckResult failed = check(config(sim, STANDARD_ID, STANDARD_KEY), STANDARD_KEY).firstFailure()
                    .orElseThrow();
            assertThat(failed.kind()).isEqualTo(CheckKind.DATA_FETCH);
            assertThat(failed.message()).startsWith("Cortex XDR answered get_endpoint with HTTP 200, content type"
                    + " text/html").contains("body starts with '<");
        }
    }

    /** Settings for paging tests: the simulator has no rate limit, so neither does the client. */
    private static CortexXdrSettings fast(CortexXdrSimulator sim) {
        CortexXdrSettings s = CortexXdrSettings.from(config(sim, STANDARD_ID, STANDARD_KEY));
        return new CortexXdrSettings(s.baseUrl(), s.apiKey(), s.apiKeyId(), s.advanced(), s.dataToSync(),
                s.events(), s.batchSize(), 1000, s.caCertificate(), s.platforms(), s.statuses(), s.groups(),
                s.lastSeenAfter(), s.lastSeenBefore(), s.failWithoutVulnerabilities());
    }

    private static List<Map<String, Object>> readAll(CortexXdrSimulator sim, IntConsumer afterPage) {
        EndpointPager pager = new EndpointPager(CortexXdrClient.open(fast(sim), context(STANDARD_KEY)));
        List<Map<String, Object>> all = new ArrayList<>();
        PageRequest request = PageRequest.first(CortexXdrConnector.ASSETS);
        for (int i = 1; i <= 1_000; i++) {
            Page page = pager.read(request);
            all.addAll(page.records());
            if (page.done()) {
                return all;
            }
            afterPage.accept(i);
            request = request.next(page);
        }
        throw new AssertionError("paging did not stop");
    }

    private static Set<Object> distinctIds(List<Map<String, Object>> records) {
        Set<Object> ids = new HashSet<>();
        records.forEach(r -> ids.add(r.get("endpoint_id")));
        return ids;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 99, 100, 101, 250, 10_000})
    void readsExactlyTheTenantsEndpoints(int n) {
        try (CortexXdrSimulator sim = start(n)) {
            List<Map<String, Object>> all = readAll(sim, page -> { });
            assertThat(all).hasSize(n);
            assertThat(distinctIds(all)).hasSize(n).isEqualTo(new HashSet<Object>(sim.endpointIds()));
            // a full last page is confirmed by one more (empty) request
            assertThat(sim.requestCount(CortexXdrSimulator.GET_ENDPOINT)).isEqualTo(n / 100 + 1);
        }
    }

    @Test
    void aTenantGrowingBy30EndpointsMidRunGivesEveryEndpointOnce() {
        try (CortexXdrSimulator sim = start(250)) {
            List<Map<String, Object>> all = readAll(sim, page -> {
                if (page == 1) {
                    sim.addEndpoints(30);
                }
            });
            assertThat(all).hasSize(280);
            assertThat(distinctIds(all)).isEqualTo(new HashSet<Object>(sim.endpointIds()));
        }
    }

    @Test
    void aTenantShrinkingInFrontOfThePositionLosesNoRemainingEndpoint() {
        try (CortexXdrSimulator sim = start(300)) {
            List<Map<String, Object>> all = readAll(sim, page -> {
                if (page == 1) {
                    sim.removeFirstEndpoints(40);
                }
            });
            assertThat(distinctIds(all)).hasSize(all.size()).containsAll(sim.endpointIds());
        }
    }

    @Test
    void aRepeatedPageStopsWithAnErrorInsteadOfLooping() {
        try (CortexXdrSimulator sim = start(1_000)) {
            sim.faults().onPath(CortexXdrSimulator.GET_ENDPOINT).fromRequest(3).respond(TenantFault.repeatPreviousPage());
            assertThatThrownBy(() -> readAll(sim, page -> { }))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
                        assertThat(e.getMessage()).startsWith("Cortex XDR returned a repeated page for get_endpoint:"
                                + " search_from 200 gave the same 100 endpoints as the page before");
                    });
            assertThat(sim.requestCount(CortexXdrSimulator.GET_ENDPOINT)).isEqualTo(3);
        }
    }
}
