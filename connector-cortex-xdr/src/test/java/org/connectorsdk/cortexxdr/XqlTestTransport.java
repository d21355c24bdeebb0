package org.connectorsdk.cortexxdr;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.ProbeResult;

/**
 * A bare {@link HttpTransport} over the JDK client for tests of the XQL code against a real
 * HTTP server: no retries, no rate limit, nothing the runtime's transport adds. Bodies are
 * passed through as sent (no Content-Encoding handling), which is what the XQL stream needs
 * to be tested with its own gzip payload.
 */
final class XqlTestTransport implements HttpTransport {
    private final HttpClient client;
    private final Map<String, String> extraHeaders;

    /** Plain HTTP (WireMock), no extra headers. */
    XqlTestTransport() {
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.extraHeaders = Map.of();
    }

    /** HTTPS trusting {@code caPem} only, sending {@code headers} (e.g. a standard key) on every request. */
    XqlTestTransport(String caPem, Map<String, String> headers) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(ssl).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot trust the test CA", e);
        }
        this.extraHeaders = Map.copyOf(headers);
    }

    @Override
    public Response send(Request request) {
        try {
            HttpResponse<byte[]> response = client.send(build(request), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), headers(response), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public StreamingResponse open(Request request) {
        try {
            HttpResponse<InputStream> response = client.send(build(request),
                    HttpResponse.BodyHandlers.ofInputStream());
            Map<String, List<String>> headers = headers(response);
            return new StreamingResponse() {
                @Override
                public int status() {
                    return response.statusCode();
                }

                @Override
                public Optional<String> header(String name) {
                    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
                    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
                }

                @Override
                public InputStream body() {
                    return response.body();
                }

                @Override
                public void close() {
                    try {
                        response.body().close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ProbeResult probeTcp(URI uri, Duration timeout) {
        throw new UnsupportedOperationException("not needed by the XQL tests");
    }

    @Override
    public ProbeResult probeTls(URI uri, Duration timeout) {
        throw new UnsupportedOperationException("not needed by the XQL tests");
    }

    private HttpRequest build(Request request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(Duration.ofSeconds(10))
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(b::header);
        extraHeaders.forEach(b::header);
        return b.build();
    }

    private static Map<String, List<String>> headers(HttpResponse<?> response) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}
