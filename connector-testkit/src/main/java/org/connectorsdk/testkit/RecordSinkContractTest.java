package org.connectorsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.PartialRun;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;
import org.connectorsdk.api.host.StreamChanges;
import org.connectorsdk.api.host.StreamRead;
import org.connectorsdk.api.host.StreamStats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery contract every {@link RecordSink} keeps, as a suite a platform's own sink extends
 * with one factory method:
 *
 * <pre>{@code
 * class WarehouseSinkContractTest extends RecordSinkContractTest {
 *     protected RecordSink createSink() {
 *         return new WarehouseSink(freshDatabase());
 *     }
 * }
 * }</pre>
 *
 * <p>It checks an atomic commit with cursors ({@link RecordSink#lastCommit}), abort, a run that
 * dies between its steps, runs of different instances at once, what a full and a delta run tell
 * the sink, and, for a {@link RecordSink#resumable} sink, a suspended run kept for a resume. A sink that keeps no cursors (at-least-once) skips the checks of
 * {@code lastCommit}. A sink that counts changes ({@link SinkWriter#changes}) must count every
 * record it was given, and count gone ones only after a complete snapshot.
 */
public abstract class RecordSinkContractTest {
    /** The instance most checks run; another one for the concurrent runs. */
    protected static final String INSTANCE = "contract-a";
    protected static final String OTHER = "contract-b";
    protected static final String ASSETS = "assets";
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

    private RecordSink sink;
    private int runs;

    /** A sink over empty storage; called once before each check. */
    protected abstract RecordSink createSink();

    @BeforeEach
    final void openSink() {
        sink = createSink();
    }

    /** The sink under test. */
    protected final RecordSink sink() {
        return sink;
    }

    @Test
    void anInstanceThatNeverCommittedHasNoLastCommit() {
        assertThat(sink.lastCommit(INSTANCE)).isEmpty();
    }

    @Test
    void aCommitMakesItsSummaryCursorsAndCompleteSnapshotsTheLastCommit() {
        RunCommit commit = run(INSTANCE, SyncMode.FULL, List.of(asset("ep-1", "CVE-1"), asset("ep-2")), true);

        RunCommit last = requireCursors(INSTANCE);
        assertThat(last.summary().runId()).isEqualTo(commit.summary().runId());
        assertThat(last.summary().state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(last.cursors()).isEqualTo(commit.cursors());
        assertThat(last.completeSnapshots()).containsExactly(ASSETS);
    }

    @Test
    void anAbortedRunLeavesThePreviousCommit() {
        RunCommit first = run(INSTANCE, SyncMode.FULL, List.of(asset("ep-1")), true);
        requireCursors(INSTANCE);

        SinkWriter writer = sink.open(info(INSTANCE, nextRunId(), SyncMode.FULL));
        writer.write(ASSETS, asset("ep-9"));
        writer.abort();
        writer.abort();
        writer.close();

        assertThat(sink.lastCommit(INSTANCE).orElseThrow().summary().runId()).isEqualTo(first.summary().runId());
        assertThat(writer.changes()).isEmpty();
    }

    @Test
    void aRunThatDiesBetweenItsStepsShowsNothingAndClosingItAborts() {
        RunCommit first = run(INSTANCE, SyncMode.FULL, List.of(asset("ep-1")), true);
        requireCursors(INSTANCE);

        String runId = nextRunId();
        try (SinkWriter writer = sink.open(info(INSTANCE, runId, SyncMode.FULL))) {
            writer.write(ASSETS, asset("ep-2"));
            // the process could die here: until the commit nothing of the run is the last commit
            assertThat(sink.lastCommit(INSTANCE).orElseThrow().summary().runId())
                    .isEqualTo(first.summary().runId());
        }
        assertThat(sink.lastCommit(INSTANCE).orElseThrow().summary().runId()).isEqualTo(first.summary().runId());
        // the instance can run again after the abandoned run
        RunCommit third = run(INSTANCE, SyncMode.FULL, List.of(asset("ep-1")), true);
        assertThat(sink.lastCommit(INSTANCE).orElseThrow().summary().runId()).isEqualTo(third.summary().runId());
    }

    @Test
    void aResumableSinkKeepsASuspendedRunUpToItsLastPositionAndNotAnAbortedOne() {
        assumeThat(sink.resumable()).as("the sink keeps no unpublished runs: a failed run starts over").isTrue();
        RunCommit first = run(INSTANCE, SyncMode.FULL, List.of(asset("ep-1")), true);

        SinkWriter aborted = sink.open(info(INSTANCE, nextRunId(), SyncMode.FULL));
        aborted.write(ASSETS, asset("ep-2"));
        aborted.savePosition(new Checkpoint(Map.of("page", 1)));
        aborted.abort();
        assertThat(sink.partialRun(INSTANCE)).isEmpty();

        String runId = nextRunId();
        SinkWriter suspended = sink.open(info(INSTANCE, runId, SyncMode.FULL));
        suspended.write(ASSETS, asset("ep-3"));
        suspended.savePosition(new Checkpoint(Map.of("page", 1)));
        suspended.write(ASSETS, asset("ep-4"));
        suspended.suspend();
        suspended.close();

        // nothing of it is published, and the next run may continue it from its position
        assertThat(sink.lastCommit(INSTANCE).map(c -> c.summary().runId())).contains(first.summary().runId());
        PartialRun partial = sink.partialRun(INSTANCE).orElseThrow();
        assertThat(partial.run().runId()).isEqualTo(runId);
        assertThat(partial.position()).isEqualTo(new Checkpoint(Map.of("page", 1)));
        String resumedId = nextRunId();
        try (SinkWriter resumed = sink.resume(partial, info(INSTANCE, resumedId, SyncMode.FULL))) {
            resumed.write(ASSETS, asset("ep-5"));
            resumed.commit(commit(INSTANCE, resumedId, 2, true));
        }
        assertThat(sink.lastCommit(INSTANCE).map(c -> c.summary().runId())).contains(resumedId);
        assertThat(sink.partialRun(INSTANCE)).isEmpty();
    }

    @Test
    void runsOfDifferentInstancesWriteAndCommitAtOnce() throws Exception {
        CountDownLatch bothOpen = new CountDownLatch(2);
        CompletableFuture<RunCommit> a = CompletableFuture.supplyAsync(() -> concurrentRun(INSTANCE, bothOpen));
        CompletableFuture<RunCommit> b = CompletableFuture.supplyAsync(() -> concurrentRun(OTHER, bothOpen));
        RunCommit ca = a.get(60, TimeUnit.SECONDS);
        RunCommit cb = b.get(60, TimeUnit.SECONDS);

        assertThat(requireCursors(INSTANCE).summary().runId()).isEqualTo(ca.summary().runId());
        assertThat(sink.lastCommit(OTHER).orElseThrow().summary().runId()).isEqualTo(cb.summary().runId());
        assertThat(sink.lastCommit(OTHER).orElseThrow().cursors()).isEqualTo(cb.cursors());
    }

    private RunCommit concurrentRun(String instance, CountDownLatch bothOpen) {
        String runId = nextRunId();
        try (SinkWriter writer = sink.open(info(instance, runId, SyncMode.FULL))) {
            bothOpen.countDown();
            await(bothOpen);
            for (int i = 0; i < 50; i++) {
                writer.write(ASSETS, asset(instance, "ep-" + i, List.of()));
            }
            RunCommit commit = commit(instance, runId, 50, true);
            writer.commit(commit);
            return commit;
        }
    }

    @Test
    void aDeltaRunAdvancesTheCursorsAndNamesNoCompleteSnapshot() {
        run(INSTANCE, SyncMode.FULL, List.of(asset("ep-1"), asset("ep-2")), true);
        RunCommit delta = run(INSTANCE, SyncMode.INCREMENTAL, List.of(asset("ep-2")), false);

        RunCommit last = requireCursors(INSTANCE);
        assertThat(last.summary().runId()).isEqualTo(delta.summary().runId());
        assertThat(last.cursors()).isEqualTo(delta.cursors());
        assertThat(last.completeSnapshots()).isEmpty();
    }

    @Test
    void aSinkThatCountsChangesCountsEveryRecordAndGoneOnlyAfterACompleteSnapshot() {
        Map<String, StreamChanges> first = countedRun(SyncMode.FULL,
                List.of(asset("ep-1"), asset("ep-2"), asset("ep-3")), true);
        assumeThat(first).as("the sink counts no changes").isNotEmpty();
        assertThat(first.get(ASSETS)).isEqualTo(new StreamChanges(3, 0, 0, 0, 0, 0));

        Map<String, StreamChanges> delta = countedRun(SyncMode.INCREMENTAL, List.of(asset("ep-1")), false);
        assertThat(delta.get(ASSETS)).isEqualTo(new StreamChanges(0, 0, 1, 0, 0, 0));

        Map<String, Object> renamed = asset("ep-2");
        renamed.put("hostName", "renamed");
        Map<String, StreamChanges> full = countedRun(SyncMode.FULL, List.of(asset("ep-1"), renamed,
                asset("ep-4")), true);
        assertThat(full.get(ASSETS)).isEqualTo(new StreamChanges(1, 1, 1, 1, 0, 0));
    }

    /** Runs like {@link #run} and returns what the writer counted. */
    private Map<String, StreamChanges> countedRun(SyncMode mode, List<Map<String, Object>> records,
            boolean complete) {
        String runId = nextRunId();
        try (SinkWriter writer = sink.open(info(INSTANCE, runId, mode))) {
            records.forEach(r -> writer.write(ASSETS, r));
            writer.commit(commit(INSTANCE, runId, records.size(), complete));
            return writer.changes();
        }
    }

    /** Writes {@code records} to assets in one run and commits; a full run names its snapshot complete. */
    private RunCommit run(String instance, SyncMode mode, List<Map<String, Object>> records, boolean complete) {
        String runId = nextRunId();
        try (SinkWriter writer = sink.open(info(instance, runId, mode))) {
            for (Map<String, Object> r : records) {
                writer.write(ASSETS, r);
            }
            RunCommit commit = commit(instance, runId, records.size(), complete);
            writer.commit(commit);
            return commit;
        }
    }

    private RunCommit requireCursors(String instance) {
        Optional<RunCommit> last = sink.lastCommit(instance);
        assumeThat(last).as("the sink keeps no cursors (at-least-once delivery)").isPresent();
        return last.get();
    }

    private String nextRunId() {
        runs++;
        return String.format("20260501T%06dZ-%04d", runs, runs);
    }

    private RunInfo info(String instance, String runId, SyncMode mode) {
        Optional<TimeWindow> window = Optional.of(new TimeWindow(mode == SyncMode.FULL ? Instant.EPOCH : T0,
                T0.plusSeconds(60L * runs)));
        return new RunInfo(instance, "contract", runId, T0.plusSeconds(runs), Map.of(ASSETS,
                new StreamRead(ASSETS, mode, window)));
    }

    private RunCommit commit(String instance, String runId, long written, boolean complete) {
        Instant started = T0.plusSeconds(runs);
        RunSummary summary = new RunSummary(runId, instance, "contract", ConnectorState.PROCESSED, started,
                started.plusSeconds(1), Map.of(ASSETS, new StreamStats(written, written, 0, 1, List.of())),
                Map.of("http.requests", 1L), Optional.empty());
        Map<String, Checkpoint> cursors = Map.of(ASSETS, new Checkpoint(Map.of("last_seen",
                T0.plusSeconds(60L * runs).toString())));
        return new RunCommit(summary, cursors, complete ? Set.of(ASSETS) : Set.of());
    }

    /** An asset target record as the runtime hands it over: identity in {@code _meta}, findings in {@code finding}. */
    private static Map<String, Object> asset(String instance, String id, List<String> cves) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("externalAssetId", id);
        r.put("hostName", "host-" + id);
        r.put("finding", cves.stream().map(cve -> Map.<String, Object>of("externalFindingId", cve, "severity", 4))
                .toList());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("map", "Contract Asset Map");
        meta.put("model", "asset");
        meta.put("modelVersion", "1.0.0");
        meta.put("instance", instance);
        meta.put("stream", ASSETS);
        meta.put("key", List.of(id));
        meta.put("version", "v1");
        r.put("_meta", meta);
        return r;
    }

    /** A mutable asset record of {@link #INSTANCE}. */
    private static Map<String, Object> asset(String id, String... cves) {
        return asset(INSTANCE, id, List.of(cves));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("The other instance's run never opened its writer: the sink serialises "
                        + "runs of different instances");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
