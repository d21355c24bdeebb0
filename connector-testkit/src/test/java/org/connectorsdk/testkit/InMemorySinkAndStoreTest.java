package org.connectorsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.ScheduleState;
import org.connectorsdk.api.Secret;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemorySinkAndStoreTest {
    private final InMemoryRecordSink sink = new InMemoryRecordSink();
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final ConnectorRuntime runtime = ConnectorRuntime.builder().sink(sink).stateStore(store).build();

    @AfterEach
    void close() {
        runtime.close();
    }

    private void register(String name, int count, int failAt) {
        runtime.register(new InstanceDefinition("testkit-list", name, "",
                Map.of("token", "t0k3n", "count", count, "failAt", failAt), Optional.empty()));
    }

    @Test
    void aCommittedRunIsVisibleWithItsRecordsAndSummary() {
        register("a", 3, 0);

        var summary = runtime.runNow("a");

        assertThat(sink.committedRuns()).hasSize(1);
        var run = sink.lastRun("a").orElseThrow();
        assertThat(run.summary()).isEqualTo(summary);
        assertThat(run.records("items")).extracting(r -> r.get("id")).containsExactly(0L, 1L, 2L);
        // every record says whose it is: the identity a downstream de-duplicates on
        assertThat(run.records("items").get(1).get("_meta")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("instance", "a").containsEntry("stream", "items").containsEntry("key", List.of(1L))
                .hasEntrySatisfying("version", v -> assertThat((String) v).matches("sha256:[0-9a-f]{64}"));
        assertThat(run.commit().completeSnapshots()).containsExactly("items");
        assertThat(sink.abortedRuns()).isZero();
        assertThat(sink.openWriters()).isZero();
        assertThat(store.runs("a")).containsExactly(summary);
        assertThat(store.instance("a").orElseThrow().config()).doesNotContainKey("token");
    }

    @Test
    void aFailedRunIsAbortedAndLeavesNothing() {
        register("b", 3, 2);

        var summary = runtime.runNow("b");

        assertThat(summary.state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(sink.committedRuns()).isEmpty();
        assertThat(sink.lastRun("b")).isEmpty();
        assertThat(sink.abortedRuns()).isEqualTo(1);
        assertThat(sink.openWriters()).isZero();
    }

    @Test
    void theStoreRefusesASecretValue() {
        var record = new InstanceRecord("c", "testkit-list", "", Map.of("token", Secret.of("token", "t0k3n")),
                Optional.empty(), ConnectorState.REGISTERED, Instant.EPOCH);

        assertThatThrownBy(() -> store.saveInstance(record)).hasMessage("Instance 'c' config field 'token' holds a "
                + "secret value; store ConnectorConfig.storableValues() instead");
    }

    @Test
    void theStoreKeepsTheScheduleStateUntilItsInstanceIsRemoved() {
        register("d", 1, 0);
        var schedule = ScheduleSpec.once(LocalDateTime.parse("2026-05-13T16:37"), ZoneId.of("Asia/Calcutta"));
        var state = new ScheduleState(schedule, Optional.empty(), Optional.of(Instant.parse("2026-05-13T11:07:00Z")));

        store.saveScheduleState("d", state);

        assertThat(store.scheduleState("d")).contains(state);
        runtime.remove("d");
        assertThat(store.scheduleState("d")).isEmpty();
    }
}
