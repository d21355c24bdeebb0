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
import java.util.UUID;
import java.util.stream.Stream;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.DeltaWindow;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.PartialRun;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume through {@link ConnectorRuntime} and the JSON Lines sink on a fake clock: a run whose
 * process dies part-way is continued by the instance's next run from its last page checkpoint.
 */
class ResumeTest {
    private static final String KEY = "k-123";
    private static final Instant T0 = Instant.parse("2026-05-25T16:37:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private String tenantName;
    private FakeConnector.Tenant tenant;
    private final List<ConnectorRuntime> runtimes = new ArrayList<>();
    /** Set when the simulated process dies: nothing of it runs after, not even its writer's abort. */
    private final boolean[] dead = {false};

    /** The process dying at one instant. */
    private static final class ProcessDeath extends Error {
        private static final long serialVersionUID = 1L;

        ProcessDeath() {
            super("the process died");
        }
    }

    @BeforeEach
    void tenant() {
        tenantName = "t-" + UUID.randomUUID();
        tenant = new FakeConnector.Tenant(KEY).withAssets(5);
        tenant.pageSize = 10;
        for (int i = 0; i < 100; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", String.format("e%03d", i));
            e.put("at", T0.minus(Duration.ofHours(2)).plusSeconds(i).toEpochMilli());
            tenant.events.add(e);
        }
        FakeConnector.TENANTS.put(tenantName, tenant);
    }

    @AfterEach
    void close() {
        runtimes.forEach(ConnectorRuntime::close);
        FakeConnector.TENANTS.remove(tenantName);
    }

    private ConnectorRuntime runtime(String name, Optional<DeltaWindow> window) {
        ConnectorRuntime r = ConnectorRuntime.builder().sink(dying(new JsonLinesSink(dir.resolve(name + "/out"))))
                .stateStore(FileStateStore.open(dir.resolve(name + "/state"))).clock(clock).workers(1).build();
        runtimes.add(r);
        Map<String, Object> config = new HashMap<>();
        config.put("tenant", tenantName);
        config.put("apiKey", KEY);
        config.put("dataToSync", "assets-and-events");
        InstanceDefinition def = new InstanceDefinition(FakeConnector.ID, "eu", "", config, Optional.empty(),
                Map.of(), window);
        // the secret is inline and never stored: a restarted runtime is given the instance again
        r.registerOrUpdate(def, Map.of());
        return r;
    }

    /** The sink as a process that may die: once dead, its writers neither abort nor commit. */
    private RecordSink dying(JsonLinesSink sink) {
        return new RecordSink() {
            @Override
            public SinkWriter open(RunInfo run) {
                return guarded(sink.open(run));
            }

            @Override
            public boolean resumable() {
                return sink.resumable();
            }

            @Override
            public Optional<PartialRun> partialRun(String instance) {
                return sink.partialRun(instance);
            }

            @Override
            public SinkWriter resume(PartialRun partial, RunInfo run) {
                return guarded(sink.resume(partial, run));
            }

            @Override
            public Optional<RunCommit> lastCommit(String instance) {
                return sink.lastCommit(instance);
            }

            private SinkWriter guarded(SinkWriter w) {
                return new SinkWriter() {
                    @Override
                    public void write(String stream, Map<String, Object> record) {
                        w.write(stream, record);
                    }

                    @Override
                    public void savePosition(Checkpoint position) {
                        w.savePosition(position);
                    }

                    @Override
                    public void commit(RunCommit commit) {
                        if (!dead[0]) {
                            w.commit(commit);
                        }
                    }

                    @Override
                    public void abort() {
                        if (!dead[0]) {
                            w.abort();
                        }
                    }

                    @Override
                    public void suspend() {
                        if (!dead[0]) {
                            w.suspend();
                        }
                    }

                    @Override
                    public void close() {
                        if (!dead[0]) {
                            w.close();
                        }
                    }
                };
            }
        };
    }

    /** Runs the instance in {@code name}, killed before its events page {@code page} is served. */
    private void killedAtEventsPage(String name, int page) {
        tenant.beforeEventsPage = n -> {
            if (n == page) {
                dead[0] = true;
                throw new ProcessDeath();
            }
        };
        assertThat(runtime(name, Optional.empty()).runNow("eu").state()).isEqualTo(ConnectorState.ERRORED);
        tenant.beforeEventsPage = n -> { };
        dead[0] = false;
        tenant.eventRequests.clear();
    }

    private static List<String> lines(Path runDir, String stream) throws IOException {
        return Files.readAllLines(runDir.resolve(stream + ".jsonl"));
    }

    private List<Path> published(String name) throws IOException {
        try (Stream<Path> runs = Files.list(dir.resolve(name + "/out/eu"))) {
            return runs.toList();
        }
    }

    @Test
    void aRunKilledAtHalfwayResumesFromItsLastPageCheckpointAndPublishesWhatAnUninterruptedRunWould()
            throws IOException {
        ConnectorRuntime reference = runtime("reference", Optional.empty());
        String referenceRun = reference.runNow("eu").runId();
        List<Checkpoint> uninterrupted = List.copyOf(tenant.eventRequests);
        tenant.eventRequests.clear();

        killedAtEventsPage("crashed", 6);
        List<Integer> assetPages = new ArrayList<>();
        tenant.beforePage = assetPages::add;
        clock.advance(Duration.ofMinutes(2));
        var resumed = runtime("crashed", Optional.empty()).runNow("eu");

        assertThat(resumed.state()).isEqualTo(ConnectorState.PROCESSED);
        // pages before the checkpoint are not requested again, nor is the stream done before the crash
        assertThat(tenant.eventRequests).containsExactlyElementsOf(uninterrupted.subList(5, 10));
        assertThat(assetPages).isEmpty();
        assertThat(published("crashed")).containsExactly(dir.resolve("crashed/out/eu").resolve(resumed.runId()));
        Path ref = dir.resolve("reference/out/eu").resolve(referenceRun);
        Path run = dir.resolve("crashed/out/eu").resolve(resumed.runId());
        assertThat(lines(run, "events")).hasSize(100).containsExactlyElementsOf(lines(ref, "events"));
        assertThat(lines(run, "assets")).containsExactlyElementsOf(lines(ref, "assets"));
        RunCommit expected = new JsonLinesSink(dir.resolve("reference/out")).lastCommit("eu").orElseThrow();
        RunCommit actual = new JsonLinesSink(dir.resolve("crashed/out")).lastCommit("eu").orElseThrow();
        assertThat(actual.cursors()).isEqualTo(expected.cursors());
        assertThat(actual.completeSnapshots()).isEqualTo(expected.completeSnapshots());
        assertThat(actual.summary().streams()).isEqualTo(expected.summary().streams());
    }

    /** Runs the instance in {@code name} once, failing with {@code kind} before its events page {@code page}. */
    private RunSummary failedAtEventsPage(ConnectorRuntime runtime, int page, ErrorKind kind) {
        tenant.beforeEventsPage = n -> {
            if (n == page) {
                throw new ConnectorException(kind, "The tenant failed page " + n, "Try again later");
            }
        };
        RunSummary failed = runtime.runNow("eu");
        assertThat(failed.state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(failed.error().orElseThrow().kind()).isEqualTo(kind);
        tenant.beforeEventsPage = n -> { };
        tenant.eventRequests.clear();
        return failed;
    }

    @Test
    void aRunFailingWithAnErrorThatMayPassKeepsItsPagesAndTheNextRunResumesIt() throws IOException {
        ConnectorRuntime reference = runtime("reference", Optional.empty());
        String referenceRun = reference.runNow("eu").runId();
        List<Checkpoint> uninterrupted = List.copyOf(tenant.eventRequests);
        tenant.eventRequests.clear();
        ConnectorRuntime runtime = runtime("failed", Optional.empty());

        RunSummary failed = failedAtEventsPage(runtime, 6, ErrorKind.TRANSIENT);
        assertThat(new JsonLinesSink(dir.resolve("failed/out")).partialRun("eu")).get()
                .satisfies(p -> assertThat(p.run().runId()).isEqualTo(failed.runId()));
        clock.advance(Duration.ofMinutes(2));
        var resumed = runtime.runNow("eu");

        assertThat(resumed.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(tenant.eventRequests).containsExactlyElementsOf(uninterrupted.subList(5, 10));
        assertThat(published("failed")).containsExactly(dir.resolve("failed/out/eu").resolve(resumed.runId()));
        assertThat(lines(dir.resolve("failed/out/eu").resolve(resumed.runId()), "events")).hasSize(100)
                .containsExactlyElementsOf(lines(dir.resolve("reference/out/eu").resolve(referenceRun), "events"));
    }

    @Test
    void aRunFailingWithAnErrorThatWillNotPassIsAbortedAndTheNextRunStartsOver() throws IOException {
        ConnectorRuntime runtime = runtime("failed", Optional.empty());

        failedAtEventsPage(runtime, 6, ErrorKind.BAD_RESPONSE);
        assertThat(new JsonLinesSink(dir.resolve("failed/out")).partialRun("eu")).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        var run = runtime.runNow("eu");

        assertThat(run.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(tenant.eventRequests).hasSize(10).first().isEqualTo(Checkpoint.START);
        assertThat(published("failed")).containsExactly(dir.resolve("failed/out/eu").resolve(run.runId()));
    }

    @Test
    void aPartialRunOlderThanResumeWithinIsDiscardedAndTheRunStartsOver() throws IOException {
        killedAtEventsPage("crashed", 6);
        clock.advance(Duration.ofHours(25));

        var run = runtime("crashed", Optional.empty()).runNow("eu");

        assertThat(run.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(tenant.eventRequests).hasSize(10).first().isEqualTo(Checkpoint.START);
        assertThat(published("crashed")).containsExactly(dir.resolve("crashed/out/eu").resolve(run.runId()));
        assertThat(lines(dir.resolve("crashed/out/eu").resolve(run.runId()), "events")).hasSize(100)
                .doesNotHaveDuplicates();
    }

    @Test
    void aConfigChangeDiscardsThePartialRun() throws IOException {
        killedAtEventsPage("crashed", 6);
        clock.advance(Duration.ofMinutes(2));

        var run = runtime("crashed", Optional.of(new DeltaWindow(Duration.ofMinutes(5), Duration.ofMinutes(2))))
                .runNow("eu");

        assertThat(run.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(tenant.eventRequests).hasSize(10).first().isEqualTo(Checkpoint.START);
        assertThat(lines(dir.resolve("crashed/out/eu").resolve(run.runId()), "events")).hasSize(100)
                .doesNotHaveDuplicates();
    }

    @Test
    void aStreamThatIsNotResumableRestartsFromItsFirstPage() throws IOException {
        tenant.assets.clear();
        tenant.withAssets(50);
        tenant.beforePage = p -> {
            if (p == 3) {
                dead[0] = true;
                throw new ProcessDeath();
            }
        };
        assertThat(runtime("crashed", Optional.empty()).runNow("eu").state()).isEqualTo(ConnectorState.ERRORED);
        dead[0] = false;
        List<Integer> assetPages = new ArrayList<>();
        tenant.beforePage = assetPages::add;
        clock.advance(Duration.ofMinutes(2));

        var run = runtime("crashed", Optional.empty()).runNow("eu");

        assertThat(run.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(assetPages).containsExactly(1, 2, 3, 4, 5);
        assertThat(lines(dir.resolve("crashed/out/eu").resolve(run.runId()), "assets")).hasSize(50)
                .doesNotHaveDuplicates();
    }
}
