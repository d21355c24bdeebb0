package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StreamRead;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.testkit.InMemoryRecordSink;
import org.connectorsdk.testkit.InMemoryStateStore;
import org.connectorsdk.testkit.MutableClock;

/**
 * Config changes through the whole runtime against simulated tenants: which streams an update
 * makes the next run read in full ({@link ConnectorRuntime#cursorResets}), and that the run then
 * does read exactly those in full and the others as deltas.
 */
class ConfigChangeResetsTest {
    static final String KEY = "config-change-key-0123456789";
    static final Instant BASE = Instant.parse("2026-11-20T00:00:00Z");
    static final String NAME = "tenant";

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private CortexXdrSimulator tenant(long seed) {
        CortexXdrSimulator sim = CortexXdrSimulator.builder().incidents(60).seed(seed).eventTimeBase(BASE)
                .standardKey("1", KEY).start();
        closing.add(sim);
        return sim;
    }

    private InstanceDefinition instance(CortexXdrSimulator sim, List<String> events, Map<String, Object> filters)
            throws IOException {
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, KEY);
        Map<String, Object> config = new LinkedHashMap<>(Map.of("baseUrl", sim.baseUrl(), "apiKey", "file:" + keyFile,
                "apiKeyId", "1", "dataToSync", "none", "events", events, "eventLookback", "P30D",
                "maxRequestsPerSecond", 10, "caCertificate", sim.caCertificatePem()));
        config.putAll(filters);
        return new InstanceDefinition("cortex-xdr", NAME, "simulated tenant", config, Optional.empty());
    }

    private static Map<String, SyncMode> modes(InMemoryRecordSink sink) {
        Map<String, SyncMode> modes = new LinkedHashMap<>();
        for (StreamRead read : sink.lastRun(NAME).orElseThrow().run().streams().values()) {
            modes.put(read.stream(), read.mode());
        }
        return modes;
    }

    private static RunSummary processed(ConnectorRuntime runtime, MutableClock clock) {
        clock.advance(Duration.ofMinutes(10));
        RunSummary run = runtime.runNow(NAME);
        assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo(ConnectorState.PROCESSED);
        return run;
    }

    @Test
    void aStreamAddedAFilterRemovedOrAnotherTenantIsReadInFullAndANarrowingKeepsTheCursor() throws IOException {
        MutableClock clock = MutableClock.at(BASE.plus(Duration.ofHours(2)));
        CortexXdrSimulator a = tenant(3);
        InMemoryRecordSink sink = new InMemoryRecordSink();
        ConnectorRuntime runtime = ConnectorRuntime.builder().sink(sink).stateStore(new InMemoryStateStore())
                .clock(clock).sleeper(clock).workers(1).build();
        closing.add(0, runtime);
        Map<String, Object> highOnly = Map.of("incidentSeverityFilter", List.of("high"));
        long high = IntStream.rangeClosed(1, a.incidentCount())
                .filter(i -> "high".equals(a.incident(String.valueOf(i)).get("severity"))).count();
        assertThat(high).as("the tenant has high and other incidents").isPositive().isLessThan(a.incidentCount());

        // the first run reads everything in full: nothing is "reset" before a commit
        runtime.register(instance(a, List.of("incidents"), highOnly));
        assertThat(runtime.cursorResets(NAME)).isEmpty();
        RunSummary first = processed(runtime, clock);
        assertThat(modes(sink)).containsExactly(Map.entry("incidents", SyncMode.FULL));
        assertThat(first.streams().get("incidents").written()).isEqualTo(high);
        assertThat(runtime.cursorResets(NAME)).isEmpty();

        // a stream added: only it is read in full
        runtime.update(instance(a, List.of("incidents", "alerts"), highOnly));
        assertThat(runtime.cursorResets(NAME)).containsExactly(Map.entry("alerts", "the stream was added"));
        RunSummary added = processed(runtime, clock);
        assertThat(modes(sink)).containsExactly(Map.entry("incidents", SyncMode.INCREMENTAL),
                Map.entry("alerts", SyncMode.FULL));
        assertThat(added.streams().get("incidents").written()).isZero();
        assertThat(added.streams().get("alerts").written()).isEqualTo(a.alertCount());

        // the severity filter removed: incidents are read in full, every one of them now
        runtime.update(instance(a, List.of("incidents", "alerts"), Map.of()));
        assertThat(runtime.cursorResets(NAME))
                .containsExactly(Map.entry("incidents", "the incidentSeverityFilter was removed"));
        RunSummary widened = processed(runtime, clock);
        assertThat(modes(sink)).containsExactly(Map.entry("incidents", SyncMode.FULL),
                Map.entry("alerts", SyncMode.INCREMENTAL));
        assertThat(widened.streams().get("incidents").written()).isEqualTo(a.incidentCount());
        assertThat(widened.streams().get("alerts").written()).isZero();

        // narrowed again, then widened by a value added to the list
        runtime.update(instance(a, List.of("incidents", "alerts"), highOnly));
        assertThat(runtime.cursorResets(NAME)).isEmpty();
        RunSummary narrowed = processed(runtime, clock);
        assertThat(modes(sink)).containsExactly(Map.entry("incidents", SyncMode.INCREMENTAL),
                Map.entry("alerts", SyncMode.INCREMENTAL));
        assertThat(narrowed.streams().get("incidents").written()).isZero();
        runtime.update(instance(a, List.of("incidents", "alerts"),
                Map.of("incidentSeverityFilter", List.of("high", "low"))));
        assertThat(runtime.cursorResets(NAME))
                .containsExactly(Map.entry("incidents", "the incidentSeverityFilter was widened"));
        processed(runtime, clock);
        assertThat(modes(sink)).containsEntry("incidents", SyncMode.FULL);

        // another tenant: every stream is read in full, with that tenant's records
        CortexXdrSimulator b = tenant(4);
        runtime.update(instance(b, List.of("incidents", "alerts"), Map.of()));
        assertThat(runtime.cursorResets(NAME)).containsExactly(
                Map.entry("incidents", "the source changed to " + b.baseUrl() + " key 1"),
                Map.entry("alerts", "the source changed to " + b.baseUrl() + " key 1"));
        RunSummary moved = processed(runtime, clock);
        assertThat(modes(sink)).containsExactly(Map.entry("incidents", SyncMode.FULL),
                Map.entry("alerts", SyncMode.FULL));
        assertThat(moved.streams().get("incidents").written()).isEqualTo(b.incidentCount());
        assertThat(moved.streams().get("alerts").written()).isEqualTo(b.alertCount());
        assertThat(runtime.cursorResets(NAME)).isEmpty();
    }
}
