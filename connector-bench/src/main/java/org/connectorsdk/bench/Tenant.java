package org.connectorsdk.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.cortexxdr.CortexXdrConnector;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.RateWindow;

/** A simulated tenant for one figure, and the instance definitions that point at it. */
final class Tenant implements AutoCloseable {
    static final String KEY_ID = "1";
    /** A made-up key for the simulator only. */
    static final String KEY = "bench-simulator-key-not-a-secret";
    /** A second key on the same tenant, for two instances sharing it. */
    static final String SECOND_KEY_ID = "2";
    static final String SECOND_KEY = "bench-simulator-second-key-not-a-secret";

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
        return start(endpoints, requestsPerSecond, RateWindow.SLIDING);
    }

    /** The same, counting the limit in a {@code window} of one second. */
    static Tenant start(int endpoints, double requestsPerSecond, RateWindow window) {
        return new Tenant(CortexXdrSimulator.builder()
                .endpoints(endpoints)
                .seed(42)
                .standardKey(KEY_ID, KEY)
                .standardKey(SECOND_KEY_ID, SECOND_KEY)
                .requestsPerSecond(requestsPerSecond)
                .rateWindow(window)
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
        return config(baseUrl, caPem, dataToSync, maxRequestsPerSecond, KEY_ID, KEY);
    }

    private static Map<String, Object> config(String baseUrl, String caPem, String dataToSync, int maxRequestsPerSecond,
            String keyId, String key) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("baseUrl", baseUrl);
        c.put("apiKey", key);
        c.put("apiKeyId", keyId);
        c.put("securityLevel", "standard");
        c.put("dataToSync", dataToSync);
        c.put("maxRequestsPerSecond", maxRequestsPerSecond);
        c.put("caCertificate", caPem);
        return c;
    }

    /** The real Cortex XDR connector (its request budget applies). */
    InstanceDefinition throttled(String name, String dataToSync, int maxRequestsPerSecond) {
        return throttled(name, dataToSync, maxRequestsPerSecond, KEY_ID, KEY);
    }

    /** The same with the key {@code keyId}. */
    InstanceDefinition throttled(String name, String dataToSync, int maxRequestsPerSecond, String keyId, String key) {
        return new InstanceDefinition(CortexXdrConnector.ID, name, "",
                config(baseUrl(), caPem(), dataToSync, maxRequestsPerSecond, keyId, key), Optional.empty());
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
