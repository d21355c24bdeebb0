package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoChecksAndSyncsASimulatedTenantAndShowsTheFiles() throws IOException {
        Path out = dir.resolve("demo");

        var result = ConnectorsCliTest.run("demo", "--endpoints", "120", "--out", out.toString());

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).matches("Simulated Cortex XDR tenant \\(synthetic data\\): 120 endpoints at "
                + "https://127\\.0\\.0\\.1:\\d+");
        assertThat(lines).filteredOn(l -> l.matches("  [A-Z_]+ +PASSED +\\d+ ms  .*")).hasSize(5);
        assertThat(lines).anyMatch(l -> l.matches("Run \\S+ of demo-tenant \\(cortex-xdr\\): PROCESSED in .*"))
                .contains("  assets:    120 read, 120 written, 0 rejected, 2 pages")
                .anyMatch(l -> l.matches("  counters:  .*xql\\.queries 1.*"));
        Path run;
        try (Stream<Path> runs = Files.list(out.resolve("demo-tenant"))) {
            run = runs.findFirst().orElseThrow();
        }
        assertThat(lines).contains("  output:    " + run);
        assertThat(lines).anyMatch(l -> l.startsWith("  " + run.resolve("assets.jsonl") + "  ("));
        assertThat(Files.readAllLines(run.resolve("assets.jsonl"))).hasSize(120);
        assertThat(out.resolve("demo-tenant.json")).content().contains("\"caCertificate\"", "\"apiKey\" : \"file:");
    }

    @Test
    void aNegativeTenantSizeIsBadInput() {
        var result = ConnectorsCliTest.run("demo", "--endpoints", "-1", "--out", dir.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith("connectors: --endpoints must be between 0 and 1,000,000, got -1")
                .hasLineCount(1);
    }
}
