package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.ErrorInfo;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.ScheduleState;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.api.host.StreamStats;
import org.connectorsdk.runtime.internal.store.SecureFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {
    private static final Instant T = Instant.parse("2026-05-25T16:37:00Z");

    @TempDir
    Path dir;

    private static InstanceRecord instance(String name, ConnectorState state) {
        return new InstanceRecord(name, "cortex-xdr", "EU tenant", Map.of("apiKey", "env:XDR_KEY", "batchSize", 100),
                Optional.of(ScheduleSpec.fromMap(Map.of("type", "recurring", "every", "P1D",
                        "start", "2026-05-13T16:37", "zone", "Asia/Calcutta"))), state, T);
    }

    private static RunSummary run(String id, ConnectorState state) {
        return new RunSummary(id, "eu", "cortex-xdr", state, T, T.plusSeconds(42),
                Map.of("assets", new StreamStats(10, 9, 1, 1, List.of("missing hostname"))),
                Map.of("http.requests", 3L),
                state == ConnectorState.ERRORED
                        ? Optional.of(new ErrorInfo(ErrorKind.TRANSIENT, "HTTP 500", Optional.of("Try again")))
                        : Optional.empty());
    }

    @Test
    void everyDocumentSurvivesAReopen() {
        FileStateStore store = FileStateStore.open(dir);
        store.saveInstance(instance("eu", ConnectorState.REGISTERED));
        store.appendTransition("eu", new StateTransition(ConnectorState.REGISTERED, T, Optional.empty(), "registered"));
        store.appendTransition("eu", new StateTransition(ConnectorState.PROCESSING, T, Optional.of("r1"), "run"));
        store.saveRun(run("r1", ConnectorState.PROCESSED));
        store.saveRun(run("r2", ConnectorState.ERRORED));
        store.saveCheckpoint("eu", "assets", "all", Checkpoint.of("searchFrom", 200));
        store.saveCursor("eu", "incidents", Checkpoint.of("watermark", "2026-05-25T16:00:00Z"));

        FileStateStore reopened = FileStateStore.open(dir);

        assertThat(reopened.instances()).containsExactly(instance("eu", ConnectorState.REGISTERED));
        assertThat(reopened.transitions("eu")).extracting(StateTransition::state)
                .containsExactly(ConnectorState.REGISTERED, ConnectorState.PROCESSING);
        assertThat(reopened.runs("eu")).containsExactly(run("r1", ConnectorState.PROCESSED),
                run("r2", ConnectorState.ERRORED));
        assertThat(reopened.checkpoint("eu", "assets", "all")).contains(Checkpoint.of("searchFrom", 200));
        assertThat(reopened.cursor("eu", "incidents"))
                .contains(Checkpoint.of("watermark", "2026-05-25T16:00:00Z"));
        reopened.clearCheckpoints("eu");
        assertThat(reopened.checkpoint("eu", "assets", "all")).isEmpty();
        reopened.removeInstance("eu");
        assertThat(reopened.instances()).isEmpty();
        assertThat(reopened.runs("eu")).isEmpty();
        assertThat(reopened.cursor("eu", "incidents")).isEmpty();
    }

    @Test
    void theScheduleStateSurvivesAReopenAndGoesWithItsInstance() throws IOException {
        FileStateStore store = FileStateStore.open(dir);
        store.saveInstance(instance("eu", ConnectorState.PROCESSED));
        ScheduleSpec daily = instance("eu", ConnectorState.PROCESSED).schedule().orElseThrow();
        ScheduleState state = new ScheduleState(daily, Optional.of(T.plusSeconds(300)), Optional.of(T),
                Map.of("assets", T.plusSeconds(86_400), "incidents", T.plusSeconds(300)));
        store.saveScheduleState("eu", state);
        store.saveScheduleState("done", new ScheduleState(daily, Optional.empty(), Optional.of(T)));

        FileStateStore reopened = FileStateStore.open(dir);

        assertThat(reopened.scheduleState("eu")).contains(state);
        assertThat(reopened.scheduleState("done")).contains(new ScheduleState(daily, Optional.empty(),
                Optional.of(T)));
        assertThat(Files.readString(dir.resolve("schedules/eu.json"))).contains("\"nextRun\" : \"2026-05-25T16:42:00Z\"")
                .contains("\"assets\" : \"2026-05-26T16:37:00Z\"");
        // a state file written before per-stream polling has no stream due times
        assertThat(reopened.scheduleState("done").orElseThrow().streamNextRuns()).isEmpty();
        reopened.removeInstance("eu");
        assertThat(reopened.scheduleState("eu")).isEmpty();
        assertThat(reopened.scheduleState("nobody")).isEmpty();
    }

    @Test
    void aLeftoverTempFileFromACrashIsIgnoredAndThePreviousVersionReadable() throws IOException {
        FileStateStore store = FileStateStore.open(dir);
        store.saveInstance(instance("eu", ConnectorState.PROCESSED));
        // what a crash between writing the temp file and renaming it leaves behind
        Files.writeString(dir.resolve("instances/.eu.json.5a1f" + SecureFiles.TEMP_SUFFIX), "{\"name\": \"eu\", \"trunc");
        Files.createDirectories(dir.resolve("runs"));
        Files.writeString(dir.resolve("runs/.eu.json.77" + SecureFiles.TEMP_SUFFIX), "[{");

        FileStateStore reopened = FileStateStore.open(dir);

        assertThat(reopened.instances()).containsExactly(instance("eu", ConnectorState.PROCESSED));
        assertThat(reopened.runs("eu")).isEmpty();
        reopened.saveRun(run("r1", ConnectorState.PROCESSED));
        assertThat(reopened.runs("eu")).hasSize(1);
    }

    @Test
    void writesLeaveNoTempFilesAndAreOwnerOnly() throws IOException {
        FileStateStore store = FileStateStore.open(dir.resolve("state"));
        store.saveInstance(instance("eu", ConnectorState.REGISTERED));
        store.saveCheckpoint("eu", "assets", "all", Checkpoint.of("searchFrom", 100));

        try (Stream<Path> all = Files.walk(dir.resolve("state"))) {
            for (Path p : all.toList()) {
                assertThat(p.getFileName().toString()).doesNotEndWith(SecureFiles.TEMP_SUFFIX);
                if (SecureFiles.posix(p)) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                            .as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
                }
            }
        }
    }

    @Test
    void theHistoryKeepsTheLatestRuns() {
        FileStateStore store = FileStateStore.open(dir);
        for (int i = 0; i < FileStateStore.MAX_RUNS + 3; i++) {
            store.saveRun(run(String.format("r%04d", i), ConnectorState.PROCESSED));
        }

        List<RunSummary> runs = store.runs("eu");

        assertThat(runs).hasSize(FileStateStore.MAX_RUNS);
        assertThat(runs.get(0).runId()).isEqualTo("r0003");
    }
}
