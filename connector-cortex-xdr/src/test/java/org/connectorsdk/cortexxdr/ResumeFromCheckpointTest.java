package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.PartialRun;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;
import org.connectorsdk.api.host.StreamChanges;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.testkit.MutableClock;

/**
 * A first run of incidents and alerts killed halfway through one of them, on the simulator and the
 * runtime's fake clock, while the tenant changes: incidents already published and incidents not yet
 * read are modified (they move past the run's window), incidents are added late inside the window
 * (before and after the checkpoint, with their alerts) and now. The instance's next run resumes from
 * the last page checkpoint and publishes, record for record and in the same order, what one
 * uninterrupted run publishes when the same change happens as it passes the same record: both read
 * the window in one total order ((time, id), see {@link IncidentPager} and {@link AlertPager}) from
 * keyset positions that no change of the tenant shifts.
 */
class ResumeFromCheckpointTest {
    static final String KEY = "resume-key-0123456789abcdef";
    static final Instant BASE = Instant.parse("2026-11-20T00:00:00Z");
    static final String NAME = "eu";
    /** When the tenant changes: after the run's window, so a modified incident leaves it. */
    static final Instant CHANGED_AT = BASE.plus(Duration.ofMinutes(61));

    @TempDir
    Path dir;

    static final Instant START = BASE.plus(Duration.ofHours(1));

    private final MutableClock clock = MutableClock.at(START);
    private final List<AutoCloseable> closing = new ArrayList<>();
    /** Set when the simulated process dies: nothing of it runs after, not even its writer's abort. */
    private boolean dead;

    /** The process dying at one instant. */
    private static final class ProcessDeath extends Error {
        private static final long serialVersionUID = 1L;

        ProcessDeath() {
            super("the process died");
        }
    }

    /** A record of the stream in the order a run publishes it, with the incident it belongs to. */
    private record Item(long time, String id, String incident) {
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"incidents", "alerts"})
    void aRunKilledHalfwayResumesFromItsLastPageCheckpointAndPublishesWhatAnUninterruptedRunWould(String stream)
            throws IOException {
        CortexXdrSimulator referenceTenant = simulator();
        CortexXdrSimulator tenant = simulator();
        List<Item> order = order(tenant, stream);
        int half = order.size() / 2;
        String path = stream.equals("incidents") ? CortexXdrSimulator.GET_INCIDENTS
                : CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS;

        // the uninterrupted run: the tenant changes as the run writes the halfway record
        Path referenceDir = dir.resolve("reference");
        List<String> lateAfter = new ArrayList<>();
        RunSummary reference = runtime(referenceDir, referenceTenant, stream, half,
                () -> lateAfter.addAll(change(referenceTenant, order, half))).runNow(NAME);
        assertThat(reference.state()).as(String.valueOf(reference.error())).isEqualTo(ConnectorState.PROCESSED);
        long uninterruptedRequests = referenceTenant.requestCount(path);

        // the same run, started at the same instant on an identical tenant, killed at that record;
        // the tenant changes while it is down
        clock.set(START);
        Path crashedDir = dir.resolve("crashed");
        RunSummary crashed = runtime(crashedDir, tenant, stream, half, () -> {
            dead = true;
            throw new ProcessDeath();
        }).runNow(NAME);
        assertThat(crashed.state()).isEqualTo(ConnectorState.ERRORED);
        long beforeCrash = tenant.requestCount(path);
        dead = false;
        assertThat(change(tenant, order, half)).isEqualTo(lateAfter);
        clock.advance(Duration.ofMinutes(2));

        RunSummary resumed = runtime(crashedDir, tenant, stream, -1, () -> { }).runNow(NAME);

        assertThat(resumed.state()).as(String.valueOf(resumed.error())).isEqualTo(ConnectorState.PROCESSED);
        // asked again: the page at the checkpoint (half written at the crash) and the one read ahead
        // with it, never a page before
        assertThat(tenant.requestCount(path) - beforeCrash).isEqualTo(uninterruptedRequests - beforeCrash + 2);
        try (Stream<Path> runs = Files.list(crashedDir.resolve("out").resolve(NAME))) {
            assertThat(runs).containsExactly(crashedDir.resolve("out").resolve(NAME).resolve(resumed.runId()));
        }
        for (String s : List.of("incidents", "alerts")) {
            assertThat(lines(crashedDir, resumed, s)).as(s).doesNotHaveDuplicates()
                    .containsExactlyElementsOf(lines(referenceDir, reference, s));
        }
        // the two unread incidents modified left the window; the incident added late after the
        // checkpoint (and its alerts) is read; the one added before it is left to the next run's overlap
        assertThat(lines(crashedDir, resumed, stream)).hasSize(stream.equals("incidents") ? order.size() - 2 + 1
                : order.size() + tenant.alertsOf(lateAfter.get(0)).size());
        RunCommit expected = new JsonLinesSink(referenceDir.resolve("out")).lastCommit(NAME).orElseThrow();
        RunCommit actual = new JsonLinesSink(crashedDir.resolve("out")).lastCommit(NAME).orElseThrow();
        for (String s : List.of("incidents", "alerts")) {
            // the same watermark and overlap identities; the selection names each tenant's own URL
            assertThat(actual.cursors().get(s).values()).as(s)
                    .containsEntry("watermark", expected.cursors().get(s).values().get("watermark"))
                    .containsEntry("seen", expected.cursors().get(s).values().get("seen"));
        }
        assertThat(actual.summary().streams()).isEqualTo(expected.summary().streams());
    }

    /**
     * The tenant's change, placed by the stream's order more than two pages away from the halfway
     * record, so that it touches neither the page being written there nor the one read ahead (an
     * uninterrupted run fetched those before the change, a resumed one after): two incidents
     * already published and two not yet read are modified, one incident is added late (stamped
     * inside the window) before the halfway record and one after it, and one now. Returns the id of
     * the one added late after it.
     */
    private static List<String> change(CortexXdrSimulator sim, List<Item> order, int half) {
        for (int position : new int[] {10, half - 250, half + 250, order.size() - 1}) {
            sim.modifyIncident(order.get(position).incident(), CHANGED_AT);
        }
        sim.addIncidents(1, Instant.ofEpochMilli(order.get(100).time() + 1));
        List<String> lateAfter = sim.addIncidents(1, Instant.ofEpochMilli(order.get(half + 270).time() + 1));
        sim.addIncidents(1, CHANGED_AT);
        return lateAfter;
    }

    /** The stream's records in the order a full read publishes them: (time, id), ids as numbers. */
    private static List<Item> order(CortexXdrSimulator sim, String stream) {
        List<Item> items = new ArrayList<>();
        for (int i = 1; i <= sim.incidentCount(); i++) {
            String incident = Integer.toString(i);
            if (stream.equals("incidents")) {
                items.add(new Item(((Number) sim.incident(incident).get("modification_time")).longValue(), incident,
                        incident));
            } else {
                for (Map<String, Object> alert : sim.alertsOf(incident)) {
                    items.add(new Item(((Number) alert.get(AlertPager.SERVER_TIME)).longValue(),
                            (String) alert.get("alert_id"), incident));
                }
            }
        }
        items.sort(Comparator.comparingLong(Item::time).thenComparingLong(item -> Long.parseLong(item.id())));
        return items;
    }

    private CortexXdrSimulator simulator() {
        CortexXdrSimulator sim = CortexXdrSimulator.builder().endpoints(10).incidents(600).seed(21)
                .eventTimeBase(BASE).clock(clock).standardKey("1", KEY).start();
        closing.add(sim);
        return sim;
    }

    /**
     * A runtime over {@code root} (its sink's output and its state), the instance registered;
     * {@code atRecord} runs when the sink is handed record {@code recordNumber} of {@code stream}.
     */
    private ConnectorRuntime runtime(Path root, CortexXdrSimulator sim, String stream, int recordNumber,
            Runnable atRecord) throws IOException {
        ConnectorRuntime runtime = ConnectorRuntime.builder()
                .sink(interrupted(new JsonLinesSink(root.resolve("out")), stream, recordNumber, atRecord))
                .stateStore(FileStateStore.open(root.resolve("state"))).clock(clock).sleeper(clock).workers(1)
                .build();
        closing.add(runtime);
        Path keyFile = root.resolve("key");
        Files.createDirectories(root);
        Files.writeString(keyFile, KEY);
        runtime.registerOrUpdate(new InstanceDefinition("cortex-xdr", NAME, "a tenant", Map.of("baseUrl",
                sim.baseUrl(), "apiKey", "file:" + keyFile, "apiKeyId", "1", "dataToSync", "none",
                "events", List.of("incidents", "alerts"), "eventLookback", "P30D",
                "caCertificate", sim.caCertificatePem()), Optional.empty()), Map.of());
        return runtime;
    }

    /**
     * {@code sink} as the sink of a process that may die: {@code atRecord} runs before record
     * {@code recordNumber} of {@code stream} is written; once dead, its writers neither abort,
     * commit nor close.
     */
    private RecordSink interrupted(JsonLinesSink sink, String stream, int recordNumber, Runnable atRecord) {
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
                    private int written;

                    @Override
                    public void write(String s, Map<String, Object> record) {
                        if (s.equals(stream) && ++written == recordNumber) {
                            atRecord.run();
                        }
                        w.write(s, record);
                    }

                    @Override
                    public void savePosition(Checkpoint position) {
                        w.savePosition(position);
                    }

                    @Override
                    public Map<String, StreamChanges> changes() {
                        return w.changes();
                    }

                    @Override
                    public void commit(RunCommit commit) {
                        if (!dead) {
                            w.commit(commit);
                        }
                    }

                    @Override
                    public void abort() {
                        if (!dead) {
                            w.abort();
                        }
                    }

                    @Override
                    public void close() {
                        if (!dead) {
                            w.close();
                        }
                    }
                };
            }
        };
    }

    private static List<String> lines(Path root, RunSummary run, String stream) throws IOException {
        return Files.readAllLines(root.resolve("out").resolve(NAME).resolve(run.runId()).resolve(stream + ".jsonl"));
    }
}
