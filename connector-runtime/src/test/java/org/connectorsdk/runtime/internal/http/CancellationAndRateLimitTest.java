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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

/** Cancellation of in-flight requests and waits, and the rate limiter, some of it in real time. */
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

    @Test
    void theRateLimiterSpacesABurstAtTheConfiguredRate() {
        MutableClock time = new MutableClock();
        RateLimiter limiter = new RateLimiter(time, 5);
        Instant start = time.instant();

        for (int i = 0; i < 50; i++) {
            time.sleep(limiter.reserve());
        }

        // 50 requests at 5/s: the first at once, then 49 gaps of 200 ms
        assertThat(Duration.between(start, time.instant())).isEqualTo(Duration.ofMillis(9_800));
    }

    @Test
    void theRateLimiterDoesNotBankIdleTimeIntoABurst() {
        MutableClock time = new MutableClock();
        RateLimiter limiter = new RateLimiter(time, 10);
        limiter.reserve();
        time.advance(Duration.ofMinutes(1));

        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isEqualTo(Duration.ofMillis(100));
        assertThat(limiter.reserve()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void twentyRequestsAtTenPerSecondFromTwoThreadsTakeNearlyTwoSeconds() {
        server.stubFor(WireMock.get("/r").willReturn(ok()));
        HttpSettings tenant = HttpSettings.builder("tenant-real").maxRequestsPerSecond(10).build();
        HttpTransport first = realTime.create(tenant, List.of(), CancellationSignal.NONE, metrics);
        HttpTransport second = realTime.create(tenant, List.of(), CancellationSignal.NONE, metrics);
        long started = System.nanoTime();

        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> sendTimes(first, 10));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> sendTimes(second, 10));
        CompletableFuture.allOf(a, b).join();

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // 19 gaps of 100 ms; the upper bound only guards against a limiter far too strict
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_700)).isLessThan(Duration.ofSeconds(5));
        server.verify(20, getRequestedFor(urlPathEqualTo("/r")));
    }

    private static void sendTimes(HttpTransport transport, int times) {
        for (int i = 0; i < times; i++) {
            transport.send(get("/r"));
        }
    }
}
