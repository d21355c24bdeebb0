package org.connectorsdk.runtime.internal.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

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

/** The vendor's clock read from the Date headers of its replies, against a fake local clock. */
class VendorClockTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .failOnUnmatchedRequests(true)
            .build();

    private final MutableClock time = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final HttpTransportFactory factory = new HttpTransportFactory(time, time, 3L);
    private final CountingMetrics metrics = new CountingMetrics();
    private final VendorClock runClock = factory.vendorClock();
    private final HttpTransport transport = transport(runClock);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream originalErr = System.err;

    @AfterEach
    void close() {
        System.setErr(originalErr);
        factory.close();
    }

    @Test
    void anOffsetIsKnownToWithinTheRoundTripThoughDatesCountWholeSeconds() {
        Duration skew = Duration.ofMinutes(5);
        // replies at different fractions of the local second narrow the one-second steps of Date
        for (long millis : new long[] {50, 900, 500, 300}) {
            time.advance(Duration.ofMillis(millis));
            replyWithVendorClockAt(skew);
        }

        Duration offset = estimates().offset(uri("/r")).orElseThrow();
        assertThat(offset).isBetween(skew.minusMillis(100), skew.plusMillis(100));
        assertThat(estimates().offset(URI.create("https://elsewhere.example.com"))).isEmpty();
        // the vendor is ahead: the local clock is not
        assertThat(runClock.localAhead()).isEmpty();
    }

    @Test
    void howFarTheLocalClockIsAheadIsWhatTheRepliesProveNeverMore() {
        Duration skew = Duration.ofMinutes(-10);
        for (long millis : new long[] {50, 900, 500, 300}) {
            time.advance(Duration.ofMillis(millis));
            replyWithVendorClockAt(skew);
        }

        assertThat(runClock.localAhead().orElseThrow()).isBetween(Duration.ofMinutes(10).minusMillis(100),
                Duration.ofMinutes(10));
    }

    @Test
    void aRunsClockAnswersOnlyForTheOriginsItsTransportsTalkedTo() {
        time.advance(Duration.ofMillis(300));
        replyWithVendorClockAt(Duration.ofMinutes(-10));
        VendorClock otherRun = factory.vendorClock();

        assertThat(otherRun.localAhead()).isEmpty();

        server.stubFor(WireMock.get("/r").willReturn(aResponse().withStatus(200)
                .withHeader("Date", httpDate(time.instant().minus(Duration.ofMinutes(10))))));
        assertThat(transport(otherRun).send(get("/r")).status()).isEqualTo(200);
        assertThat(otherRun.localAhead().orElseThrow()).isBetween(Duration.ofSeconds(599), Duration.ofSeconds(600));
    }

    @Test
    void withClocksWithinTheOneSecondOfADateTheLocalClockIsNotSaidToBeAhead() {
        for (long millis : new long[] {50, 900, 500, 300}) {
            time.advance(Duration.ofMillis(millis));
            replyWithVendorClockAt(Duration.ZERO);
        }

        assertThat(runClock.localAhead()).isEmpty();
    }

    @Test
    void aLocalClockFarAheadIsWarnedAboutOncePerOriginWithTheRemedy() {
        captureLog();
        for (int i = 0; i < 3; i++) {
            time.advance(Duration.ofMillis(300));
            replyWithVendorClockAt(Duration.ofMinutes(-3));
        }

        String origin = Origin.of(uri("/r")).toString();
        List<String> warnings = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("WARN")).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("The local clock is 180 s ahead of the clock of " + origin,
                "delta runs hold their watermarks back to the vendor's clock", "Fix this machine's time "
                        + "synchronisation (NTP)");
        assertThat(estimates().offset(uri("/r")).orElseThrow()).isBetween(Duration.ofSeconds(-181),
                Duration.ofSeconds(-179));
        assertThat(runClock.localAhead().orElseThrow()).isBetween(Duration.ofSeconds(179), Duration.ofSeconds(181));
    }

    @Test
    void anOffsetWithinTheSettleDelayIsNotWarnedAbout() {
        captureLog();
        replyWithVendorClockAt(Duration.ofSeconds(50));

        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("WARN");
        assertThat(estimates().offset(uri("/r")).orElseThrow()).isBetween(Duration.ofSeconds(50),
                Duration.ofSeconds(51));
    }

    @Test
    void aClockThatIsSetIsFollowedAtTheNextReply() {
        for (int i = 0; i < 4; i++) {
            time.advance(Duration.ofMillis(450));
            replyWithVendorClockAt(Duration.ofHours(-1));
        }
        assertThat(runClock.localAhead()).isPresent();
        time.advance(Duration.ofMillis(450));
        replyWithVendorClockAt(Duration.ZERO); // someone fixed the clock

        assertThat(estimates().offset(uri("/r")).orElseThrow()).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(runClock.localAhead()).isEmpty();
    }

    @Test
    void aRetryAfterDateCountsFromTheVendorsDateNotTheLocalClock() {
        // the vendor's clock is an hour ahead: by the local clock the date is an hour and 7 s away
        Instant vendorNow = time.instant().plus(Duration.ofHours(1));
        server.stubFor(WireMock.get("/limited").inScenario("429").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(503).withHeader("Date", httpDate(vendorNow))
                        .withHeader("Retry-After", httpDate(vendorNow.plusSeconds(7))))
                .willSetStateTo("answered"));
        server.stubFor(WireMock.get("/limited").inScenario("429").whenScenarioStateIs("answered")
                .willReturn(aResponse().withStatus(200)));

        assertThat(transport.send(get("/limited")).status()).isEqualTo(200);

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
    }

    /** One reply whose Date is the local (fake) clock plus {@code skew}, floored to the second as HTTP dates are. */
    private void replyWithVendorClockAt(Duration skew) {
        server.stubFor(WireMock.get("/r").willReturn(aResponse().withStatus(200)
                .withHeader("Date", httpDate(time.instant().plus(skew)))));
        assertThat(transport.send(get("/r")).status()).isEqualTo(200);
    }

    /** The factory's estimates behind every run's clock. */
    private VendorClocks estimates() {
        return factory.vendorClocks();
    }

    private HttpTransport transport(VendorClock clock) {
        return factory.create(HttpSettings.builder("key").build(), List.of(), CancellationSignal.NONE, metrics,
                new RetryBudget(RetryBudget.DEFAULT_PER_RUN), new SettledRate(), clock);
    }

    private void captureLog() {
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private static Request get(String path) {
        return new Request("GET", uri(path), Map.of(), new byte[0]);
    }
}
