package org.connectorsdk.cortexxdr.reliability;

import java.util.LinkedHashMap;
import java.util.Map;

import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.cortexxdr.CortexXdrConnector;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;

/** Instance configs for the reliability tests: assets only, trusting the simulator's test CA. */
final class Configs {
    private Configs() {
    }

    static Map<String, Object> raw(String baseUrl, String key) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("name", "reliability");
        raw.put("baseUrl", baseUrl);
        raw.put("apiKey", key);
        raw.put("apiKeyId", "3");
        raw.put("dataToSync", "assets");
        raw.put("caCertificate", CortexXdrSimulator.bundledCaCertificatePem());
        return raw;
    }

    static ConnectorConfig config(String baseUrl, String key) {
        return bind(raw(baseUrl, key));
    }

    static ConnectorConfig bind(Map<String, Object> raw) {
        return new CortexXdrConnector().configSpec().bind(raw);
    }
}
