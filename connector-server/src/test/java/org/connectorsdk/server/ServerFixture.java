package org.connectorsdk.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real server on 127.0.0.1 (port 0) over a simulated Cortex XDR tenant, and an HTTP client
 * that remembers every response body, so a test can prove no secret was ever in one.
 */
final class ServerFixture implements AutoCloseable {
    static final String KEY_ID = "7";
    static final String KEY = "sim-key-4f9a1c77d2e84b0a9e3f5c61";
    static final String TOKEN = "test-token-0b1c2d3e4f5a6b7c8d9e";
    static final ObjectMapper JSON = new ObjectMapper();

    final CortexXdrSimulator tenant;
    final ConnectorServer server;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    ServerFixture(Path dir) {
        tenant = CortexXdrSimulator.builder().endpoints(30).seed(7).standardKey(KEY_ID, KEY).start();
        server = ConnectorServer.builder().sink(new JsonLinesSink(dir.resolve("out")))
                .stateStore(FileStateStore.open(dir.resolve("state"))).token(TOKEN).bind("127.0.0.1").port(0)
                .runtime(b -> b.workers(2)).start();
        VaultSecretResolver.put("xdr/eu#apiKey", KEY);
    }

    /** An instance body for the simulated tenant with {@code apiKey}, scheduled daily from 2030. */
    Map<String, Object> instance(String name, String apiKey) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseUrl", tenant.baseUrl());
        config.put("apiKey", apiKey);
        config.put("apiKeyId", KEY_ID);
        config.put("securityLevel", "standard");
        config.put("dataToSync", "assets-and-findings");
        config.put("maxRequestsPerSecond", 10);
        config.put("caCertificate", tenant.caCertificatePem());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("connector", "cortex-xdr");
        doc.put("name", name);
        doc.put("description", "Simulated tenant");
        doc.put("config", config);
        doc.put("schedule", Map.of("type", "recurring", "every", "P1D", "start", "2030-01-01T06:00",
                "zone", "Europe/Paris"));
        return doc;
    }

    HttpResponse<String> call(String method, String path, Object body) {
        return call(method, path, body, TOKEN);
    }

    HttpResponse<String> call(String method, String path, Object body, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s
                                    : JSON.writeValueAsString(body)))
                    .header("Content-Type", "application/json");
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            bodies.add(response.body());
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        server.close();
        tenant.close();
    }
}
