package org.connectorsdk.cortexxdr.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;

/**
 * TLS verification in a sync through {@link ConnectorRuntime}, not only in the checks: an
 * instance registered against its trusted tenant whose address later presents a certificate the
 * instance does not trust ends its run {@code ERRORED} with kind TLS, publishes nothing, and
 * the server never receives a request, so never the key.
 */
class TlsInSyncTest {
    static final String KEY = "tls-in-sync-key-6a5b4c3d2e1f0a9b";

    @TempDir
    Path dir;

    @Test
    void aSyncAgainstAnUntrustedCertificateIsErroredTlsAndPublishesNothing() throws IOException {
        int port;
        RunSummary good;
        try (CortexXdrSimulator tenant = CortexXdrSimulator.builder().endpoints(30).seed(2).standardKey("1", KEY)
                .start();
                ConnectorRuntime runtime = runtime()) {
            port = tenant.port();
            Files.writeString(dir.resolve("key"), KEY);
            Map<String, Object> config = Configs.raw(tenant.baseUrl(), "file:" + dir.resolve("key"));
            config.remove("name");
            config.put("apiKeyId", "1");
            runtime.register(new InstanceDefinition("cortex-xdr", "tls-tenant", "", config, Optional.empty()));
            good = runtime.runNow("tls-tenant");
            assertThat(good.state()).as(String.valueOf(good.error())).isEqualTo(ConnectorState.PROCESSED);
        }
        // the same address now presents a certificate from a CA the instance does not trust
        try (ReplyServer impostor = new ReplyServer(TlsInSyncTest.class.getResource("/tls/wrong-host.p12"),
                "changeit", port);
                ConnectorRuntime runtime = runtime()) {
            impostor.reply("{\"reply\":{\"endpoints\":[],\"total_count\":0}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            RunSummary run = runtime.runNow("tls-tenant");

            assertThat(run.state()).isEqualTo(ConnectorState.ERRORED);
            assertThat(run.error()).hasValueSatisfying(e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.TLS);
                assertThat(e.message()).contains("127.0.0.1").doesNotContain(KEY);
                assertThat(e.remediation()).isPresent();
            });
            assertThat(impostor.requests()).isZero();
        }
        try (Stream<Path> runs = Files.list(dir.resolve("out").resolve("tls-tenant"))) {
            assertThat(runs.map(p -> p.getFileName().toString()).toList()).containsExactly(good.runId());
        }
    }

    private ConnectorRuntime runtime() {
        // a restarted runtime keeps the instance (its key is a file: reference, so it can run)
        return ConnectorRuntime.builder().sink(new JsonLinesSink(dir.resolve("out")))
                .stateStore(FileStateStore.open(dir.resolve("state"))).workers(1).build();
    }
}
