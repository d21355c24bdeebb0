package org.connectorsdk.cortexxdr.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A plain JDK HTTP client for the simulator's tests: trusts only the simulator's CA, speaks both
 * key levels, and shows every reply raw. Deliberately independent of the runtime's transport.
 */
final class SimulatorClient {

    static final String STANDARD_ID = "1";
    static final String STANDARD_KEY = "standard-test-key-0123456789";
    static final String ADVANCED_ID = "2";
    static final String ADVANCED_KEY = "advanced-test-key-9876543210";
    static final String UNAUTHORIZED_BODY =
            "{\"reply\":{\"err_code\":401,\"err_msg\":\"Public API request unauthorized\",\"err_extra\":null}}";
    static final ObjectMapper JSON = new ObjectMapper();

    private final CortexXdrSimulator simulator;
    private final HttpClient http;

    SimulatorClient(CortexXdrSimulator simulator) {
        this.simulator = simulator;
        this.http = HttpClient.newBuilder()
                .sslContext(trusting(simulator.caCertificatePem()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static CortexXdrSimulator.Builder withKeys() {
        return CortexXdrSimulator.builder().standardKey(STANDARD_ID, STANDARD_KEY).advancedKey(ADVANCED_ID, ADVANCED_KEY);
    }

    static SSLContext trusting(String pem) {
        try {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("simulator-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> standardHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-xdr-auth-id", STANDARD_ID);
        headers.put("Authorization", STANDARD_KEY);
        return headers;
    }

    static Map<String, String> advancedHeaders(String id, String key, long timestamp) {
        String nonce = "n".repeat(32) + Long.toHexString(System.nanoTime() | (1L << 62)).substring(0, 16)
                + "0123456789abcdef";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-xdr-auth-id", id);
        headers.put("x-xdr-nonce", nonce);
        headers.put("x-xdr-timestamp", Long.toString(timestamp));
        headers.put("Authorization", sha256Hex(key + nonce + timestamp));
        return headers;
    }

    static Map<String, String> advancedHeaders() {
        return advancedHeaders(ADVANCED_ID, ADVANCED_KEY, System.currentTimeMillis());
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST with a standard key; body is the {@code request_data} object's JSON. */
    HttpResponse<byte[]> standard(String path, String requestData) {
        return post(path, "{\"request_data\":" + requestData + "}", standardHeaders());
    }

    JsonNode standardJson(String path, String requestData) {
        HttpResponse<byte[]> response = standard(path, requestData);
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + text(response));
        }
        return json(response);
    }

    JsonNode page(int from, int to) {
        return standardJson(CortexXdrSimulator.GET_ENDPOINT, "{\"search_from\":" + from + ",\"search_to\":" + to
                + ",\"sort\":{\"field\":\"endpoint_id\",\"keyword\":\"ASC\"}}");
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
