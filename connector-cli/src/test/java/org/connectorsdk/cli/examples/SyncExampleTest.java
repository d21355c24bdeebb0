package org.connectorsdk.cli.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncExampleTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeSyncExampleRegistersTheTenantAndPublishesEveryEndpoint() throws Exception {
        RunSummary summary = SyncExample.run(dir.resolve("out"), dir.resolve("state"));

        assertThat(summary.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(summary.streams().get("assets").written()).isEqualTo(250);
        Path assets = dir.resolve("out/tenant-eu").resolve(summary.runId()).resolve("assets.jsonl");
        try (var lines = Files.lines(assets)) {
            assertThat(lines.count()).isEqualTo(250);
        }
    }
}
