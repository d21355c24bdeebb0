package org.connectorsdk.cortexxdr;

import java.util.LinkedHashMap;
import java.util.Map;

import org.connectorsdk.api.ConnectorConfig;

/** Instance configs for tests. */
final class TestConfigs {
    static final String KEY = "k3y-Secret-Value-0123456789abcdef";
    static final String KEY_ID = "7";

    private TestConfigs() {
    }

    static Map<String, Object> raw(String baseUrl) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("name", "tenant-test");
        raw.put("baseUrl", baseUrl);
        raw.put("apiKey", KEY);
        raw.put("apiKeyId", KEY_ID);
        return raw;
    }

    static ConnectorConfig config(Map<String, Object> raw) {
        return new CortexXdrConnector().configSpec().bind(raw);
    }

    static ConnectorConfig config(String baseUrl, Object... more) {
        Map<String, Object> raw = raw(baseUrl);
        for (int i = 0; i < more.length; i += 2) {
            raw.put((String) more[i], more[i + 1]);
        }
        return config(raw);
    }

    static CortexXdrSettings settings(String baseUrl, Object... more) {
        return CortexXdrSettings.from(config(baseUrl, more));
    }

    /** {@code s} pointed at {@code baseUrl}, which may be plain http on loopback (WireMock). */
    static CortexXdrSettings at(CortexXdrSettings s, String baseUrl) {
        return new CortexXdrSettings(baseUrl, s.apiKey(), s.apiKeyId(), s.advanced(), s.dataToSync(), s.events(),
                s.batchSize(), s.maxRequestsPerSecond(), s.caCertificate(), s.platforms(), s.statuses(), s.groups(),
                s.lastSeenAfter(), s.lastSeenBefore(), s.failWithoutVulnerabilities(), s.requestTimeout(), s.software(),
                s.vulnerabilityMaxAge());
    }
}
