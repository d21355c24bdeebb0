package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.TenantFault;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.runtime.time.Sleeper;
import org.connectorsdk.testkit.MutableClock;

/**
 * Incidents and alerts through the whole runtime: the plugin found by ServiceLoader, the real
 * HTTPS transport, the frozen delta window and watermark, the event maps, the JSON Lines sink
 * and the file state store, against simulated tenants on fake time.
 */
class EventsEndToEndTest {
    static final String KEY_A = "events-e2e-key-a-0123456789";
    static final String KEY_B = "events-e2e-key-b-9876543210";
    static final Instant BASE = Instant.parse("2026-11-20T00:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private CortexXdrSimulator tenant(int incidents, String key) {
        CortexXdrSimulator sim = CortexXdrSimulator.builder().endpoints(20).incidents(incidents).seed(3)
                .eventTimeBase(BASE).standardKey("1", key).start();
        closing.add(sim);
        return sim;
    }

    private ConnectorRuntime runtime(MutableClock clock, Sleeper sleeper) throws IOException {
        ConnectorRuntime runtime = ConnectorRuntime.builder().sink(new JsonLinesSink(dir.resolve("out")))
                .stateStore(FileStateStore.open(dir.resolve("state"))).clock(clock).workers(2)
                .sleeper(sleeper).build();
        closing.add(0, runtime);
        return runtime;
    }

    private InstanceDefinition instance(String name, CortexXdrSimulator sim, String key) throws IOException {
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(keyFile, key);
        return new InstanceDefinition("cortex-xdr", name, "simulated tenant", Map.of(
                "baseUrl", sim.baseUrl(),
                "apiKey", "file:" + keyFile,
                "apiKeyId", "1",
                "dataToSync", "none",
                "events", List.of("incidents", "alerts"),
                "eventLookback", "P30D",
                "maxRequestsPerSecond", 10,
                "caCertificate", sim.caCertificatePem()), Optional.empty());
    }

    private List<Map<String, Object>> records(String instance, RunSummary s, String stream) throws IOException {
        Path file = dir.resolve("out").resolve(instance).resolve(s.runId()).resolve(stream + ".jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(EventsEndToEndTest::parse).toList();
        }
    }

    private static Map<String, Object> parse(String line) {
        try {
            return JSON.readValue(line, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private static List<Object> ids(List<Map<String, Object>> records, String field) {
        return records.stream().map(r -> r.get(field)).toList();
    }

    private static RunSummary quietly(java.util.function.Supplier<RunSummary> run, StringBuilder logs) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return run.get();
        } finally {
            System.setErr(original);
            logs.append(captured.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDeltaRunEmitsExactlyTheThreeModifiedAndTwoAddedIncidentsAndAFailedRunKeepsTheWatermark()
            throws IOException {
        MutableClock clock = MutableClock.at(BASE.plus(Duration.ofHours(2)));
        CortexXdrSimulator sim = tenant(300, KEY_A);
        ConnectorRuntime runtime = runtime(clock, clock);
        runtime.register(instance("tenant-a", sim, KEY_A));

        RunSummary first = runtime.runNow("tenant-a");
        assertThat(first.state()).as(String.valueOf(first.error())).isEqualTo(ConnectorState.PROCESSED);
        assertThat(first.streams().get("incidents").written()).isEqualTo(300);
        assertThat(first.streams().get("alerts").written()).isEqualTo(sim.alertCount());
        assertThat(first.streams().get("incidents").rejected()).isZero();
        assertThat(records("tenant-a", first, "incidents")).allSatisfy(r -> assertThat(r.get("_meta"))
                .isEqualTo(Map.of("map", "Cortex XDR Incident Transform Map", "model", "incident",
                        "modelVersion", "1.0.0", "instance", "tenant-a", "stream", "incidents",
                        "key", List.of(r.get("externalIncidentId")),
                        "version", String.valueOf(Instant.parse((String) r.get("modifiedTime")).toEpochMilli()))));

        clock.advance(Duration.ofMinutes(5));
        List<String> modified = sim.modifyIncidents(3, clock.instant());
        clock.advance(Duration.ofMinutes(1));
        List<String> added = sim.addIncidents(2, clock.instant());
        clock.advance(Duration.ofMinutes(4));
        StringBuilder logs = new StringBuilder();
        RunSummary delta = quietly(() -> runtime.runNow("tenant-a"), logs);

        assertThat(delta.state()).as(String.valueOf(delta.error())).isEqualTo(ConnectorState.PROCESSED);
        List<Object> expected = new ArrayList<>(modified);
        expected.addAll(added);
        assertThat(ids(records("tenant-a", delta, "incidents"), "externalIncidentId"))
                .containsExactlyElementsOf(expected);
        // the new incidents' alerts that reached the server before the window's end (now - 1 minute)
        long windowEnd = clock.instant().minus(Duration.ofMinutes(1)).toEpochMilli();
        Set<Object> newAlerts = new HashSet<>();
        for (String id : added) {
            sim.alertsOf(id).stream().filter(a -> ((Number) a.get("local_insert_ts")).longValue() < windowEnd)
                    .forEach(a -> newAlerts.add(a.get("alert_id")));
        }
        assertThat(newAlerts).isNotEmpty();
        assertThat(ids(records("tenant-a", delta, "alerts"), "externalDetectionId")).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(newAlerts);
        assertThat(logs).contains("INFO org.connectorsdk.runtime.internal.sync.SyncRun - tenant-a: fetched 5 incidents")
                .contains("tenant-a: fetched " + newAlerts.size() + " alerts").doesNotContain(KEY_A);

        // a run that fails leaves the watermark where it was; the next one emits what it missed
        Optional<Checkpoint> watermark = FileStateStore.open(dir.resolve("state")).cursor("tenant-a", "incidents");
        clock.advance(Duration.ofMinutes(2));
        List<String> later = sim.modifyIncidents(4, clock.instant());
        clock.advance(Duration.ofMinutes(3));
        long before = sim.requestCount(CortexXdrSimulator.GET_INCIDENTS);
        sim.faults().onPath(CortexXdrSimulator.GET_INCIDENTS).request(before + 1).respond(TenantFault.status(400));
        RunSummary failed = quietly(() -> runtime.runNow("tenant-a"), new StringBuilder());
        assertThat(failed.state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
        assertThat(FileStateStore.open(dir.resolve("state")).cursor("tenant-a", "incidents")).isEqualTo(watermark);

        clock.advance(Duration.ofMinutes(5));
        RunSummary retried = runtime.runNow("tenant-a");
        assertThat(retried.state()).as(String.valueOf(retried.error())).isEqualTo(ConnectorState.PROCESSED);
        assertThat(ids(records("tenant-a", retried, "incidents"), "externalIncidentId"))
                .containsExactlyInAnyOrderElementsOf(later);
        assertThat(FileStateStore.open(dir.resolve("state")).cursor("tenant-a", "incidents")).isNotEqualTo(watermark);
    }

    @Test
    void aTenantAnswering429ForAMinuteDoesNotHoldUpAnother() throws Exception {
        // Fake time. Waits of 200 ms or more are Retry-After waits (the transport sleeps them in
        // 200 ms slices; rate-limit waits at 10 requests a second are 100 ms): the first one holds
        // until tenant A's run is over, so B is backing off for certain while A runs, without
        // racing the wall clock. Should A wait for B (one worker, a shared budget), the hold times
        // out after 10 seconds, B ends first and the test fails.
        MutableClock clock = MutableClock.at(BASE.plus(Duration.ofHours(2)));
        CountDownLatch aDone = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean();
        Sleeper scaled = d -> {
            if (d.compareTo(Duration.ofMillis(200)) >= 0 && held.compareAndSet(false, true)) {
                aDone.await(10, TimeUnit.SECONDS);
            }
            clock.advance(d);
        };
        CortexXdrSimulator a = tenant(50, KEY_A);
        CortexXdrSimulator b = tenant(50, KEY_B);
        ConnectorRuntime runtime = runtime(clock, scaled);
        runtime.register(instance("tenant-a", a, KEY_A));
        runtime.register(instance("tenant-b", b, KEY_B));
        // tenant B: 429 asking for 20 seconds on its first three incident requests, a minute in all
        long seen = b.requestCount(CortexXdrSimulator.GET_INCIDENTS);
        b.faults().onPath(CortexXdrSimulator.GET_INCIDENTS).requests(seen + 1, seen + 3)
                .respond(TenantFault.tooManyRequests(20));

        Instant bStart = clock.instant();
        CompletableFuture<RunSummary> runB = CompletableFuture.supplyAsync(() -> runtime.runNow("tenant-b"));
        while (b.requestCount(CortexXdrSimulator.GET_INCIDENTS) == seen) {
            Thread.onSpinWait();
        }
        RunSummary runA = runtime.runNow("tenant-a");
        boolean bStillBackingOff = !runB.isDone();
        aDone.countDown();

        assertThat(bStillBackingOff).as("tenant A finished while tenant B was still backing off").isTrue();
        assertThat(runA.state()).as(String.valueOf(runA.error())).isEqualTo(ConnectorState.PROCESSED);
        assertThat(runA.streams().get("incidents").written()).isEqualTo(50);
        assertThat(runA.counter("http.retries")).isZero();
        RunSummary summaryB = runB.get(30, TimeUnit.SECONDS);
        assertThat(summaryB.state()).as(String.valueOf(summaryB.error())).isEqualTo(ConnectorState.PROCESSED);
        assertThat(summaryB.streams().get("incidents").written()).isEqualTo(50);
        assertThat(summaryB.counter("http.retries")).isEqualTo(3);
        assertThat(Duration.between(bStart, summaryB.finishedAt())).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
    }
}
