package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.connectorsdk.cortexxdr.JsonValues.normalise;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.cortexxdr.VulnerabilityEnricher.WhenUnavailable;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.LicenceFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The XQL enrichment against the simulated tenant over HTTPS: real replies, real gzip stream. */
class SimulatorEnrichmentTest {
    private static final String KEY = "simulated-standard-key";

    private CortexXdrSimulator tenant;
    private final FakeTime time = new FakeTime();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private XqlClient.Pause pause = time;

    @AfterEach
    void stop() {
        if (tenant != null) {
            tenant.close();
        }
    }

    private void start(int endpoints) {
        tenant = CortexXdrSimulator.builder().endpoints(endpoints).seed(7).standardKey("1", KEY).clock(time.clock)
                .start();
    }

    private XqlClient xql() {
        XqlTestTransport http = new XqlTestTransport(tenant.caCertificatePem(),
                Map.of("Authorization", KEY, "x-xdr-auth-id", "1"));
        return new XqlClient(http, URI.create(tenant.baseUrl()), time.clock, CancellationSignal.NONE, metrics,
                d -> pause.pause(d), XqlClient.DEFAULT_POLL, XqlClient.DEFAULT_BUSY);
    }

    private VulnerabilityEnricher enricher(WhenUnavailable when) {
        return new VulnerabilityEnricher(xql(), when, CortexXdrSettings.DEFAULT_VULNERABILITY_MAX_AGE, time.clock,
                metrics, CancellationSignal.NONE);
    }

    /** Enriches the whole tenant in pages of {@code pageSize} and checks every endpoint's CVEs. */
    private void enrichAndCheck(VulnerabilityEnricher enricher, int pageSize) {
        int first = tenant.firstEndpointIndex();
        int end = first + tenant.endpointCount();
        for (int from = first; from < end; from += pageSize) {
            List<Map<String, Object>> page = new ArrayList<>();
            for (int i = from; i < Math.min(end, from + pageSize); i++) {
                page.add(tenant.endpoint(i));
            }
            List<Map<String, Object>> enriched = enricher.attach(page);
            for (int k = 0; k < page.size(); k++) {
                int index = from + k;
                Object cves = enriched.get(k).get("cves");
                assertThat(enriched.get(k).get("endpoint_id")).isEqualTo(tenant.endpointId(index));
                assertThat(normalise(cves)).as("cves of endpoint %d", index).isEqualTo(normalise(tenant.cvesFor(index)));
            }
        }
    }

    /** The rows the tenant serves: one per CVE, or one placeholder for an endpoint without CVEs. */
    private int rowsHeld() {
        int rows = 0;
        for (int i = tenant.firstEndpointIndex(); i < tenant.firstEndpointIndex() + tenant.endpointCount(); i++) {
            rows += Math.max(1, tenant.cvesFor(i).size());
        }
        return rows;
    }

    @Test
    void everyEndpointGetsExactlyTheCvesTheTenantHoldsThroughTheGzipStream() {
        start(400);
        assertThat(rowsHeld()).isGreaterThan(XqlClient.INLINE_LIMIT);

        try (VulnerabilityEnricher enricher = enricher(WhenUnavailable.FAIL)) {
            enrichAndCheck(enricher, 100);
        }

        assertThat(tenant.requestCount(CortexXdrSimulator.GET_QUERY_RESULTS_STREAM)).isEqualTo(1);
        assertThat(tenant.requestCount(CortexXdrSimulator.START_XQL_QUERY)).isEqualTo(1);
        assertThat(metrics.counts).containsEntry("xql.queries", 1L).containsEntry("xql.rows", (long) rowsHeld());
        // the simulator answers PENDING once before the result
        assertThat(time.pauses).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aSmallTenantsRowsComeInlineAndEndpointsWithoutCvesGetNone() {
        start(40);
        assertThat(rowsHeld()).isLessThanOrEqualTo(XqlClient.INLINE_LIMIT);

        try (VulnerabilityEnricher enricher = enricher(WhenUnavailable.FAIL)) {
            enrichAndCheck(enricher, 7);
        }

        assertThat(tenant.requestCount(CortexXdrSimulator.GET_QUERY_RESULTS_STREAM)).isZero();
        boolean someWithout = false;
        for (int i = 0; i < 40; i++) {
            someWithout |= tenant.cvesFor(i).isEmpty();
        }
        assertThat(someWithout).as("the seeded tenant has endpoints without CVEs").isTrue();
    }

    /** The first {@code count} endpoints with CVEs, last assessed 8 days ago (the max age is 7). */
    private List<Integer> assessedLongAgo(int count) {
        List<Integer> stale = new ArrayList<>();
        for (int i = tenant.firstEndpointIndex(); stale.size() < count; i++) {
            if (!tenant.cvesFor(i).isEmpty()) {
                tenant.lastAssessment(i, time.clock.instant().minus(Duration.ofDays(8)));
                stale.add(i);
            }
        }
        return stale;
    }

    @Test
    void aStaleAssessmentLeavesTheEndpointsCvesUnknownWhileFreshOnesKeepTheirs() {
        start(3000);
        int staleIndex = assessedLongAgo(1).get(0);
        // A day short of the max age is still fresh.
        int freshIndex = staleIndex + 1;
        while (tenant.cvesFor(freshIndex).isEmpty()) {
            freshIndex++;
        }
        tenant.lastAssessment(freshIndex, time.clock.instant().minus(Duration.ofDays(6)));

        List<Map<String, Object>> published = new ArrayList<>();
        try (VulnerabilityEnricher enricher = enricher(WhenUnavailable.ASSETS_ONLY)) {
            for (int from = 0; from < 3000; from += 100) {
                List<Map<String, Object>> page = new ArrayList<>();
                for (int i = from; i < from + 100; i++) {
                    page.add(tenant.endpoint(i));
                }
                published.addAll(enricher.attach(page));
            }
        }

        for (int i = 0; i < 3000; i++) {
            Map<String, Object> endpoint = published.get(i);
            if (i == staleIndex) {
                assertThat(endpoint).doesNotContainKey("cves");
                assertThat(endpoint.get("_meta")).isEqualTo(Map.of("unknown", Map.of("finding", "stale assessment")));
            } else {
                assertThat(endpoint).doesNotContainKey("_meta");
                assertThat(normalise(endpoint.get("cves"))).as("cves of endpoint %d", i)
                        .isEqualTo(normalise(tenant.cvesFor(i)));
            }
        }
        assertThat(tenant.cvesFor(freshIndex)).isNotEmpty();
        assertThat(metrics.get("vulnerabilities.unknown")).isEqualTo(1);
    }

    @Test
    void staleAssessmentsFailTheRunNamingHowManyWhenConfiguredToFail() {
        start(3000);
        List<Integer> stale = assessedLongAgo(3);

        try (VulnerabilityEnricher enricher = enricher(WhenUnavailable.FAIL)) {
            List<Map<String, Object>> page = new ArrayList<>();
            for (int i = 0; i <= stale.get(0); i++) {
                page.add(tenant.endpoint(i));
            }
            ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> enricher.attach(page));
            assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(e.getMessage()).startsWith("3 endpoint(s) of the XQL vulnerability result were last assessed"
                    + " more than vulnerabilityMaxAge (PT168H) ago, the first '" + tenant.endpointId(stale.get(0))
                    + "' at ").endsWith("and 'vulnerabilitiesUnavailable' is 'fail'");
            assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("'assets-only'"));
        }
        assertThat(metrics.get("vulnerabilities.unknown")).isZero();
    }

    @Test
    void pendingQueriesArePolledWithGrowingPauses() {
        start(10);
        tenant.xqlPendingPolls(4);

        try (VulnerabilityEnricher enricher = enricher(WhenUnavailable.FAIL)) {
            enrichAndCheck(enricher, 10);
        }

        assertThat(time.pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8));
    }

    @Test
    void aTenantWithoutTheLicenceFailsTheRunWithTheRemediation() {
        start(10);
        tenant.unlicenseXql(LicenceFailure.PAYMENT_REQUIRED);

        try (VulnerabilityEnricher enricher = enricher(WhenUnavailable.FAIL)) {
            ConnectorException e = catchThrowableOfType(ConnectorException.class,
                    () -> enricher.attach(List.of(tenant.endpoint(0))));

            assertThat(e.kind()).isEqualTo(ErrorKind.LICENSE);
            assertThat(e.getMessage()).startsWith("Cortex XDR refused the XQL call /public_api/v1/xql/start_xql_query:"
                    + " the tenant is not licensed for XQL vulnerability data (HTTP 402: ");
            assertThat(e.remediation()).hasValue(Remediation.XQL_LICENCE);
        }
    }

    @Test
    void aTenantWithoutTheLicenceGivesAssetsOnlyWhenConfiguredSo() {
        start(10);
        tenant.unlicenseXql(LicenceFailure.SERVER_ERROR);

        try (VulnerabilityEnricher enricher = enricher(WhenUnavailable.ASSETS_ONLY)) {
            List<Map<String, Object>> page = List.of(tenant.endpoint(0), tenant.endpoint(1));
            assertThat(enricher.attach(page)).isEqualTo(page);
            assertThat(enricher.unavailable()).isTrue();
        }
        assertThat(metrics.counts).containsEntry("xql.unavailable", 1L);
    }

    @Test
    void theParallelQueryLimitIsWaitedOut() {
        start(10);
        tenant.maxParallelXqlQueries(1);
        XqlClient other = xql();
        String competing = other.start("dataset = va_endpoints | limit 1", Duration.ofDays(1));
        // while the enricher waits for a free slot, the competing query finishes
        pause = d -> {
            time.pause(d);
            if (tenant.runningXqlQueries() > 0) {
                pause = time;
                other.await(competing);
            }
        };

        try (VulnerabilityEnricher enricher = enricher(WhenUnavailable.FAIL)) {
            enrichAndCheck(enricher, 10);
        }

        assertThat(time.pauses.get(0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(tenant.requestCount(CortexXdrSimulator.START_XQL_QUERY)).isEqualTo(3);
    }

    @Test
    void aFailedQueryFailsTheRun() {
        start(10);
        tenant.failXqlQueries(true);

        try (VulnerabilityEnricher enricher = enricher(WhenUnavailable.ASSETS_ONLY)) {
            ConnectorException e = catchThrowableOfType(ConnectorException.class,
                    () -> enricher.attach(List.of(tenant.endpoint(0))));

            assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(e.getMessage()).matches("The Cortex XDR XQL query \\S+ ended with status FAIL: .+");
        }
    }

    @Test
    void anExhaustedQuotaFailsTheRunClearly() {
        start(10);
        tenant.xqlQuota(0);

        try (VulnerabilityEnricher enricher = enricher(WhenUnavailable.FAIL)) {
            ConnectorException e = catchThrowableOfType(ConnectorException.class,
                    () -> enricher.attach(List.of(tenant.endpoint(0))));

            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(e.getMessage()).startsWith("Cortex XDR refused the XQL call /public_api/v1/xql/start_xql_query:"
                    + " the tenant's daily XQL query quota is exhausted (HTTP 500: ");
        }
    }
}
