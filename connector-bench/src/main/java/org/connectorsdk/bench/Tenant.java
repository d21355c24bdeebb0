package org.connectorsdk.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.cortexxdr.CortexXdrConnector;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;

/** A simulated tenant for one figure, and the instance definitions that point at it. */
final class Tenant implements AutoCloseable {
    static final String KEY_ID = "1";
    /** A made-up key for the simulator only. */
    static final String KEY = "bench-simulator-key-not-a-secret";

    final CortexXdrSimulator simulator;

    private Tenant(CortexXdrSimulator simulator) {
        this.simulator = simulator;
    }

    /**
     * A tenant of {@code endpoints} endpoints; {@code requestsPerSecond} 0 for no limit. XQL
     * queries finish at once (no PENDING poll), so the figures measure the data path and not
     * the connector's polling pause.
     */
    static Tenant start(int endpoints, double requestsPerSecond) {
        return new Tenant(CortexXdrSimulator.builder()
                .endpoints(endpoints)
                .seed(42)
                .standardKey(KEY_ID, KEY)
                .requestsPerSecond(requestsPerSecond)
                .xqlPendingPolls(0)
                .start());
    }

    String baseUrl() {
        return simulator.baseUrl();
    }

    String caPem() {
        return simulator.caCertificatePem();
    }

    /** The instance config for this tenant. */
    Map<String, Object> config(String dataToSync, int maxRequestsPerSecond) {
        return config(baseUrl(), caPem(), dataToSync, maxRequestsPerSecond);
    }

    static Map<String, Object> config(String baseUrl, String caPem, String dataToSync, int maxRequestsPerSecond) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("baseUrl", baseUrl);
        c.put("apiKey", KEY);
        c.put("apiKeyId", KEY_ID);
        c.put("securityLevel", "standard");
        c.put("dataToSync", dataToSync);
        c.put("maxRequestsPerSecond", maxRequestsPerSecond);
        c.put("caCertificate", caPem);
        return c;
    }

    /** The real Cortex XDR connector (its request budget applies). */
    InstanceDefinition throttled(String name, String dataToSync, int maxRequestsPerSecond) {
        return new InstanceDefinition(CortexXdrConnector.ID, name, "", config(dataToSync, maxRequestsPerSecond),
                Optional.empty());
    }

    /** The same connector with its budget lifted ({@link UnthrottledCortexXdr}). */
    InstanceDefinition unthrottled(String name, String dataToSync) {
        return unthrottled(name, baseUrl(), caPem(), dataToSync);
    }

    static InstanceDefinition unthrottled(String name, String baseUrl, String caPem, String dataToSync) {
        return new InstanceDefinition(UnthrottledCortexXdr.ID, name, "", config(baseUrl, caPem, dataToSync, 10),
                Optional.empty());
    }

    @Override
    public void close() {
        simulator.close();
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
