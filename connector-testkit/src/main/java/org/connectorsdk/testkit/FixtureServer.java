package org.connectorsdk.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static java.util.Objects.requireNonNull;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.UrlPattern;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.github.tomakehurst.wiremock.verification.NearMiss;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A WireMock server playing a vendor API for tests: HTTPS on {@code 127.0.0.1} and a dynamic
 * port, with a certificate issued by the testkit's test-only CA ({@link #trustPem()}), answers
 * loaded from recorded fixtures, and fault injection. As a JUnit 5 extension it fails a test
 * that sent a request no stub matched, and stops after the class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FixtureServer server = FixtureServer.start().loadRecorded("fixtures/acme");
 *
 * @Test
 * void retriesAfterRateLimit() {
 *     server.failNext(1, "/api/v1/findings", Fault.tooManyRequests(Duration.ofSeconds(1)));
 *     ...
 * }
 * }</pre>
 */
public final class FixtureServer implements AfterEachCallback, AfterAllCallback, AutoCloseable {
    static final String KEYSTORE_PASSWORD = "testkit-test-only";
    private static final String TLS_DIR = "org/connectorsdk/testkit/tls/";
    private static final AtomicInteger SCENARIOS = new AtomicInteger();

    private final WireMockServer server;
    private final List<StubMapping> faultStubs = new CopyOnWriteArrayList<>();
    /** Every fault stub ever added, by id: which {@code fail*} call it came from. */
    private final Map<UUID, String> faultOrigins = new ConcurrentHashMap<>();

    private FixtureServer(WireMockServer server) {
        this.server = server;
    }

    /** Starts a server with no stubs: every request is unmatched until stubs are added. */
    public static FixtureServer start() {
        WireMockServer server = new WireMockServer(httpsOptions());
        server.start();
        FixtureServer fixtures = new FixtureServer(server);
        fixtures.warmUp();
        return fixtures;
    }

    /**
     * One HTTPS request to the server's admin API (not logged as a request): the first TLS
     * handshake of a cold JVM, on a loaded machine, can outlast a connector's short test request
     * timeout, and should not fall on a test's first check.
     */
    private void warmUp() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("testkit-ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(caPem().getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory managers = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            managers.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, managers.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
            client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/__admin/mappings"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("The fixture server on " + baseUrl() + " does not answer over TLS: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while warming up the fixture server", e);
        }
    }

    /** WireMock options for HTTPS on 127.0.0.1 with the testkit's certificate, HTTP off, quiet. */
    static WireMockConfiguration httpsOptions() {
        return WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .httpDisabled(true)
                .dynamicHttpsPort()
                .http2TlsDisabled(true)
                .http2PlainDisabled(true)
                .keystorePath(keystore().toString())
                .keystoreType("PKCS12")
                .keystorePassword(KEYSTORE_PASSWORD)
                .keyManagerPassword(KEYSTORE_PASSWORD)
                .notifier(new ConsoleNotifier(false));
    }

    /** The base URL, {@code https://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    /** The PEM certificate of the CA that issued the server's certificate, to trust it. */
    public String trustPem() {
        return caPem();
    }

    /** The test-only CA's PEM certificate (also what {@link FixtureRecorder} serves under). */
    public static String caPem() {
        try (InputStream in = resource(TLS_DIR + "testkit-ca.pem")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the testkit CA certificate", e);
        }
    }

    /** The underlying WireMock server, for anything this class does not cover. */
    public WireMockServer wireMock() {
        return server;
    }

    /** Adds a stub. */
    public FixtureServer stubFor(MappingBuilder mapping) {
        server.stubFor(mapping);
        return this;
    }

    /**
     * Loads recorded stubs: every {@code *.json} WireMock stub mapping in {@code dir} (or in its
     * {@code mappings/} sub-directory), as {@link FixtureRecorder} writes them. Stubs match on
     * method, path and, where recorded, the request body.
     */
    public FixtureServer loadRecorded(Path dir) {
        Path mappings = Files.isDirectory(dir.resolve("mappings")) ? dir.resolve("mappings") : dir;
        if (!Files.isDirectory(mappings)) {
            throw new IllegalArgumentException("No fixture directory at " + dir.toAbsolutePath());
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(mappings)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + mappings, e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("No *.json stub mappings in " + mappings.toAbsolutePath());
        }
        for (Path file : files) {
            try {
                server.addStubMapping(StubMapping.buildFrom(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Not a WireMock stub mapping: " + file + " (" + e.getMessage() + ")",
                        e);
            }
        }
        return this;
    }

    /** Loads recorded stubs from a class path directory, e.g. {@code fixtures/acme} in test resources. */
    public FixtureServer loadRecorded(String classpathDir) {
        URL url = Thread.currentThread().getContextClassLoader().getResource(classpathDir);
        if (url == null) {
            throw new IllegalArgumentException("No class path directory " + classpathDir);
        }
        try {
            return loadRecorded(Path.of(url.toURI()));
        } catch (URISyntaxException | java.nio.file.FileSystemNotFoundException e) {
            throw new IllegalArgumentException("Class path directory " + classpathDir + " is not on the file system ("
                    + url + "); give its Path instead", e);
        }
    }

    /** Makes the next {@code count} requests to {@code path} (any method) answer with {@code fault}. */
    public FixtureServer failNext(int count, String path, Fault fault) {
        return failNext(count, urlPathEqualTo(requireNonNull(path, "path is null")), fault);
    }

    /** Makes the next {@code count} requests to any path answer with {@code fault}. */
    public FixtureServer failNextAny(int count, Fault fault) {
        return failNext(count, anyUrl(), fault);
    }

    /** Makes every request to {@code path} answer with {@code fault} until {@link #clearFaults()}. */
    public FixtureServer failAlways(String path, Fault fault) {
        return failNext(Integer.MAX_VALUE, urlPathEqualTo(requireNonNull(path, "path is null")), fault);
    }

    /** Makes every request answer with {@code fault} until {@link #clearFaults()}. */
    public FixtureServer failAlwaysAny(Fault fault) {
        return failNext(Integer.MAX_VALUE, anyUrl(), fault);
    }

    private FixtureServer failNext(int count, UrlPattern url, Fault fault) {
        requireNonNull(fault, "fault is null");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        String origin = (count == Integer.MAX_VALUE ? "failAlways(" : "failNext(" + count + ", ") + describe(url)
                + ", " + fault + ")";
        if (count == Integer.MAX_VALUE) {
            addFault(WireMock.any(url).atPriority(1).willReturn(fault.response()), origin);
            return this;
        }
        // A scenario counts the faults down: state i answers with the fault and moves on; after
        // the last one no fault stub matches and the ordinary (lower-priority) stubs answer.
        String scenario = "connectorsdk-fault-" + SCENARIOS.incrementAndGet();
        for (int i = 0; i < count; i++) {
            String state = i == 0 ? Scenario.STARTED : "fault-" + i;
            addFault(WireMock.any(url).atPriority(1)
                    .inScenario(scenario).whenScenarioStateIs(state).willSetStateTo("fault-" + (i + 1))
                    .willReturn(fault.response()), origin + " #" + (i + 1));
        }
        return this;
    }

    private void addFault(MappingBuilder mapping, String origin) {
        StubMapping stub = server.stubFor(mapping);
        faultOrigins.put(stub.getId(), origin);
        faultStubs.add(stub);
    }

    private static String describe(UrlPattern url) {
        return url.isRegex() ? "any path" : "\"" + url.getExpected() + "\"";
    }

    /**
     * The requests that an injected fault answered, oldest first, each with the {@code fail*}
     * call it came from: {@code GET /api/v1/me -> failNext(1, "/api/v1/me", HTTP 401) #1}. When a
     * fault meant for a sync is used up by a connection check during registration, this says so.
     */
    public List<String> faultsServed() {
        return faultsServedSince(Instant.EPOCH);
    }

    /** {@link #faultsServed()} at or after {@code since}. */
    List<String> faultsServedSince(Instant since) {
        List<String> out = new ArrayList<>();
        for (ServeEvent event : server.getAllServeEvents()) {
            String origin = event.getStubMapping() == null ? null : faultOrigins.get(event.getStubMapping().getId());
            LoggedRequest request = event.getRequest();
            if (origin != null && !request.getLoggedDate().toInstant().isBefore(since)) {
                out.add(0, request.getMethod() + " " + request.getUrl() + " -> " + origin);
            }
        }
        return out;
    }

    /** Removes every fault added by the {@code fail*} methods. */
    public FixtureServer clearFaults() {
        for (StubMapping stub : faultStubs) {
            server.removeStubMapping(stub);
        }
        faultStubs.clear();
        return this;
    }

    /** Removes every stub and fault, and forgets received requests and scenario states. */
    public FixtureServer reset() {
        faultStubs.clear();
        server.resetAll();
        return this;
    }

    /** Every request received so far, oldest first. */
    public List<LoggedRequest> requests() {
        return server.findAll(anyRequestedFor(anyUrl()));
    }

    /** How many requests to {@code path} were received. */
    public int requestCount(String path) {
        return server.findAll(anyRequestedFor(urlPathEqualTo(path))).size();
    }

    /** The requests no stub matched, each with what came closest. */
    public List<String> unmatchedRequests() {
        List<String> out = new ArrayList<>();
        for (LoggedRequest request : server.findAllUnmatchedRequests()) {
            List<NearMiss> near = server.findNearMissesFor(request);
            out.add(request.getMethod() + " " + request.getUrl()
                    + (request.getBodyAsString().isEmpty() ? "" : " body " + abbreviate(request.getBodyAsString()))
                    + (near.isEmpty() ? " (no stub is close)" : " (closest stub: "
                    + near.get(0).getStubMapping().getRequest() + ")"));
        }
        return out;
    }

    /** @throws AssertionError listing every request no stub matched */
    public void verifyNoUnmatchedRequests() {
        List<String> unmatched = unmatchedRequests();
        if (!unmatched.isEmpty()) {
            throw new AssertionError("The fixture server received " + unmatched.size()
                    + " request(s) that no stub matched: " + unmatched.stream().collect(Collectors.joining(" | ")));
        }
    }

    /** After each test: fails it on unmatched requests, then clears faults and the request log. */
    @Override
    public void afterEach(ExtensionContext context) {
        try {
            verifyNoUnmatchedRequests();
        } finally {
            clearFaults();
            server.resetRequests();
            server.resetScenarios();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
    }

    @Override
    public String toString() {
        return "FixtureServer[" + (server.isRunning() ? baseUrl() : "stopped") + "]";
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static InputStream resource(String name) {
        InputStream in = FixtureServer.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("The testkit resource " + name + " is missing from the class path");
        }
        return in;
    }

    private static volatile Path keystore;

    /** The server key store, copied once per JVM to a file because WireMock reads a path. */
    private static synchronized Path keystore() {
        if (keystore == null) {
            try (InputStream in = resource(TLS_DIR + "testkit-server.p12")) {
                Path file = Files.createTempFile("connectorsdk-testkit-", ".p12");
                file.toFile().deleteOnExit();
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                keystore = file;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot copy the testkit key store to a temporary file", e);
            }
        }
        return keystore;
    }
}
