package org.connectorsdk.runtime.internal.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.CancellationSignal;
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

/** One adaptive budget per tenant, on fake time. */
class TenantRateLimitTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .failOnUnmatchedRequests(true)
            .build();

    private final MutableClock time = new MutableClock();
    private final HttpTransportFactory factory = new HttpTransportFactory(time, time, 3L);
    private final CountingMetrics metrics = new CountingMetrics();
    /** One run's settled rate, shared by its transports. */
    private final SettledRate run = new SettledRate();

    @AfterEach
    void close() {
        factory.close();
    }

    /** The pacing interval at {@code rate}, the first guard included. */
    private static Duration interval(double rate) {
        return interval(rate, RateLimiter.ARRIVAL_GUARD);
    }

    private static Duration interval(double rate, Duration guard) {
        return Duration.ofNanos(Math.round((1e9 + guard.toNanos()) / rate));
    }

    @Test
    void requestsArePacedEvenlyAtTheConfiguredRate() {
        RateLimiter limiter = limiter(5);
        Instant start = time.instant();

        for (int i = 0; i < 50; i++) {
            time.sleep(limiter.reserve());
        }

        // the first at once, then 49 even gaps
        assertThat(Duration.between(start, time.instant())).isEqualTo(interval(5).multipliedBy(49));
    }

    @Test
    void idleTimeIsNotBankedBeyondOneWindow() {
        RateLimiter limiter = limiter(10);
        limiter.reserve();
        time.advance(Duration.ofMinutes(1));
        Instant start = time.instant();

        // at most one window's worth at twice the rate, then the tenant's second holds the eleventh
        for (int i = 0; i < 10; i++) {
            time.sleep(limiter.reserve());
            assertThat(limiter.depart()).isZero();
            assertThat(Duration.between(start, time.instant())).isEqualTo(interval(10).dividedBy(2).multipliedBy(i));
        }
        time.sleep(limiter.reserve());
        assertThat(limiter.depart()).isEqualTo(Duration.ofSeconds(1).plus(RateLimiter.ARRIVAL_GUARD)
                .minus(interval(10).dividedBy(2).multipliedBy(10)));
    }

    @Test
    void aRequesterLateForItsSlotMakesTheTimeUpAtTwiceTheRate() {
        RateLimiter limiter = limiter(10);
        limiter.reserve();
        time.sleep(limiter.reserve());
        time.advance(interval(10).multipliedBy(2)); // a slow page: the slot at 2 intervals went by unused

        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isEqualTo(interval(10).dividedBy(2));
        // caught up with the grid: even gaps again
        assertThat(limiter.reserve()).isEqualTo(interval(10));
        assertThat(limiter.reserve()).isEqualTo(interval(10).multipliedBy(2));
    }

    @Test
    void aClockSteppingBackAnHourDoesNotHoldRequestsForAnHour() {
        RateLimiter limiter = limiter(10);
        limiter.reserve();
        time.set(time.instant().minus(Duration.ofHours(1)));

        assertThat(limiter.reserve()).isEqualTo(interval(10));
        time.advance(interval(10));
        assertThat(limiter.reserve()).isEqualTo(interval(10));
    }

    @Test
    void a429CutsTheRateMultiplicativelyAndItRecoversAdditivelyToTheCeiling() {
        RateLimiter limiter = limiter(10);

        limiter.throttled(Optional.of(Duration.ofSeconds(2)));

        assertThat(limiter.rate()).isCloseTo(10 * RateLimiter.DECREASE, within(1e-9));
        time.advance(Duration.ofSeconds(2)); // the pause: no recovery yet
        assertThat(limiter.rate()).isCloseTo(9, within(1e-9));
        time.advance(Duration.ofMillis(500)); // + 0.5 x 10% of 10
        assertThat(limiter.rate()).isCloseTo(9.5, within(1e-9));
        time.advance(Duration.ofSeconds(10));
        assertThat(limiter.rate()).isEqualTo(10);

        limiter.throttled(Optional.empty());
        limiter.throttled(Optional.empty()); // sent before the pause: the same episode, no second cut
        assertThat(limiter.rate()).isCloseTo(9, within(1e-9));
        assertThat(limiter.throttled()).isEqualTo(3);
    }

    @Test
    void withoutRetryAfterThePauseIsOneIntervalAndDoublesWhile429sFollow() {
        RateLimiter limiter = limiter(10);

        limiter.throttled(Optional.empty());
        Duration first = limiter.reserve();
        assertThat(first).isEqualTo(interval(10 * RateLimiter.DECREASE, RateLimiter.ARRIVAL_GUARD.multipliedBy(2)));
        time.advance(first);
        limiter.throttled(Optional.empty());

        assertThat(limiter.reserve()).isEqualTo(first.multipliedBy(2));
    }

    @Test
    void each429EpisodeDoublesTheArrivalGuardUpToItsMaximum() {
        RateLimiter limiter = limiter(10);
        assertThat(limiter.guard()).isEqualTo(RateLimiter.ARRIVAL_GUARD);

        limiter.throttled(Optional.of(Duration.ofSeconds(1)));
        assertThat(limiter.guard()).isEqualTo(RateLimiter.ARRIVAL_GUARD.multipliedBy(2));
        time.advance(Duration.ofSeconds(1));
        limiter.throttled(Optional.of(Duration.ofSeconds(1)));
        time.advance(Duration.ofSeconds(1));
        limiter.throttled(Optional.of(Duration.ofSeconds(1)));

        assertThat(limiter.guard()).isEqualTo(RateLimiter.MAX_GUARD);
    }

    @Test
    void aLateDepartureHoldsTheRequestOneWindowLater() {
        RateLimiter limiter = limiter(10);
        assertThat(limiter.reserve()).isZero();
        time.advance(Duration.ofMillis(40)); // the sender woke late
        assertThat(limiter.depart()).isZero();
        for (int i = 1; i < 10; i++) {
            time.sleep(limiter.reserve());
            assertThat(limiter.depart()).isZero();
        }

        // the grid says the 11th may go one second plus the guard after the first slot, but the
        // first request left 40 ms late: the tenant would see eleven in one window
        time.sleep(limiter.reserve());
        assertThat(limiter.depart()).isEqualTo(Duration.ofMillis(40));
        time.advance(Duration.ofMillis(40));
        assertThat(limiter.depart()).isZero();
    }

    @Test
    void a429PausesEveryRequesterOfTheTenantWhateverItsKey() {
        server.stubFor(WireMock.get("/limited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));
        server.stubFor(WireMock.get("/r").willReturn(ok()));
        HttpTransport first = transport(HttpSettings.builder("key-1").maxRequestsPerSecond(10).maxRetries(0).build());
        HttpTransport second = transport(HttpSettings.builder("key-2").maxRequestsPerSecond(10).build());

        assertThat(first.send(get("/limited")).status()).isEqualTo(429);
        Instant afterThe429 = time.instant();
        assertThat(second.send(get("/r")).status()).isEqualTo(200);

        assertThat(Duration.between(afterThe429, time.instant())).isEqualTo(Duration.ofSeconds(3));
        assertThat(metrics.get("http.throttled")).isEqualTo(1);
        assertThat(metrics.get(SettledRate.COUNTER)).isEqualTo(Math.round(10 * RateLimiter.DECREASE * 60));
    }

    @Test
    void twoInstancesOnOneTenantShareOneBudgetAtTheLowerRate() {
        server.stubFor(WireMock.post("/public_api/v1/endpoints/get_endpoint")
                .willReturn(ok()));
        HttpTransport eight = transport(HttpSettings.builder(server.baseUrl() + "#key-1").maxRequestsPerSecond(8).build());
        HttpTransport five = transport(HttpSettings.builder(server.baseUrl() + "#key-2").maxRequestsPerSecond(5).build());
        // the same tenant spelled differently: upper-case host
        URI other = URI.create(server.baseUrl().replace("localhost", "LOCALHOST")
                + "/public_api/v1/endpoints/get_endpoint");
        Instant start = time.instant();

        for (int i = 0; i < 10; i++) {
            eight.send(post(URI.create(server.baseUrl() + "/public_api/v1/endpoints/get_endpoint")));
            five.send(post(other));
        }

        // the first gap was paced before the second instance had sent, at the first one's 8/s
        assertThat(Duration.between(start, time.instant())).isEqualTo(interval(8).plus(interval(5).multipliedBy(18)));
        assertThat(metrics.get(SettledRate.COUNTER)).isEqualTo(300);
    }

    @Test
    void theRuntimesBudgetForATenantReplacesTheInstancesRates() {
        server.stubFor(WireMock.get("/r").willReturn(ok()));
        factory.tenantBudget(URI.create(server.baseUrl().replace("localhost", "LOCALHOST")), 2);
        HttpTransport transport = transport(HttpSettings.builder("key").maxRequestsPerSecond(10).build());
        Instant start = time.instant();

        for (int i = 0; i < 5; i++) {
            transport.send(get("/r"));
        }

        assertThat(Duration.between(start, time.instant())).isEqualTo(interval(2).multipliedBy(4));
        server.verify(5, getRequestedFor(urlPathEqualTo("/r")));
    }

    @Test
    void originsIgnoreCaseAndTheDefaultPort() {
        assertThat(Origin.of(URI.create("HTTPS://API.Example.com/public_api")))
                .isEqualTo(Origin.of(URI.create("https://api.example.com:443/other")))
                .hasToString("https://api.example.com:443");
        assertThat(Origin.of(URI.create("https://api.example.com:8443/")))
                .isNotEqualTo(Origin.of(URI.create("https://api.example.com/")));
    }

    @Test
    void theHttpExecutorHasTheConfiguredBound() {
        try (HttpTransportFactory bounded = HttpTransportFactory.withThreads(time, time, 3)) {
            assertThat(bounded.threadBound()).isEqualTo(3);
        }
    }

    private RateLimiter limiter(double rate) {
        return factory.tenant(URI.create("https://tenant.example.com"),
                HttpSettings.builder("key").maxRequestsPerSecond(rate).build());
    }

    private HttpTransport transport(HttpSettings settings) {
        return factory.create(settings, List.of(), CancellationSignal.NONE, metrics, new RetryBudget(10), run,
                factory.vendorClock());
    }

    private static Request get(String path) {
        return new Request("GET", URI.create(server.baseUrl() + path), Map.of(), new byte[0]);
    }

    private static Request post(URI uri) {
        return new Request("POST", uri, Map.of(), new byte[0]);
    }
}
