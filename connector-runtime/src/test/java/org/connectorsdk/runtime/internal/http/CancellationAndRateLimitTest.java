package org.connectorsdk.runtime.internal.http;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.HttpTransport.Request;
import org.connectorsdk.runtime.MutableClock;
import org.connectorsdk.runtime.internal.sync.CountingMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** Cancellation of in-flight requests and waits, some of it in real time (the rate limiter: {@link TenantRateLimitTest}). */
class CancellationAndRateLimitTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(30))
            .failOnUnmatchedRequests(true)
            .build();

    private final HttpTransportFactory realTime = new HttpTransportFactory(Clock.systemUTC());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final CountingMetrics metrics = new CountingMetrics();

    @AfterEach
    void close() {
        timer.shutdownNow();
        realTime.close();
    }

    private static Request get(String path) {
        return new Request("GET", URI.create(server.baseUrl() + path), Map.of(), new byte[0]);
    }

    @Test
    void cancellingAbandonsASlowRequestLongBeforeItsTimeout() {
        server.stubFor(WireMock.get("/slow")
                .willReturn(ok("late").withFixedDelay(10_000)));
        Cancellation cancellation = new Cancellation();
        HttpTransport transport = realTime.create(HttpSettings.builder("slow").requestTimeout(Duration.ofSeconds(30))
                .build(), List.of(), cancellation, metrics);
        timer.schedule(() -> cancellation.cancel(), 300, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();

        assertThatThrownBy(() -> transport.send(get("/slow")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
                    assertThat(e.getMessage()).isEqualTo("GET /slow was not completed: the request was abandoned");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        server.verify(1, getRequestedFor(urlPathEqualTo("/slow")));
    }

    @Test
    void cancellingEndsAWaitForRetryAfter() {
        server.stubFor(WireMock.get("/busy")
                .willReturn(status(429).withHeader("Retry-After", "60")));
        Cancellation cancellation = new Cancellation();
        HttpTransport transport = realTime.create(HttpSettings.builder("busy").build(), List.of(), cancellation, metrics);
        timer.schedule(() -> cancellation.cancel(), 300, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();

        assertThatThrownBy(() -> transport.send(get("/busy")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        server.verify(1, getRequestedFor(urlPathEqualTo("/busy")));
    }

    @Test
    void cancellingEndsAReadOfABodyThatDripsIn() {
        server.stubFor(WireMock.get("/drip")
                .willReturn(ok("x".repeat(100)).withChunkedDribbleDelay(100, 10_000)));
        Cancellation cancellation = new Cancellation();
        HttpTransport transport = realTime.create(HttpSettings.builder("drip").build(), List.of(), cancellation, metrics);

        try (HttpTransport.StreamingResponse response = transport.open(get("/drip"))) {
            long started = System.nanoTime();
            timer.schedule(() -> cancellation.cancel(), 300, TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> response.body().readAllBytes())
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
                        assertThat(e.getMessage()).isEqualTo("GET /drip was not completed: the run was cancelled");
                    });
            // the body would take 10 s to arrive
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aStreamedBodyThatStallsFailsTheReadAfterTheRequestTimeout() throws Exception {
        // headers and ten bytes at once, then nothing until the test ends
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer stalling = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        stalling.createContext("/stall", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            exchange.getResponseBody().flush();
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        stalling.setExecutor(Executors.newCachedThreadPool());
        stalling.start();
        HttpTransport transport = realTime.create(HttpSettings.builder("stall").requestTimeout(Duration.ofMillis(500))
                .build(), List.of(), new Cancellation(), metrics);
        URI uri = URI.create("http://127.0.0.1:" + stalling.getAddress().getPort() + "/stall");

        try (HttpTransport.StreamingResponse response = transport.open(new Request("GET", uri, Map.of(), new byte[0]))) {
            long started = System.nanoTime();
            byte[] first = response.body().readNBytes(10);
            assertThat(first).hasSize(10);
            assertThatThrownBy(() -> response.body().read())
                    .isInstanceOf(java.net.http.HttpTimeoutException.class)
                    .hasMessage("no byte of the response body of GET /stall arrived within 500 ms (the request"
                            + " timeout)");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        } finally {
            released.countDown();
            stalling.stop(0);
        }
    }

    @Test
    void aStreamedBodyWhoseBytesKeepComingIsReadWhole() {
        // ten chunks 100 ms apart: the whole body takes longer than the timeout, no gap does
        server.stubFor(WireMock.get("/steady")
                .willReturn(ok("y".repeat(100)).withGzipDisabled(true).withChunkedDribbleDelay(10, 1_000)));
        HttpTransport transport = realTime.create(HttpSettings.builder("steady").requestTimeout(Duration.ofMillis(700))
                .build(), List.of(), new Cancellation(), metrics);

        try (HttpTransport.StreamingResponse response = transport.open(get("/steady"))) {
            assertThat(new String(response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("y".repeat(100));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCancelledRunSendsNothing() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();
        HttpTransport transport = realTime.create(HttpSettings.builder("none").build(), List.of(), cancellation, metrics);

        assertThatThrownBy(() -> transport.send(get("/anything")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
        assertThat(server.getAllServeEvents()).isEmpty();
        assertThat(metrics.get("http.requests")).isZero();
    }

    @Test
    void cancellationHooksRunOnceAndAtOnceWhenAlreadyCancelled() throws Exception {
        Cancellation cancellation = new Cancellation();
        int[] runs = new int[2];
        cancellation.onCancel(() -> runs[0]++);
        AutoCloseable removed = cancellation.onCancel(() -> runs[1]++);
        removed.close();
        cancellation.cancel();
        cancellation.cancel();
        assertThat(runs).containsExactly(1, 0);

        int[] late = new int[1];
        cancellation.onCancel(() -> late[0]++);
        assertThat(late[0]).isEqualTo(1);
        assertThat(cancellation.isCancelled()).isTrue();
    }
}
