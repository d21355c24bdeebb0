package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;
import org.connectorsdk.api.host.StreamStats;
import org.connectorsdk.runtime.internal.store.SecureFiles;
import org.connectorsdk.runtime.internal.store.StateJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {
    private static final Instant T = Instant.parse("2026-05-25T16:37:00Z");
    private static final String RUN = "20260525T163700Z-00ff";

    @TempDir
    Path out;

    private static RunSummary summary(String... streams) {
        Map<String, StreamStats> stats = new LinkedHashMap<>();
        for (String s : streams) {
            stats.put(s, new StreamStats(1, 1, 0, 1, List.of()));
        }
        return new RunSummary(RUN, "eu", "fake", ConnectorState.PROCESSED, T, T, stats, Map.of(), Optional.empty());
    }

    private List<String> tree() throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            return s.map(p -> out.relativize(p).toString()).filter(p -> !p.isEmpty()).sorted().toList();
        }
    }

    @Test
    void recordsAreWrittenToATempDirectoryAndPublishedOnCommit() throws IOException {
        JsonLinesSink sink = new JsonLinesSink(out);
        try (SinkWriter w = sink.open(new RunInfo("eu", "fake", RUN, T))) {
            w.write("assets", Map.of("id", 1));
            w.write("assets", Map.of("id", 2));
            assertThat(tree()).containsExactly("eu", "eu/.tmp-" + RUN, "eu/.tmp-" + RUN + "/assets.jsonl");

            w.commit(new RunCommit(summary("assets", "events"), Map.of("events", Checkpoint.of("watermark",
                    "2026-05-25T16:36:00Z")), Set.of("assets")));
        }

        assertThat(tree()).containsExactly("eu", "eu/" + RUN, "eu/" + RUN + "/assets.jsonl",
                "eu/" + RUN + "/commit.json", "eu/" + RUN + "/events.jsonl", "eu/" + RUN + "/summary.json");
        Path run = sink.runDirectory("eu", RUN);
        assertThat(Files.readAllLines(run.resolve("assets.jsonl"))).containsExactly("{\"id\":1}", "{\"id\":2}");
        assertThat(run.resolve("events.jsonl")).isEmptyFile();
        assertThat(StateJson.run(StateJson.map(StateJson.PRETTY.readValue(run.resolve("summary.json").toFile(),
                Object.class)))).isEqualTo(summary("assets", "events"));
        if (SecureFiles.posix(out)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve("assets.jsonl"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void theLastCommitIsReadBackWithItsCursorsByANewSink() {
        JsonLinesSink sink = new JsonLinesSink(out);
        assertThat(sink.lastCommit("eu")).isEmpty();
        // the second run's id sorts first: the commit sequence, not the name, says which is last
        for (String run : List.of("20260525T163700Z-ffff", "20260525T163700Z-0000")) {
            try (SinkWriter w = sink.open(new RunInfo("eu", "fake", run, T))) {
                w.commit(new RunCommit(summary("events"), Map.of("events", Checkpoint.of("watermark", run)),
                        Set.of()));
            }
        }

        RunCommit last = new JsonLinesSink(out).lastCommit("eu").orElseThrow();

        assertThat(last.cursors()).isEqualTo(Map.of("events", Checkpoint.of("watermark", "20260525T163700Z-0000")));
        assertThat(last.summary()).isEqualTo(summary("events"));
        assertThat(sink.lastCommit("eu")).contains(last);
    }

    @Test
    void aTempDirectoryACrashedRunLeftIsRemovedWhenTheInstanceRunsAgain() throws IOException {
        JsonLinesSink sink = new JsonLinesSink(out);
        sink.open(new RunInfo("eu", "fake", RUN, T)).write("assets", Map.of("id", 1)); // never committed: a crash

        SinkWriter next = new JsonLinesSink(out).open(new RunInfo("eu", "fake", RUN + "1", T));

        assertThat(tree()).containsExactly("eu", "eu/.tmp-" + RUN + "1");
        next.abort();
    }

    @Test
    void abortAndCloseWithoutCommitLeaveNothing() throws IOException {
        JsonLinesSink sink = new JsonLinesSink(out);
        SinkWriter w = sink.open(new RunInfo("eu", "fake", RUN, T));
        w.write("assets", Map.of("id", 1));
        w.abort();
        w.abort();
        assertThatThrownBy(() -> w.write("assets", Map.of("id", 2)))
                .hasMessage("Run " + RUN + " of eu is already aborted");

        try (SinkWriter w2 = sink.open(new RunInfo("eu", "fake", RUN + "1", T))) {
            w2.write("assets", Map.of("id", 1));
        }

        assertThat(tree()).containsExactly("eu");
    }
}
