package org.connectorsdk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke run: {@code --quick} runs every figure and prints the table and the JSON. Timings
 * on a shared CI machine prove nothing, so pass or fail of the figures is not asserted.
 */
class BenchQuickTest {

    @Test
    void quickModeRunsEveryFigureAndPrintsTheTableAndJson(@TempDir Path out) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            exit = Bench.run(new String[] {"--quick", "--out", out.toString()}, print);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(printed).isIn(0, 1);
        assertThat(printed).contains("| # | figure | measured | reference | ratio | target | result |");
        assertThat(printed).containsPattern("\\| 1 \\| transform engine.*\\| (PASS|FAIL) \\|");
        assertThat(printed).containsPattern("\\| 2 \\| full assets sync.*\\| (PASS|FAIL) \\|");
        assertThat(printed).containsPattern("\\| 2b \\| full assets sync.*\\| (PASS|FAIL) \\|");
        assertThat(printed).containsPattern("\\| 2c \\| two instances, two keys, one tenant.*\\| (PASS|FAIL) \\|");
        assertThat(printed).containsPattern("\\| 3 \\| end-to-end sync.*\\| (PASS|FAIL) \\|");
        assertThat(printed).containsPattern("\\| 4 \\| sync with findings under -Xmx256m.*\\| (PASS|FAIL) \\|");
        assertThat(printed).containsPattern("\\| 5 \\| 40 instances in one runtime.*\\| (PASS|FAIL) \\|");
        // figure 6 runs where an embedded PostgreSQL server starts, and says so where none can
        assertThat(printed).containsPattern("\\| 6 \\| full sync with findings, 2,000 endpoints, into PostgreSQL.*"
                + "\\| (PASS|FAIL) \\||  postgres: skipped, no embedded PostgreSQL server could start here");
        String json = Files.readString(out.resolve("bench-quick.json"));
        assertThat(json).contains("\"id\" : \"engine\"", "\"id\" : \"rate\"", "\"id\" : \"throughput\"",
                "\"id\" : \"memory\"", "\"id\" : \"concurrency\"");
        // the memory figure's child JVMs really ran a sync (a crash would say CRASHED)
        assertThat(json).doesNotContain("CRASHED");
    }

    @Test
    void anUnknownArgumentIsRefusedWithUsage() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            exit = Bench.run(new String[] {"--fast"}, print);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("Unknown argument '--fast'; usage:");
    }
}
