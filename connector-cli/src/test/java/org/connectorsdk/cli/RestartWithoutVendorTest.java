package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime restarted on its state store: an instance whose key is a reference runs without its
 * checks running again; one whose key was inline says how to give it again, and re-arming it
 * needs no vendor.
 */
class RestartWithoutVendorTest {
    private static final String KEY = "restart-key-0123456789abcdef";

    @TempDir
    Path dir;

    private ConnectorRuntime runtime() {
        return ConnectorRuntime.builder().sink(new JsonLinesSink(dir.resolve("out")))
                .stateStore(FileStateStore.open(dir.resolve("state"))).workers(1).build();
    }

    private static InstanceDefinition instance(CortexXdrSimulator tenant, String apiKey) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseUrl", tenant.baseUrl());
        config.put("apiKey", apiKey);
        config.put("apiKeyId", "1");
        config.put("dataToSync", "assets");
        config.put("caCertificate", tenant.caCertificatePem());
        return new InstanceDefinition("cortex-xdr", "tenant-r", "", config, Optional.empty());
    }

    @Test
    void anInstanceWhoseKeyIsAReferenceRunsAfterARestartWithoutItsChecks() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("key.txt"), KEY);
        try (CortexXdrSimulator tenant = CortexXdrSimulator.builder().endpoints(5).standardKey("1", KEY).start()) {
            try (ConnectorRuntime first = runtime()) {
                first.register(instance(tenant, "file:" + keyFile));
            }
            long keyChecks = tenant.requestCount(CortexXdrSimulator.VALIDATE_KEY);
            assertThat(keyChecks).as("the checks ran at registration").isPositive();

            try (ConnectorRuntime restarted = runtime()) {
                assertThat(restarted.status()).singleElement().satisfies(s -> assertThat(s.problem()).isEmpty());
                // the instance file given again, unchanged: no check, straight to the run
                restarted.registerOrUpdate(instance(tenant, "file:" + keyFile), Map.of());

                assertThat(restarted.runNow("tenant-r").state()).isEqualTo(ConnectorState.PROCESSED);
            }
            assertThat(tenant.requestCount(CortexXdrSimulator.VALIDATE_KEY)).isEqualTo(keyChecks);
        }
    }

    @Test
    void anInstanceWhoseKeyWasInlineSaysHowToGiveItAgainAndIsReArmedWithoutTheVendor() {
        InstanceDefinition inline;
        try (CortexXdrSimulator tenant = CortexXdrSimulator.builder().endpoints(5).standardKey("1", KEY).start()) {
            inline = instance(tenant, KEY);
            try (ConnectorRuntime first = runtime()) {
                first.register(inline);
            }
        }
        // the vendor is down from here on
        try (ConnectorRuntime restarted = runtime()) {
            assertThat(restarted.status()).singleElement().satisfies(s -> assertThat(s.problem()).hasValue(
                    "its secret apiKey was given inline and is never stored; update the instance with it again (no"
                            + " connection check runs, the vendor need not be up), or give it as env:NAME or"
                            + " file:PATH so a restart keeps it"));

            restarted.update(inline);

            assertThat(restarted.status()).singleElement().satisfies(s -> assertThat(s.problem()).isEmpty());
        }
        assertThat(FileStateStore.open(dir.resolve("state")).instance("tenant-r").orElseThrow().config())
                .doesNotContainKey("apiKey");
    }
}
