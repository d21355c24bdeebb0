package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * A full read of the endpoints lists every endpoint whatever its last_seen, so the run tells the
 * sink the assets are a complete snapshot (a platform reconciles gone assets against it); an
 * endpoint that checked in after the window's end is delivered by the full read and not again
 * by the next delta read.
 */
class AssetSnapshotTest {
    private static final String KEY = "asset-snapshot-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private CortexXdrSimulator tenant;
    private ConnectorRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (tenant != null) {
            tenant.close();
        }
    }

    @Test
    void aFullReadOfTheEndpointsIsACompleteSnapshotAndADeltaReadIsNot() throws IOException {
        tenant = CortexXdrSimulator.builder().endpoints(12).seed(5).standardKey("1", KEY).start();
        Instant latest = IntStream.range(0, 12).mapToObj(i -> tenant.endpoint(i).get("last_seen"))
                .map(v -> Instant.ofEpochMilli(((Number) v).longValue())).max(Instant::compareTo).orElseThrow();
        MutableClock clock = MutableClock.at(latest.plus(Duration.ofDays(1)));
        JsonLinesSink sink = new JsonLinesSink(dir.resolve("out"));
        runtime = ConnectorRuntime.builder().sink(sink).stateStore(FileStateStore.open(dir.resolve("state")))
                .clock(clock).build();
        Path keyFile = Files.writeString(dir.resolve("key"), KEY);
        runtime.register(new InstanceDefinition("cortex-xdr", "snapshots", "", Map.of("baseUrl", tenant.baseUrl(),
                "apiKey", "file:" + keyFile, "apiKeyId", "1", "dataToSync", "assets",
                "caCertificate", tenant.caCertificatePem()), Optional.empty()));
        // checked in 10 s ago: after the full read's window end (now - 1 min settle)
        tenant.seeEndpoints(clock.instant().minusSeconds(10), 3);

        RunSummary full = runtime.runNow("snapshots");
        assertThat(full.state()).as(full.toString()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(sink.lastCommit("snapshots").orElseThrow().completeSnapshots()).containsExactly("assets");
        List<String> delivered = new ArrayList<>(ids(sink, full));
        assertThat(delivered).hasSize(12).contains(tenant.endpointId(3));

        clock.advance(Duration.ofMinutes(10));
        tenant.seeEndpoints(clock.instant().minusSeconds(120), 7);
        RunSummary delta = runtime.runNow("snapshots");
        assertThat(delta.state()).as(delta.toString()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(sink.lastCommit("snapshots").orElseThrow().completeSnapshots()).isEmpty();
        assertThat(ids(sink, delta)).as("the delta read: endpoint 7 changed; endpoint 3 was delivered by the full read")
                .containsExactly(tenant.endpointId(7));

        clock.advance(Duration.ofMinutes(10));
        RunSummary again = runtime.runFull("snapshots", p -> { });
        assertThat(again.state()).as(again.toString()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(sink.lastCommit("snapshots").orElseThrow().completeSnapshots()).containsExactly("assets");
        assertThat(ids(sink, again)).as("a full sync asked for lists every endpoint again").hasSize(12);
    }

    private static List<String> ids(JsonLinesSink sink, RunSummary run) throws IOException {
        Path file = sink.runDirectory(run.instance(), run.runId()).resolve("assets.jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(AssetSnapshotTest::externalId).toList();
        }
    }

    private static String externalId(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node.path("_meta").path("key").path(0).asText();
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
