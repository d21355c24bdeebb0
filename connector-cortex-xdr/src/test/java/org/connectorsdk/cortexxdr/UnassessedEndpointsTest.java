package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "unknown is not empty", for endpoints the XQL vulnerability answer says nothing
 * about: through the runtime and its JSON Lines sink, against a simulated tenant where some
 * endpoints were never assessed, an endpoint assessed without CVEs is published with
 * {@code finding: []}, one never assessed with no {@code finding} and its reason in
 * {@code _meta.unknown}, and one whose clean assessment is stale is unknown too.
 */
class UnassessedEndpointsTest {
    private static final String KEY = "unassessed-endpoints-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ENDPOINTS = 60;

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-02T00:00:00Z"));
    private CortexXdrSimulator tenant;
    private ConnectorRuntime runtime;
    private JsonLinesSink sink;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (tenant != null) {
            tenant.close();
        }
    }

    private void start(String vulnerabilitiesUnavailable) throws IOException {
        tenant = CortexXdrSimulator.builder().endpoints(ENDPOINTS).seed(5).unassessedEndpoints(0.25)
                .standardKey("1", KEY).clock(clock).xqlPendingPolls(0).start();
        sink = new JsonLinesSink(dir.resolve("out"));
        runtime = ConnectorRuntime.builder().sink(sink).stateStore(FileStateStore.open(dir.resolve("state")))
                .clock(clock).build();
        Path keyFile = Files.writeString(dir.resolve("key"), KEY);
        runtime.register(new InstanceDefinition("cortex-xdr", "coverage", "", Map.of("baseUrl", tenant.baseUrl(),
                "apiKey", "file:" + keyFile, "apiKeyId", "1", "dataToSync", "assets-and-findings",
                "vulnerabilitiesUnavailable", vulnerabilitiesUnavailable,
                "caCertificate", tenant.caCertificatePem()), Optional.empty()));
    }

    @Test
    void anAssessedCleanEndpointHasNoFindingsAndANeverAssessedOneHasNoFindingFieldButItsReason()
            throws IOException {
        start("fail");
        List<Integer> unassessed = new ArrayList<>();
        List<Integer> clean = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS; i++) {
            if (!tenant.assessed(i)) {
                unassessed.add(i);
            } else if (tenant.cvesFor(i).isEmpty()) {
                clean.add(i);
            }
        }
        assertThat(unassessed).as("seed 5 leaves some endpoints unassessed").isNotEmpty();
        assertThat(clean).as("and some assessed without CVEs").isNotEmpty();

        RunSummary run = runtime.runNow("coverage");

        // never assessed is how the tenant is, not an incomplete answer: 'fail' does not fail the run
        assertThat(run.state()).as(run.toString()).isEqualTo(ConnectorState.PROCESSED);
        Map<String, Map<String, Object>> assets = assets(run);
        assertThat(assets).hasSize(ENDPOINTS);
        for (int i = 0; i < ENDPOINTS; i++) {
            Map<String, Object> asset = assets.get(tenant.endpointId(i));
            if (unassessed.contains(i)) {
                assertThat(asset).as("endpoint %d, never assessed", i).doesNotContainKey("finding");
                assertThat(unknown(asset)).as("endpoint %d", i).isEqualTo(Map.of("finding", "not assessed"));
            } else {
                assertThat(unknown(asset)).as("endpoint %d", i).isNull();
                assertThat(findingIds(asset)).as("findings of endpoint %d", i)
                        .containsExactlyElementsOf(tenant.cvesFor(i).stream().map(c -> c.get("name")).toList());
            }
        }
        assertThat(assets.get(tenant.endpointId(clean.get(0)))).containsEntry("finding", List.of());
        assertThat(run.counter("vulnerabilities.unknown")).isEqualTo(unassessed.size());
        assertThat(run.counter("vulnerabilities.unassessed")).isEqualTo(unassessed.size());
    }

    @Test
    void aStaleAssessmentOfACleanEndpointIsUnknownNotEmpty() throws IOException {
        start("assets-only");
        int clean = 0;
        while (!tenant.assessed(clean) || !tenant.cvesFor(clean).isEmpty()) {
            clean++;
        }
        int fresh = clean + 1;
        while (!tenant.assessed(fresh) || !tenant.cvesFor(fresh).isEmpty()) {
            fresh++;
        }
        // the max age is 7 days
        tenant.lastAssessment(clean, clock.instant().minus(Duration.ofDays(8)));
        tenant.lastAssessment(fresh, clock.instant().minus(Duration.ofDays(6)));

        RunSummary run = runtime.runNow("coverage");

        assertThat(run.state()).as(run.toString()).isEqualTo(ConnectorState.PROCESSED);
        Map<String, Map<String, Object>> assets = assets(run);
        Map<String, Object> stale = assets.get(tenant.endpointId(clean));
        assertThat(stale).doesNotContainKey("finding");
        assertThat(unknown(stale)).isEqualTo(Map.of("finding", "stale assessment"));
        assertThat(assets.get(tenant.endpointId(fresh))).containsEntry("finding", List.of());
        assertThat(unknown(assets.get(tenant.endpointId(fresh)))).isNull();
        long unassessed = run.counter("vulnerabilities.unassessed");
        assertThat(unassessed).isPositive();
        assertThat(run.counter("vulnerabilities.unknown")).isEqualTo(unassessed + 1);
    }

    private Map<String, Map<String, Object>> assets(RunSummary run) throws IOException {
        Path file = sink.runDirectory(run.instance(), run.runId()).resolve("assets.jsonl");
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            Map<String, Object> asset = JSON.readValue(line, new TypeReference<Map<String, Object>>() { });
            byId.put((String) asset.get("externalAssetId"), asset);
        }
        return byId;
    }

    private static Object unknown(Map<String, Object> asset) {
        return ((Map<?, ?>) asset.get("_meta")).get("unknown");
    }

    private static List<Object> findingIds(Map<String, Object> asset) {
        assertThat(asset).containsKey("finding");
        return ((List<?>) asset.get("finding")).stream().map(f -> (Object) ((Map<?, ?>) f).get("externalFindingId"))
                .toList();
    }
}
