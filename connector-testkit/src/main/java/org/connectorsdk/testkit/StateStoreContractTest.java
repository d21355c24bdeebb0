package org.connectorsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.ErrorInfo;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.ScheduleState;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.api.host.StreamChanges;
import org.connectorsdk.api.host.StreamStats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} keeps, as a suite a platform's own store extends with one factory
 * method:
 *
 * <pre>{@code
 * class WarehouseStateStoreContractTest extends StateStoreContractTest {
 *     protected StateStore createStore() {
 *         return new WarehouseStateStore(freshDatabase());
 *     }
 * }
 * }</pre>
 *
 * <p>It checks that instances, transitions, run summaries (with the sink's change counts),
 * checkpoints, cursors and schedules read back as saved, oldest first where order matters, that
 * removing an instance removes everything kept for it and nothing of another, and that several
 * instances' runs call it at once.
 */
public abstract class StateStoreContractTest {
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

    private StateStore store;

    /** A store over empty storage; called once before each check. */
    protected abstract StateStore createStore();

    @BeforeEach
    final void openStore() {
        store = createStore();
    }

    @Test
    void instancesReadBackAsSavedAndASecondSaveReplacesTheFirst() {
        store.saveInstance(instance("tenant-b", ConnectorState.REGISTERED));
        store.saveInstance(instance("tenant-a", ConnectorState.REGISTERED));
        store.saveInstance(instance("tenant-a", ConnectorState.PROCESSED));

        assertThat(store.instance("tenant-a")).contains(instance("tenant-a", ConnectorState.PROCESSED));
        assertThat(store.instances()).extracting(InstanceRecord::name)
                .containsExactlyInAnyOrder("tenant-a", "tenant-b");
        assertThat(store.instance("nobody")).isEmpty();
    }

    @Test
    void transitionsAndRunsReadBackOldestFirst() {
        StateTransition processing = new StateTransition(ConnectorState.PROCESSING, T0, Optional.of("r1"),
                "run started");
        StateTransition errored = new StateTransition(ConnectorState.ERRORED, T0.plusSeconds(5), Optional.of("r1"),
                "UNREACHABLE: no route");
        store.appendTransition("tenant-a", processing);
        store.appendTransition("tenant-a", errored);
        RunSummary first = run("tenant-a", "20260501T000000Z-0001", ConnectorState.ERRORED);
        RunSummary second = run("tenant-a", "20260501T000100Z-0002", ConnectorState.PROCESSED);
        store.saveRun(first);
        store.saveRun(second);

        assertThat(store.transitions("tenant-a")).containsExactly(processing, errored);
        assertThat(store.runs("tenant-a")).containsExactly(first, second);
        assertThat(store.runs("tenant-b")).isEmpty();
    }

    @Test
    void checkpointsAreKeptPerPartitionAndClearedPerInstance() {
        Checkpoint page2 = new Checkpoint(Map.of("search_from", 200));
        store.saveCheckpoint("tenant-a", "assets", "p0", new Checkpoint(Map.of("search_from", 100)));
        store.saveCheckpoint("tenant-a", "assets", "p0", page2);
        store.saveCheckpoint("tenant-b", "assets", "p0", page2);

        assertThat(store.checkpoint("tenant-a", "assets", "p0")).contains(page2);
        assertThat(store.checkpoint("tenant-a", "assets", "p1")).isEmpty();
        store.clearCheckpoints("tenant-a");
        assertThat(store.checkpoint("tenant-a", "assets", "p0")).isEmpty();
        assertThat(store.checkpoint("tenant-b", "assets", "p0")).contains(page2);
    }

    @Test
    void aCursorReadsBackAsLastSaved() {
        store.saveCursor("tenant-a", "assets", new Checkpoint(Map.of("last_seen", "2026-05-01T00:00:00Z")));
        Checkpoint later = new Checkpoint(Map.of("last_seen", "2026-05-02T00:00:00Z"));
        store.saveCursor("tenant-a", "assets", later);

        assertThat(store.cursor("tenant-a", "assets")).contains(later);
        assertThat(store.cursor("tenant-a", "incidents")).isEmpty();
    }

    @Test
    void aScheduleStateReadsBackAsSavedWhenTheStoreKeepsSchedules() {
        ScheduleState state = new ScheduleState(ScheduleSpec.once(LocalDateTime.of(2026, 5, 13, 16, 37),
                ZoneId.of("Asia/Calcutta")), Optional.of(T0.plusSeconds(3600)), Optional.of(T0), Map.of());
        store.saveScheduleState("tenant-a", state);

        // a store that keeps no schedules (the interface's default) answers empty
        store.scheduleState("tenant-a").ifPresent(saved -> assertThat(saved).isEqualTo(state));
    }

    @Test
    void removingAnInstanceRemovesEverythingKeptForItAndNothingOfAnother() {
        for (String name : List.of("tenant-a", "tenant-b")) {
            store.saveInstance(instance(name, ConnectorState.PROCESSED));
            store.appendTransition(name, new StateTransition(ConnectorState.PROCESSED, T0, Optional.empty(), "done"));
            store.saveRun(run(name, "20260501T000000Z-0001", ConnectorState.PROCESSED));
            store.saveCheckpoint(name, "assets", "p0", new Checkpoint(Map.of("search_from", 100)));
            store.saveCursor(name, "assets", new Checkpoint(Map.of("last_seen", "2026-05-01T00:00:00Z")));
        }
        store.removeInstance("tenant-a");

        assertThat(store.instance("tenant-a")).isEmpty();
        assertThat(store.transitions("tenant-a")).isEmpty();
        assertThat(store.runs("tenant-a")).isEmpty();
        assertThat(store.checkpoint("tenant-a", "assets", "p0")).isEmpty();
        assertThat(store.cursor("tenant-a", "assets")).isEmpty();
        assertThat(store.instance("tenant-b")).isPresent();
        assertThat(store.runs("tenant-b")).hasSize(1);
        assertThat(store.cursor("tenant-b", "assets")).isPresent();
    }

    @Test
    void severalInstancesRunsCallItAtOnce() throws Exception {
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "tenant-" + i;
            runs.add(CompletableFuture.runAsync(() -> {
                for (int n = 1; n <= 20; n++) {
                    store.saveCheckpoint(name, "assets", "p0", new Checkpoint(Map.of("search_from", n)));
                    store.saveRun(run(name, String.format("20260501T0000%02dZ-%04d", n, n), ConnectorState.PROCESSED));
                }
            }));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        for (int i = 0; i < 4; i++) {
            assertThat(store.runs("tenant-" + i)).hasSize(20);
            assertThat(store.checkpoint("tenant-" + i, "assets", "p0"))
                    .contains(new Checkpoint(Map.of("search_from", 20)));
        }
    }

    private static InstanceRecord instance(String name, ConnectorState state) {
        return new InstanceRecord(name, "cortex-xdr", "contract instance", Map.of("baseUrl", "https://api-x.example",
                "apiKey", "env:CORTEX_XDR_API_KEY"), Optional.empty(), state, T0);
    }

    private static RunSummary run(String instance, String runId, ConnectorState state) {
        Optional<ErrorInfo> error = state == ConnectorState.ERRORED
                ? Optional.of(new ErrorInfo(ErrorKind.UNREACHABLE, "no route", Optional.of("check the network")))
                : Optional.empty();
        StreamStats assets = new StreamStats(10, 9, 1, 1, List.of("map: no hostName"));
        return new RunSummary(runId, instance, "cortex-xdr", state, T0, T0.plusSeconds(2), Map.of("assets",
                state == ConnectorState.PROCESSED ? assets.withChanges(new StreamChanges(1, 2, 6, 1, 0, 0)) : assets),
                Map.of("http.requests", 3L), error);
    }
}
