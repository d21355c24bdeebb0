package org.connectorsdk.cli.examples;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;

/** The README's "run a sync" example, against the simulated tenant; the README shows the part between the tags. */
final class SyncExample {
    private SyncExample() {
    }

    static RunSummary run(Path out, Path state) {
        try (CortexXdrSimulator tenant = CortexXdrSimulator.builder()
                .endpoints(250).standardKey("1", "example-key").build().start()) {
            // tag::readme[]
            try (ConnectorRuntime runtime = ConnectorRuntime.builder()
                    .sink(new JsonLinesSink(out))           // or your own RecordSink
                    .stateStore(FileStateStore.open(state)) // or your own StateStore
                    .build()) {
                // register runs the five connection checks and saves nothing unless all pass
                runtime.register(new InstanceDefinition("cortex-xdr", "tenant-eu", "EU tenant", Map.of(
                        "baseUrl", tenant.baseUrl(),
                        "apiKey", "example-key",               // or env:NAME / file:PATH
                        "apiKeyId", "1",
                        "caCertificate", tenant.caCertificatePem(),
                        "dataToSync", "assets"), Optional.empty()));
                return runtime.runNow("tenant-eu");     // PROCESSED, or ERRORED with kind and remediation
            }
            // end::readme[]
        }
    }
}
