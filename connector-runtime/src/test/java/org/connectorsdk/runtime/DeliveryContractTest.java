package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.runtime.internal.store.StateJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The delivery contract through {@link ConnectorRuntime}, the JSON Lines sink and the file state
 * store, on a fake clock: every record version of a changing tenant is published exactly once.
 */
class DeliveryContractTest {
    private static final String KEY = "k-123";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-25T16:37:00Z"));
    private final Random random = new Random(14);
    private String tenantName;
    private FakeConnector.Tenant tenant;
    private final List<ConnectorRuntime> runtimes = new ArrayList<>();

    @BeforeEach
    void tenant() {
        tenantName = "t-" + UUID.randomUUID();
        tenant = new FakeConnector.Tenant(KEY).withAssets(5);
        FakeConnector.TENANTS.put(tenantName, tenant);
    }

    @AfterEach
    void close() {
        runtimes.forEach(ConnectorRuntime::close);
        FakeConnector.TENANTS.remove(tenantName);
    }

    private ConnectorRuntime runtime(RecordSink sink, StateStore store) {
        ConnectorRuntime r = ConnectorRuntime.builder().sink(sink).stateStore(store).clock(clock).workers(1).build();
        runtimes.add(r);
        return r;
    }

    private ConnectorRuntime runtime() {
        return runtime(new JsonLinesSink(dir.resolve("out")), FileStateStore.open(dir.resolve("state")));
    }

    private InstanceDefinition events(Optional<org.connectorsdk.api.DeltaWindow> window) {
        Map<String, Object> config = new HashMap<>();
        config.put("tenant", tenantName);
        config.put("apiKey", KEY);
        config.put("dataToSync", "assets-and-events");
        return new InstanceDefinition(FakeConnector.ID, "eu", "", config, Optional.empty(), Map.of(), window);
    }

    /** Modifies a few events and adds a few, stamped {@code lag} before now: inside the overlap. */
    private void change(int modified, int added, Duration lag) {
        long at = clock.instant().minus(lag).toEpochMilli();
        for (int i = 0; i < modified && !tenant.events.isEmpty(); i++) {
            int victim = random.nextInt(tenant.events.size());
            Map<String, Object> e = new LinkedHashMap<>(tenant.events.get(victim));
            e.put("at", at + i);
            tenant.events.remove(victim);
            tenant.events.add(e);
        }
        for (int i = 0; i < added; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", "e" + UUID.randomUUID());
            e.put("at", at + modified + i);
            tenant.events.add(e);
        }
        tenant.events.sort((a, b) -> Long.compare((Long) a.get("at"), (Long) b.get("at")));
    }

    /** Every published event version ("id@at"), across every published run. */
    private List<String> publishedVersions() throws IOException {
        List<String> out = new ArrayList<>();
        Path instance = dir.resolve("out/eu");
        try (Stream<Path> runs = Files.list(instance)) {
            for (Path run : runs.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                for (String line : Files.readAllLines(run.resolve("events.jsonl"))) {
                    Map<String, Object> r = StateJson.map(StateJson.COMPACT.readValue(line, Object.class));
                    out.add(r.get("id") + "@" + r.get("at"));
                }
            }
        }
        return out;
    }

    private long publishedRuns() throws IOException {
        try (Stream<Path> runs = Files.list(dir.resolve("out/eu"))) {
            return runs.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    /** The versions the tenant holds now that a run reading up to now less the settle would see. */
    private List<String> tenantVersions(Instant upTo) {
        return tenant.events.stream().filter(e -> Instant.ofEpochMilli((Long) e.get("at")).isBefore(upTo))
                .map(e -> e.get("id") + "@" + e.get("at")).toList();
    }

    @Test
    void twentyDeltaRunsWhileRecordsChangeInsideTheOverlapPublishEveryVersionExactlyOnce() throws IOException {
        ConnectorRuntime runtime = runtime();
        change(0, 20, Duration.ofMinutes(30));
        runtime.register(events(Optional.empty()));
        List<String> expected = new ArrayList<>();
        for (int run = 0; run < 20; run++) {
            clock.advance(Duration.ofMinutes(3));
            change(3, 2, Duration.ofSeconds(90));
            RunSummary s = runtime.runNow("eu");
            assertThat(s.state()).as(s.error().toString()).isEqualTo(ConnectorState.PROCESSED);
            tenantVersions(clock.instant().minus(Duration.ofMinutes(1))).stream()
                    .filter(v -> !expected.contains(v)).forEach(expected::add);
        }

        List<String> published = publishedVersions();
        assertThat(published).doesNotHaveDuplicates();
        assertThat(published).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void recordsVisibleTenMinutesLateAreReadWithAFifteenMinuteOverlap() throws IOException {
        ConnectorRuntime runtime = runtime();
        runtime.register(events(Optional.of(new org.connectorsdk.api.DeltaWindow(Duration.ofMinutes(15),
                Duration.ofMinutes(1)))));
        runtime.runNow("eu");
        List<String> late = new ArrayList<>();
        for (int run = 0; run < 6; run++) {
            clock.advance(Duration.ofMinutes(5));
            // stamped ten minutes ago, visible only now
            change(0, 2, Duration.ofMinutes(10));
            late.addAll(tenantVersions(clock.instant()).stream().filter(v -> !late.contains(v)).toList());
            runtime.runNow("eu");
        }
        clock.advance(Duration.ofMinutes(20));
        runtime.runNow("eu");

        assertThat(publishedVersions()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(late);
    }

    @Test
    void aClockSteppingBackNeverMovesTheWatermarkBackNorDeliversTwice() throws IOException {
        ConnectorRuntime runtime = runtime();
        change(0, 5, Duration.ofMinutes(10));
        runtime.register(events(Optional.empty()));
        runtime.runNow("eu");
        List<String> expected = new ArrayList<>(tenantVersions(clock.instant().minus(Duration.ofMinutes(1))));
        String watermark = (String) FileStateStore.open(dir.resolve("state")).cursor("eu", "events").orElseThrow()
                .values().get("watermark");

        clock.advance(Duration.ofMinutes(-30));
        runtime.runNow("eu");
        clock.advance(Duration.ofMinutes(35));
        change(1, 1, Duration.ofSeconds(30));
        runtime.runNow("eu");
        clock.advance(Duration.ofMinutes(5));
        runtime.runNow("eu");
        tenantVersions(clock.instant().minus(Duration.ofMinutes(1))).stream().filter(v -> !expected.contains(v))
                .forEach(expected::add);

        assertThat(FileStateStore.open(dir.resolve("state")).cursor("eu", "events").orElseThrow().values()
                .get("watermark").toString()).isGreaterThan(watermark);
        assertThat(publishedVersions()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** A store that, once armed, fails at its first call of {@code method} and every call after: a crash. */
    private static StateStore crashingAt(StateStore store, String method, boolean[] armed) {
        boolean[] crashed = {false};
        return (StateStore) java.lang.reflect.Proxy.newProxyInstance(StateStore.class.getClassLoader(),
                new Class<?>[] {StateStore.class}, (proxy, m, args) -> {
                    if (armed[0] && (crashed[0] || m.getName().equals(method))) {
                        crashed[0] = true;
                        throw new IllegalStateException("crash at " + method);
                    }
                    try {
                        return m.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A sink whose commit fails before it publishes anything, once armed. */
    private static RecordSink failingCommit(JsonLinesSink sink, boolean[] armed) {
        return new RecordSink() {
            @Override
            public SinkWriter open(RunInfo run) {
                SinkWriter w = sink.open(run);
                return new SinkWriter() {
                    @Override
                    public void write(String stream, Map<String, Object> record) {
                        w.write(stream, record);
                    }

                    @Override
                    public void commit(RunCommit commit) {
                        if (armed[0]) {
                            throw new ConnectorException(ErrorKind.INTERNAL, "disk full before publish", "Free space");
                        }
                        w.commit(commit);
                    }

                    @Override
                    public void abort() {
                        w.abort();
                    }

                    @Override
                    public void close() {
                        w.close();
                    }
                };
            }

            @Override
            public Optional<RunCommit> lastCommit(String instance) {
                return sink.lastCommit(instance);
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"commit", "saveCursor", "clearCheckpoints", "saveRun", "appendTransition"})
    void aCrashAtAnyStepOfTheCommitSequenceThenARestartLosesNothingAndRepeatsNothing(String step)
            throws IOException {
        boolean[] armed = {false};
        StateStore files = FileStateStore.open(dir.resolve("state"));
        ConnectorRuntime first = runtime(failingCommit(new JsonLinesSink(dir.resolve("out")), step.equals("commit")
                ? armed : new boolean[1]), crashingAt(files, step, armed));
        change(0, 5, Duration.ofMinutes(10));
        first.register(events(Optional.empty()));
        first.runNow("eu");
        List<String> expected = new ArrayList<>(tenantVersions(clock.instant().minus(Duration.ofMinutes(1))));
        clock.advance(Duration.ofMinutes(3));
        change(2, 2, Duration.ofSeconds(90));
        armed[0] = true;
        List<String> beforeCrash = tenantVersions(clock.instant().minus(Duration.ofMinutes(1)));
        long publishedBefore = publishedRuns();
        try {
            first.runNow("eu");
            first.close();
        } catch (RuntimeException e) {
            // the crash may surface to the caller: what matters is what a restart finds
        }
        if (publishedRuns() > publishedBefore) {
            // the crash came after the publish: what that run read is published
            beforeCrash.stream().filter(v -> !expected.contains(v)).forEach(expected::add);
        }

        ConnectorRuntime restarted = runtime(new JsonLinesSink(dir.resolve("out")), FileStateStore.open(
                dir.resolve("state")));
        assertThat(restarted.history("eu").runs()).allMatch(r -> r.state() == ConnectorState.PROCESSED
                || !Files.isDirectory(dir.resolve("out/eu").resolve(r.runId())), "a run reported ERRORED published nothing");
        // every published run is in the history as PROCESSED, repaired from the sink when the store missed it
        assertThat(restarted.history("eu").runs().stream().filter(r -> r.state() == ConnectorState.PROCESSED)
                .count()).isEqualTo(publishedRuns());
        // the secret was given inline and is never stored: give it again, which keeps the cursors
        restarted.update(events(Optional.empty()));
        for (int run = 0; run < 3; run++) {
            clock.advance(Duration.ofMinutes(3));
            change(2, 2, Duration.ofSeconds(90));
            assertThat(restarted.runNow("eu").state()).isEqualTo(ConnectorState.PROCESSED);
            tenantVersions(clock.instant().minus(Duration.ofMinutes(1))).stream().filter(v -> !expected.contains(v))
                    .forEach(expected::add);
        }

        assertThat(publishedVersions()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    }
}
