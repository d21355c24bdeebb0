package org.connectorsdk.runtime.internal.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.HttpTransport.Request;
import org.connectorsdk.api.HttpTransport.Response;
import org.connectorsdk.runtime.MutableClock;
import org.connectorsdk.runtime.TestTls;
import org.connectorsdk.runtime.internal.sync.CountingMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

class HttpTransportTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").gzipDisabled(true))
            .failOnUnmatchedRequests(true)
            .build();

    private final MutableClock time = new MutableClock();
    private final HttpTransportFactory factory = new HttpTransportFactory(time, time, 42L);
    private final CountingMetrics metrics = new CountingMetrics();

    @AfterEach
    void close() {
        factory.close();
    }

    private HttpSettings.Builder settings() {
        return HttpSettings.builder("test-" + System.nanoTime()).maxRequestsPerSecond(1000)
                .requestTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(2));
    }

    private HttpTransport transport(HttpSettings settings) {
        return factory.create(settings, List.of(), CancellationSignal.NONE, metrics);
    }

    private HttpTransport transport() {
        return transport(settings().build());
    }

    private static URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private static Request get(String path) {
        return new Request("GET", uri(path), Map.of(), new byte[0]);
    }

    /** Answers {@code first} on the first call, then {@code then} on every later call. */
    private static void firstThen(String path, ResponseDefinitionBuilder first,
            ResponseDefinitionBuilder then) {
        server.stubFor(WireMock.get(path).inScenario(path)
                .whenScenarioStateIs(STARTED).willReturn(first).willSetStateTo("later"));
        server.stubFor(WireMock.get(path).inScenario(path)
                .whenScenarioStateIs("later").willReturn(then));
    }

    @Test
    void retriesA503ThenReturnsTheSuccess() {
        firstThen("/flaky", status(503), okJson("{\"reply\":{}}"));

        Response response = transport().send(get("/flaky"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("{\"reply\":{}}");
        server.verify(2, getRequestedFor(urlPathEqualTo("/flaky")));
        assertThat(metrics.snapshot()).containsEntry("http.requests", 2L).containsEntry("http.retries", 1L);
    }

    @Test
    void waitsWhatRetryAfterSecondsAsksOn429() {
        firstThen("/limited", status(429).withHeader("Retry-After", "7"), ok("done"));

        Response response = transport().send(get("/limited"));

        assertThat(response.bodyText()).isEqualTo("done");
        // the tenant's limiter holds the retry, and every other request to the tenant, for the pause
        assertThat(time.slept()).isEqualTo(Duration.ofSeconds(7));
        assertThat(metrics.get("http.rateLimitWaitMillis")).isEqualTo(7000);
        assertThat(metrics.get("http.throttled")).isEqualTo(1);
    }

    @Test
    void waitsUntilTheRetryAfterHttpDate() {
        // MutableClock starts at 2026-11-25T16:00:00Z
        firstThen("/limited", status(429).withHeader("Retry-After", "Wed, 25 Nov 2026 16:00:12 GMT"), ok("done"));

        transport().send(get("/limited"));

        assertThat(time.slept()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void pausesForAnEstimateDoublingPer429When429HasNoRetryAfter() {
        server.stubFor(WireMock.get("/limited").willReturn(status(429)));

        Response response = transport(settings().maxRetries(4).build()).send(get("/limited"));

        assertThat(response.status()).isEqualTo(429);
        server.verify(5, getRequestedFor(urlPathEqualTo("/limited")));
        List<Duration> waits = time.sleeps();
        assertThat(waits).hasSize(4);
        // the first pause is one request interval at the lowered rate (with the widened guard), then each doubles
        assertThat(waits.get(0)).isEqualTo(Duration.ofNanos(
                Math.round((1e9 + 2 * RateLimiter.ARRIVAL_GUARD.toNanos()) / (1000 * RateLimiter.DECREASE))));
        for (int i = 1; i < waits.size(); i++) {
            assertThat(waits.get(i)).isEqualTo(waits.get(i - 1).multipliedBy(2));
        }
        assertThat(metrics.get("http.throttled")).isEqualTo(5);
    }

    @Test
    void backoffIsCappedAtThirtySecondsAndUsesTheWholeRange() {
        RuntimeHttpTransport transport = (RuntimeHttpTransport) transport();
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 2000; i++) {
            long millis = transport.backoff(40).toMillis();
            max = Math.max(max, millis);
            min = Math.min(min, millis);
        }
        assertThat(max).isLessThanOrEqualTo(30_000).isGreaterThan(29_000);
        assertThat(min).isLessThan(1_000);
        assertThat(transport.backoff(0).toMillis()).isBetween(0L, 500L);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 402, 403, 404})
    void neverRetriesClientErrors(int code) {
        server.stubFor(WireMock.get("/denied")
                .willReturn(status(code).withBody("{\"reply\":{\"err_code\":" + code + "}}")));

        Response response = transport().send(get("/denied"));

        assertThat(response.status()).isEqualTo(code);
        server.verify(1, getRequestedFor(urlPathEqualTo("/denied")));
        assertThat(metrics.get("http.retries")).isZero();
        assertThat(time.slept()).isZero();
    }

    @Test
    void retriesA500OnlyWhenTheSettingsCallItTransient() {
        server.stubFor(WireMock.get("/business")
                .willReturn(status(500).withBody("{\"reply\":{\"err_extra\":\"Invalid filter\"}}")));
        firstThen("/glitch", status(500).withBody("{\"reply\":{\"err_extra\":\"internal error\"}}"), ok("fine"));
        HttpTransport transport = transport(settings()
                .transientServerError(r -> !r.bodyText().contains("Invalid")).build());

        assertThat(transport.send(get("/business")).status()).isEqualTo(500);
        assertThat(transport.send(get("/glitch")).bodyText()).isEqualTo("fine");

        server.verify(1, getRequestedFor(urlPathEqualTo("/business")));
        server.verify(2, getRequestedFor(urlPathEqualTo("/glitch")));
    }

    @Test
    void returnsTheLastResponseWhenTheRetriesRunOut() {
        server.stubFor(WireMock.get("/down")
                .willReturn(status(503).withBody("maintenance")));

        Response response = transport(settings().maxRetries(3).build()).send(get("/down"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.bodyText()).isEqualTo("maintenance");
        server.verify(4, getRequestedFor(urlPathEqualTo("/down")));
        assertThat(metrics.snapshot()).containsEntry("http.retries", 3L).containsEntry("http.requests", 4L);
    }

    @Test
    void theRunBudgetCapsRetriesAcrossRequests() {
        server.stubFor(WireMock.get("/down").willReturn(status(502)));
        HttpTransport transport = factory.create(settings().maxRetries(5).build(), List.of(), CancellationSignal.NONE,
                metrics, new RetryBudget(3), new SettledRate(), factory.vendorClock());

        transport.send(get("/down"));
        transport.send(get("/down"));

        // 3 retries in all: four attempts for the first request, one for the second
        server.verify(5, getRequestedFor(urlPathEqualTo("/down")));
        assertThat(metrics.get("http.retries")).isEqualTo(3);
    }

    @Test
    void asksTheAuthenticatorForFreshHeadersOnEveryAttempt() {
        server.stubFor(WireMock.get("/signed").inScenario("signed")
                .whenScenarioStateIs(STARTED).willReturn(status(503)).willSetStateTo("second"));
        server.stubFor(WireMock.get("/signed").inScenario("signed")
                .whenScenarioStateIs("second").willReturn(status(504)).willSetStateTo("third"));
        server.stubFor(WireMock.get("/signed").inScenario("signed")
                .whenScenarioStateIs("third").willReturn(ok()));
        AtomicInteger calls = new AtomicInteger();
        HttpTransport transport = transport(settings().authenticator(() -> {
            int n = calls.incrementAndGet();
            return Map.of("Authorization", "signature-" + n, "x-xdr-nonce", "nonce-" + n);
        }).build());

        assertThat(transport.send(get("/signed")).status()).isEqualTo(200);

        List<LoggedRequest> requests = server.findAll(getRequestedFor(urlPathEqualTo("/signed")));
        assertThat(requests).extracting(r -> r.getHeader("Authorization"))
                .containsExactly("signature-1", "signature-2", "signature-3");
        assertThat(requests).extracting(r -> r.getHeader("x-xdr-nonce")).containsExactly("nonce-1", "nonce-2", "nonce-3");
    }

    @Test
    void sendsAcceptEncodingGzipAndDecodesGzipBodies() throws IOException {
        String json = "{\"reply\":{\"total_count\":1,\"endpoints\":[{\"endpoint_id\":\"abc\"}]}}";
        server.stubFor(post("/zipped").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("Content-Encoding", "gzip")
                .withBody(gzip(json))));

        Response response = transport().send(Request.postJson(uri("/zipped"), "{}"));

        assertThat(response.bodyText()).isEqualTo(json);
        assertThat(response.header("content-encoding")).isEmpty();
        assertThat(response.contentType()).isEqualTo("application/json");
        server.verify(postRequestedFor(urlPathEqualTo("/zipped")).withHeader("Accept-Encoding", equalTo("gzip"))
                .withHeader("Content-Type", equalTo("application/json")));
    }

    @Test
    void aRedirectIsAnErrorNamingTheLocationAndIsNotFollowed() {
        server.stubFor(WireMock.get("/moved")
                .willReturn(status(302).withHeader("Location", server.baseUrl() + "/login")));
        server.stubFor(WireMock.get("/login").willReturn(ok("portal")));

        assertThatThrownBy(() -> transport().send(get("/moved")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
                    assertThat(e.getMessage()).isEqualTo("GET /moved answered HTTP 302 redirecting to " + server.baseUrl()
                            + "/login; redirects are never followed, so credentials only go to the configured host");
                });
        server.verify(0, getRequestedFor(urlPathEqualTo("/login")));
    }

    @Test
    void refusesPlainHttpToAHostThatIsNotLoopback() {
        assertThatThrownBy(() -> transport().send(new Request("GET", URI.create("http://api-acme.example.com/x"),
                Map.of(), new byte[0])))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                    assertThat(e.getMessage()).isEqualTo("Refusing to send a request to http://api-acme.example.com: "
                            + "only https is allowed (plain http only to a loopback address, for tests)");
                });
    }

    @Test
    void refusesUserInfoInTheUriWithoutEchoingIt() {
        assertThatThrownBy(() -> transport().send(new Request("GET",
                URI.create("https://admin:hunter2@api-acme.example.com/x"), Map.of(), new byte[0])))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                    assertThat(e.getMessage()).doesNotContain("hunter2").contains("user info");
                });
    }

    @Test
    void loopbackHostsAreRecognisedWithoutDns() {
        assertThat(RuntimeHttpTransport.isLoopback("localhost")).isTrue();
        assertThat(RuntimeHttpTransport.isLoopback("127.0.0.1")).isTrue();
        assertThat(RuntimeHttpTransport.isLoopback("127.1.2.3")).isTrue();
        assertThat(RuntimeHttpTransport.isLoopback("[::1]")).isTrue();
        assertThat(RuntimeHttpTransport.isLoopback("127.0.0.1.example.com")).isFalse();
        assertThat(RuntimeHttpTransport.isLoopback("localhost.example.com")).isFalse();
        assertThat(RuntimeHttpTransport.isLoopback("10.0.0.1")).isFalse();
    }

    @Test
    void aRefusedConnectionIsRetriedThenUnreachable() {
        int port = TestTls.unusedPort();
        HttpTransport transport = transport(settings().maxRetries(2).build());

        assertThatThrownBy(() -> transport.send(new Request("GET", URI.create("http://127.0.0.1:" + port + "/x"),
                Map.of(), new byte[0])))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNREACHABLE);
                    assertThat(e.getMessage()).startsWith("The connection to 127.0.0.1:" + port + " was refused");
                });
        assertThat(metrics.snapshot()).containsEntry("http.requests", 3L).containsEntry("http.retries", 2L);
    }

    @Test
    void anUnresolvableHostIsUnreachableAndNotRetried() {
        assertThatThrownBy(() -> transport().send(new Request("GET", URI.create("https://no-such-tenant.invalid/x"),
                Map.of(), new byte[0])))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNREACHABLE);
                    assertThat(e.getMessage()).isEqualTo("The host no-such-tenant.invalid does not resolve (DNS lookup failed)");
                });
        assertThat(metrics.get("http.retries")).isZero();
    }

    @Test
    void aConnectionResetIsRetried() {
        // a POST, which the JDK client never retries on its own: the retry seen is ours
        server.stubFor(post("/reset").inScenario("reset").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("later"));
        server.stubFor(post("/reset").inScenario("reset").whenScenarioStateIs("later").willReturn(ok("after reset")));

        assertThat(transport().send(Request.postJson(uri("/reset"), "{}")).bodyText()).isEqualTo("after reset");
        server.verify(2, postRequestedFor(urlPathEqualTo("/reset")));
        assertThat(metrics.get("http.retries")).isEqualTo(1);
    }

    @Test
    void aBodyCutShortIsRetriedThenTransient() {
        server.stubFor(WireMock.get("/cut")
                .willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));

        assertThatThrownBy(() -> transport(settings().maxRetries(1).build()).send(get("/cut")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
        server.verify(2, getRequestedFor(urlPathEqualTo("/cut")));
    }

    @Test
    void aRequestTimeoutIsRetriedThenTransient() {
        server.stubFor(WireMock.get("/slow")
                .willReturn(ok("late").withFixedDelay(1500)));
        HttpTransport transport = transport(settings().requestTimeout(Duration.ofMillis(200)).maxRetries(1).build());

        assertThatThrownBy(() -> transport.send(get("/slow")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.getMessage()).isEqualTo("GET /slow got no complete response within 200 ms");
                });
        server.verify(2, getRequestedFor(urlPathEqualTo("/slow")));
    }

    @Test
    void openStreamsAGzipBodyAfterRetrying() throws IOException {
        String big = "line\n".repeat(50_000);
        firstThen("/export", status(503), aResponse().withStatus(200).withHeader("Content-Encoding", "gzip")
                .withBody(gzip(big)));

        try (HttpTransport.StreamingResponse response = transport().open(get("/export"))) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(big);
        }
        assertThat(metrics.get("http.retries")).isEqualTo(1);
        assertThat(metrics.get("http.bytes")).isPositive().isLessThan(big.length());
    }

    @Test
    void openRefusesARedirectAndReturnsAClientErrorWithoutRetrying() throws IOException {
        server.stubFor(WireMock.get("/export-moved")
                .willReturn(status(307).withHeader("Location", "https://cdn.example/export")));
        server.stubFor(WireMock.get("/export-denied")
                .willReturn(status(403).withBody("denied")));

        assertThatThrownBy(() -> transport().open(get("/export-moved")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
                    assertThat(e.getMessage()).startsWith("GET /export-moved answered HTTP 307 redirecting to "
                            + "https://cdn.example/export;");
                });
        try (HttpTransport.StreamingResponse response = transport().open(get("/export-denied"))) {
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.body().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("denied");
        }
        server.verify(1, getRequestedFor(urlPathEqualTo("/export-denied")));
    }

    @Test
    void aConnectTimeoutIsRetriedThenTransient() throws Exception {
        // a listener that never accepts, its backlog filled, so the kernel drops further SYNs
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket filler = new Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(full.getLocalSocketAddress(), 200);
                    } catch (IOException e) {
                        break;
                    }
                }
                HttpTransport transport = transport(settings().connectTimeout(Duration.ofMillis(300)).maxRetries(1).build());
                String url = "http://127.0.0.1:" + full.getLocalPort() + "/x";

                assertThatThrownBy(() -> transport.send(new Request("GET", URI.create(url), Map.of(), new byte[0])))
                        .isInstanceOfSatisfying(ConnectorException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                            assertThat(e.getMessage()).isEqualTo("Connecting to 127.0.0.1:" + full.getLocalPort()
                                    + " timed out after 300 ms");
                        });
                assertThat(metrics.get("http.retries")).isEqualTo(1);
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void rateLimitersAreSharedByTenantWhateverTheKeyAndIndependentAcrossTenants() {
        server.stubFor(WireMock.get("/r").willReturn(ok()));
        HttpTransport a1 = transport(HttpSettings.builder("key-1").maxRequestsPerSecond(10).build());
        HttpTransport a2 = transport(HttpSettings.builder("key-2").maxRequestsPerSecond(10).build());
        Instant start = time.instant();

        for (int i = 0; i < 5; i++) {
            a1.send(get("/r"));
            a2.send(get("/r"));
        }
        // ten requests of one tenant at 10/s: nine even gaps, whichever transport sent them
        Duration interval = Duration.ofNanos(Math.round((1e9 + RateLimiter.ARRIVAL_GUARD.toNanos()) / 10));
        assertThat(Duration.between(start, time.instant())).isEqualTo(interval.multipliedBy(9));

        // 127.0.0.1 is another origin than localhost, so another tenant with a budget of its own
        Instant beforeOther = time.instant();
        a1.send(new Request("GET", URI.create(server.baseUrl().replace("localhost", "127.0.0.1") + "/r"), Map.of(),
                new byte[0]));
        assertThat(time.instant()).isEqualTo(beforeOther);
    }

    @Test
    void oneClientPerTrustConfiguration() {
        transport(settings().build());
        transport(settings().build());
        assertThat(factory.clientCount()).isEqualTo(1);
        transport(settings().caCertificatePem(TestTls.caPem()).build());
        assertThat(factory.clientCount()).isEqualTo(2);
    }

    @Test
    void anInvalidCaCertificateIsAConfigurationError() {
        assertThatThrownBy(() -> transport(settings().caCertificatePem("not a certificate").build()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                    assertThat(e.getMessage()).startsWith("The CA certificate (caCertificate) is not a valid PEM X.509 certificate");
                });
    }

    @Test
    void sensitiveHeadersDeclaredBySettingsAreRedactedToo() {
        server.stubFor(WireMock.get("/p")
                .willReturn(status(302).withHeader("Location", "https://elsewhere.example/?sig=token-123")));
        HttpTransport transport = transport(settings().sensitiveHeaders(Set.of("x-api-token"))
                .authenticator(() -> Map.of("x-api-token", "token-123")).build());

        assertThatThrownBy(() -> transport.send(get("/p")))
                .hasMessageContaining("https://elsewhere.example/?sig=[hidden]")
                .hasMessageNotContaining("token-123");
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

}
