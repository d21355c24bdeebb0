package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.Partition;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.LicenceFailure;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.testkit.MutableClock;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.runtime.transform.TransformOutcome;

/**
 * The software stream against the simulated tenant: one XQL query over the host inventory per
 * run, its rows handed out page by page, resumable from a checkpoint, and mapped by the
 * software map.
 */
class SoftwareStreamTest {
    static final String KEY_ID = "1";
    static final String KEY = "standard-key-for-software-tests-01";

    private final CortexXdrConnector connector = new CortexXdrConnector();
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-20T00:00:00Z"));

    static CortexXdrSimulator start(int endpoints) {
        return CortexXdrSimulator.builder().endpoints(endpoints).seed(5).xqlPendingPolls(0)
                .standardKey(KEY_ID, KEY).start();
    }

    static ConnectorConfig config(CortexXdrSimulator sim) {
        Map<String, Object> raw = TestConfigs.raw(sim.baseUrl());
        raw.put("apiKey", KEY);
        raw.put("apiKeyId", KEY_ID);
        raw.put("caCertificate", sim.caCertificatePem());
        raw.put("dataToSync", "none");
        raw.put("software", true);
        raw.put("maxRequestsPerSecond", 10);
        return TestConfigs.config(raw);
    }

    /** The simulator's inventory, endpoint by endpoint in endpoint_id order, each by application name. */
    static List<Map<String, Object>> inventory(CortexXdrSimulator sim) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < sim.endpointCount(); i++) {
            rows.addAll(sim.softwareFor(sim.firstEndpointIndex() + i));
        }
        return rows;
    }

    private StreamReader open(CortexXdrSimulator sim) {
        return connector.open(config(sim), RuntimeContexts.onFakeTime("tenant-s", List.of(KEY), clock));
    }

    private static PageRequest first() {
        return new PageRequest(CortexXdrConnector.SOFTWARE, Partition.WHOLE, Checkpoint.START, SyncMode.FULL,
                Optional.empty());
    }

    private static List<Map<String, Object>> readFrom(StreamReader reader, PageRequest request) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int pages = 1; ; pages++) {
            assertThat(pages).isLessThan(1_000);
            Page page = reader.read(request);
            out.addAll(page.records());
            if (page.done()) {
                return out;
            }
            request = request.next(page);
        }
    }

    @Test
    void aRunReadsTheWholeInventoryRowByRowWithOneStreamedQuery() {
        try (CortexXdrSimulator sim = start(300); StreamReader reader = open(sim)) {
            List<Map<String, Object>> inventory = inventory(sim);
            assertThat(inventory).hasSizeGreaterThan(1000); // more than fits inline: the result is streamed

            List<Map<String, Object>> records = readFrom(reader, first());

            assertThat(records).isEqualTo(inventory);
            assertThat(sim.requestCount(CortexXdrSimulator.START_XQL_QUERY)).isEqualTo(1);
            assertThat(sim.requestCount(CortexXdrSimulator.GET_QUERY_RESULTS_STREAM)).isEqualTo(1);
        }
    }

    @Test
    void aSmallInventoryComesInlineInPagesOfFiveHundredRows() {
        try (CortexXdrSimulator sim = start(20); StreamReader reader = open(sim)) {
            List<Map<String, Object>> inventory = inventory(sim);
            Page page = reader.read(first());

            assertThat(page.records()).isEqualTo(inventory.subList(0, Math.min(500, inventory.size())));
            assertThat(page.done()).isEqualTo(inventory.size() <= 500);
            assertThat(sim.requestCount(CortexXdrSimulator.GET_QUERY_RESULTS_STREAM)).isZero();
        }
    }

    @Test
    void aRunResumedFromItsCheckpointRunsAFreshQueryAndSkipsTheRowsAlreadyHandedOut() {
        try (CortexXdrSimulator sim = start(300)) {
            List<Map<String, Object>> records = new ArrayList<>();
            Page firstPage;
            try (StreamReader reader = open(sim)) {
                firstPage = reader.read(first());
            }
            records.addAll(firstPage.records());
            assertThat(firstPage.next()).isEqualTo(Checkpoint.of(SoftwarePager.ROWS, 500L));

            try (StreamReader resumed = open(sim)) {
                records.addAll(readFrom(resumed, first().next(firstPage)));
            }

            assertThat(records).isEqualTo(inventory(sim));
            assertThat(sim.requestCount(CortexXdrSimulator.START_XQL_QUERY)).isEqualTo(2);
        }
    }

    @Test
    void aTenantWithoutHostInsightsFailsTheStreamWithLicenceAndSaysHowToGoOnWithoutIt() {
        try (CortexXdrSimulator sim = start(5); StreamReader reader = open(sim)) {
            sim.unlicenseXql(LicenceFailure.PAYMENT_REQUIRED);

            assertThatThrownBy(() -> reader.read(first())).isInstanceOfSatisfying(ConnectorException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.LICENSE);
                assertThat(e.getMessage()).startsWith("Cortex XDR refused the installed-software query: the tenant is"
                        + " not licensed for XQL over the host inventory (Host Insights) (HTTP 402: ");
                assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("Host Insights",
                        "set 'software' to false"));
            });
        }
    }

    @Test
    void theSoftwareMapWritesEachRowAsASoftwareRecordOfItsAsset() {
        try (CortexXdrSimulator sim = start(3)) {
            Map<String, Object> row = sim.softwareFor(0).get(0);
            CompiledMap map = TransformEngine.compile(CortexXdrSoftwareMap.map());

            TransformOutcome outcome = map.apply(row, 1);

            Map<String, Object> record = outcome.record().orElseThrow();
            assertThat(record).containsEntry("externalAssetId", sim.endpointId(0))
                    .containsEntry("hostName", sim.endpoint(0).get("endpoint_name"))
                    .containsEntry("name", row.get("application_name"))
                    .containsEntry("vendor", row.get("vendor"))
                    .containsEntry("version", row.get("version"))
                    .containsEntry("installedDate",
                            Instant.ofEpochMilli(((Number) row.get("installation_date")).longValue()).toString()
                                    .replace("Z", ".000Z"));
            assertThat(map.modelKind()).isEqualTo("software");
        }
    }
}
