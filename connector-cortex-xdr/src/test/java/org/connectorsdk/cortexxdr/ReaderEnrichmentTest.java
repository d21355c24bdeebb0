package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.connectorsdk.cortexxdr.JsonValues.normalise;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Metrics;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.LicenceFailure;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.runtime.transform.TransformOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A simulated tenant read through the plugin's reader on the runtime's transport, as a run
 * reads it: in assets-and-findings mode every endpoint leaves with exactly the CVEs the tenant
 * holds for it, and the vulnerability map turns them into exactly those findings.
 */
class ReaderEnrichmentTest {
    private static final String KEY = "reader-test-key-0123456789abcdef";

    private final RecordingMetrics metrics = new RecordingMetrics();
    private CortexXdrSimulator tenant;

    @AfterEach
    void stop() {
        if (tenant != null) {
            tenant.close();
        }
    }

    private void start(int endpoints) {
        tenant = CortexXdrSimulator.builder().endpoints(endpoints).seed(11).standardKey("3", KEY).start();
        // no PENDING answer: the reader's real pause would sleep on wall time
        tenant.xqlPendingPolls(0);
    }

    /** The runtime's context (real transport, redaction) with metrics this test can read. */
    private ConnectorContext context() {
        ConnectorContext real = RuntimeContexts.context("reader-test", List.of(KEY), Clock.systemUTC());
        return new ConnectorContext() {
            @Override
            public String instanceName() {
                return real.instanceName();
            }

            @Override
            public HttpTransport http(HttpSettings settings) {
                return real.http(settings);
            }

            @Override
            public Clock clock() {
                return real.clock();
            }

            @Override
            public CancellationSignal cancellation() {
                return real.cancellation();
            }

            @Override
            public Metrics metrics() {
                return metrics;
            }
        };
    }

    private List<Map<String, Object>> readAll(Object... config) {
        Map<String, Object> raw = TestConfigs.raw(tenant.baseUrl());
        raw.put("apiKey", KEY);
        raw.put("apiKeyId", "3");
        raw.put("caCertificate", tenant.caCertificatePem());
        for (int i = 0; i < config.length; i += 2) {
            raw.put((String) config[i], config[i + 1]);
        }
        List<Map<String, Object>> records = new ArrayList<>();
        try (StreamReader reader = new CortexXdrConnector().open(TestConfigs.config(raw), context())) {
            PageRequest request = PageRequest.first(CortexXdrConnector.ASSETS);
            for (int pages = 0; pages < 100; pages++) {
                Page page = reader.read(request);
                records.addAll(page.records());
                if (page.done()) {
                    return records;
                }
                request = request.next(page);
            }
        }
        throw new AssertionError("the assets stream did not finish in 100 pages");
    }

    private Map<String, Integer> indexById() {
        Map<String, Integer> out = new HashMap<>();
        for (int i = tenant.firstEndpointIndex(); i < tenant.firstEndpointIndex() + tenant.endpointCount(); i++) {
            out.put(tenant.endpointId(i), i);
        }
        return out;
    }

    @Test
    void eachEndpointCarriesExactlyTheTenantsCvesAndTheMapMakesThemFindings() {
        start(250);
        Map<String, Integer> index = indexById();
        int held = 0;
        for (int i : index.values()) {
            held += Math.max(1, tenant.cvesFor(i).size()); // an endpoint without CVEs has one placeholder row
        }
        assertThat(held).as("enough rows for the gzip stream").isGreaterThan(XqlClient.INLINE_LIMIT);

        List<Map<String, Object>> records = readAll();

        assertThat(records).hasSize(250);
        CompiledMap map = TransformEngine.compile(CortexXdrMaps.vulnerabilityMap());
        for (Map<String, Object> record : records) {
            int i = index.get((String) record.get("endpoint_id"));
            assertThat(normalise(record.get("cves"))).as("cves of endpoint %d", i)
                    .isEqualTo(normalise(tenant.cvesFor(i)));

            TransformOutcome outcome = map.apply(record);
            assertThat(outcome.rejections()).as("rejections of endpoint %d", i).isEmpty();
            Map<String, Object> asset = outcome.record().orElseThrow();
            List<Object> findingIds = new ArrayList<>();
            if (asset.get("finding") instanceof List<?> findings) {
                findings.forEach(f -> findingIds.add(((Map<?, ?>) f).get("externalFindingId")));
            }
            assertThat(findingIds).as("findings of endpoint %d", i)
                    .isEqualTo(tenant.cvesFor(i).stream().map(c -> c.get("name")).toList());
        }
        assertThat(tenant.requestCount(CortexXdrSimulator.START_XQL_QUERY)).isEqualTo(1);
        assertThat(tenant.requestCount(CortexXdrSimulator.GET_QUERY_RESULTS_STREAM)).isEqualTo(1);
        assertThat(metrics.counts).containsEntry("xql.queries", 1L).containsEntry("xql.rows", (long) held);
    }

    @Test
    void assetsModeRunsNoQuery() {
        start(30);

        List<Map<String, Object>> records = readAll("dataToSync", "assets");

        assertThat(records).hasSize(30).allSatisfy(r -> assertThat(r).doesNotContainKey("cves"));
        assertThat(tenant.requestCount(CortexXdrSimulator.START_XQL_QUERY)).isZero();
    }

    @Test
    void anUnlicensedTenantFailsTheRunByDefault() {
        start(30);
        tenant.unlicenseXql(LicenceFailure.SERVER_ERROR);

        ConnectorException e = catchThrowableOfType(ConnectorException.class, this::readAll);

        assertThat(e.kind()).isEqualTo(ErrorKind.LICENSE);
        assertThat(e.remediation()).hasValue(Remediation.XQL_LICENCE);
        assertThat(e.getMessage()).doesNotContain(KEY);
    }

    @Test
    void anUnlicensedTenantGivesAssetsOnlyWhenConfiguredSo() {
        start(30);
        tenant.unlicenseXql(LicenceFailure.PAYMENT_REQUIRED);

        List<Map<String, Object>> records = readAll("vulnerabilitiesUnavailable", "assets-only");

        assertThat(records).hasSize(30).allSatisfy(r -> assertThat(r).doesNotContainKey("cves"));
        assertThat(metrics.counts).containsEntry("xql.unavailable", 1L);
        assertThat(tenant.requestCount(CortexXdrSimulator.START_XQL_QUERY)).isEqualTo(1);
    }
}
