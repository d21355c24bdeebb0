package org.connectorsdk.cortexxdr.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator.GET_ENDPOINT;
import static org.connectorsdk.cortexxdr.simulator.SimulatorClient.UNAUTHORIZED_BODY;
import static org.connectorsdk.cortexxdr.simulator.SimulatorClient.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.connectorsdk.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantFaultTest {

    private CortexXdrSimulator simulator;
    private SimulatorClient client;

    @BeforeEach
    void start() {
        simulator = SimulatorClient.withKeys().endpoints(150).seed(11).start();
        client = new SimulatorClient(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HttpResponse<byte[]> page() {
        return client.standard(GET_ENDPOINT, "{\"search_from\":0,\"search_to\":100}");
    }

    @Test
    void statusFaultHitsExactlyTheChosenRequestNumbers() {
        simulator.faults().onPath(GET_ENDPOINT + "/").requests(2, 3).respond(TenantFault.status(503));
        assertThat(page().statusCode()).isEqualTo(200);
        HttpResponse<byte[]> second = page();
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(text(second)).contains("<title>503 Service Temporarily Unavailable</title>");
        assertThat(page().statusCode()).isEqualTo(503);
        assertThat(page().statusCode()).isEqualTo(200);
        assertThat(simulator.requestCount(GET_ENDPOINT)).isEqualTo(4);
    }

    @Test
    void fromRequestOnLastsForever() {
        simulator.faults().onPath(GET_ENDPOINT).fromRequest(2).respond(TenantFault.badGateway());
        assertThat(page().statusCode()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(page().statusCode()).isEqualTo(502);
        }
        simulator.faults().clear();
        assertThat(page().statusCode()).isEqualTo(200);
    }

    @Test
    void faultOnOnePathLeavesOthersAlone() {
        simulator.faults().onPath(CortexXdrSimulator.VALIDATE_KEY).always().respond(TenantFault.unauthorized());
        assertThat(page().statusCode()).isEqualTo(200);
        HttpResponse<byte[]> validate = client.post("/api_keys/validate/", "{}", SimulatorClient.standardHeaders());
        assertThat(validate.statusCode()).isEqualTo(401);
        assertThat(text(validate)).isEqualTo(UNAUTHORIZED_BODY);
    }

    @Test
    void forbiddenAndTransientAndBusinessErrorEnvelopes() {
        simulator.faults()
                .onPath(GET_ENDPOINT).request(1).respond(TenantFault.forbidden())
                .onPath(GET_ENDPOINT).request(2).respond(TenantFault.transientServerError())
                .onPath(GET_ENDPOINT).request(3).respond(TenantFault.serverError("Incident not found"))
                .onPath(GET_ENDPOINT).request(4).respond(TenantFault.gatewayTimeout());
        HttpResponse<byte[]> forbidden = page();
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(SimulatorClient.json(forbidden).at("/reply/err_msg").asText()).isEqualTo("Public API request forbidden");
        HttpResponse<byte[]> transientError = page();
        assertThat(transientError.statusCode()).isEqualTo(500);
        assertThat(text(transientError)).isEqualTo("{\"reply\":{\"err_code\":500,\"err_msg\":"
                + "\"An error occurred while processing XDR public API\",\"err_extra\":"
                + "\"Internal error while processing the request, please try again later\"}}");
        HttpResponse<byte[]> business = page();
        assertThat(business.statusCode()).isEqualTo(500);
        assertThat(text(business)).isEqualTo("{\"reply\":{\"err_code\":500,\"err_msg\":"
                + "\"An error occurred while processing XDR public API\",\"err_extra\":\"Incident not found\"}}");
        assertThat(page().statusCode()).isEqualTo(504);
    }

    @Test
    void tooManyRequestsWithAndWithoutRetryAfter() {
        simulator.faults()
                .onPath(GET_ENDPOINT).request(1).respond(TenantFault.tooManyRequests())
                .onPath(GET_ENDPOINT).request(2).respond(TenantFault.tooManyRequests(3))
                .onPath(GET_ENDPOINT).request(3).respond(TenantFault.serviceUnavailable()
                        .withRetryAfterHeader("Wed, 25 Nov 2026 12:00:05 GMT"));
        HttpResponse<byte[]> plain = page();
        assertThat(plain.statusCode()).isEqualTo(429);
        assertThat(plain.headers().firstValue("Retry-After")).isEmpty();
        assertThat(SimulatorClient.json(plain).at("/reply/err_code").asInt()).isEqualTo(429);
        HttpResponse<byte[]> withHeader = page();
        assertThat(withHeader.statusCode()).isEqualTo(429);
        assertThat(withHeader.headers().firstValue("Retry-After")).hasValue("3");
        HttpResponse<byte[]> dated = page();
        assertThat(dated.statusCode()).isEqualTo(503);
        assertThat(dated.headers().firstValue("Retry-After")).hasValue("Wed, 25 Nov 2026 12:00:05 GMT");
    }

    @Test
    void slowReplyTripsAClientTimeoutThenTheNextAnswersNormally() throws Exception {
        simulator.faults().onPath(GET_ENDPOINT).request(1).respond(TenantFault.delay(Duration.ofMillis(1500)));
        HttpClient http = HttpClient.newBuilder().sslContext(SimulatorClient.trusting(simulator.caCertificatePem())).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + GET_ENDPOINT))
                .timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString("{\"request_data\":{}}"));
        SimulatorClient.standardHeaders().forEach(request::header);
        assertThatThrownBy(() -> http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(page().statusCode()).isEqualTo(200);
    }

    @Test
    void slowReplyStillCarriesTheRealAnswer() {
        simulator.faults().onPath(GET_ENDPOINT).request(1).respond(TenantFault.status(503).withDelay(Duration.ofMillis(50)));
        assertThat(page().statusCode()).isEqualTo(503);
    }

    @Test
    void connectionResetCutsTheBodyShortOfItsLength() {
        simulator.faults().onPath(GET_ENDPOINT).request(1).respond(TenantFault.connectionReset());
        assertThatThrownBy(this::page).isInstanceOf(UncheckedIOException.class)
                .cause().isInstanceOf(IOException.class);
        assertThat(page().statusCode()).isEqualTo(200);
    }

    @Test
    void truncatedJsonIsAWellFramedHalfBody() {
        HttpResponse<byte[]> whole = page();
        simulator.faults().onPath(GET_ENDPOINT).request(2).respond(TenantFault.truncatedJson());
        HttpResponse<byte[]> cut = page();
        assertThat(cut.statusCode()).isEqualTo(200);
        assertThat(cut.body()).hasSize(whole.body().length / 2);
        assertThat(text(whole)).startsWith(text(cut));
        assertThatThrownBy(() -> SimulatorClient.json(cut)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void htmlLoginPageAndEmptyBodyComeWith200() {
        simulator.faults().onPath(GET_ENDPOINT).request(1).respond(TenantFault.htmlLoginPage())
                .onPath(GET_ENDPOINT).request(2).respond(TenantFault.emptyBody());
        HttpResponse<byte[]> html = page();
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(text(html)).startsWith("<!DOCTYPE html>").contains("Sign in");
        HttpResponse<byte[]> empty = page();
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
    }

    @Test
    void totalCountCanBeAbsentOrLie() {
        simulator.faults()
                .onPath(GET_ENDPOINT).request(1).respond(TenantFault.totalCountAbsent())
                .onPath(GET_ENDPOINT).request(2).respond(TenantFault.totalCount(1_000_000))
                .onPath(GET_ENDPOINT).request(3).respond(TenantFault.totalCountOffBy(-100));
        JsonNode absent = SimulatorClient.json(page()).get("reply");
        assertThat(absent.has("total_count")).isFalse();
        assertThat(absent.get("result_count").asInt()).isEqualTo(100);
        assertThat(SimulatorClient.json(page()).at("/reply/total_count").asLong()).isEqualTo(1_000_000);
        assertThat(SimulatorClient.json(page()).at("/reply/total_count").asLong()).isEqualTo(50);
    }

    @Test
    void repeatedPageAnswersThePreviousBodyAgain() {
        HttpResponse<byte[]> first = page();
        simulator.faults().onPath(GET_ENDPOINT).request(2).respond(TenantFault.repeatPreviousPage());
        HttpResponse<byte[]> second = client.standard(GET_ENDPOINT, "{\"search_from\":100,\"search_to\":200}");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(client.standard(GET_ENDPOINT, "{\"search_from\":100,\"search_to\":200}").body())
                .isNotEqualTo(first.body());
    }

    @Test
    void anyPathRuleCountsPerPath() {
        simulator.faults().onAnyPath().request(1).respond(TenantFault.status(500));
        assertThat(page().statusCode()).isEqualTo(500);
        assertThat(page().statusCode()).isEqualTo(200);
        assertThat(client.post("/api_keys/validate", "{}", SimulatorClient.standardHeaders()).statusCode())
                .isEqualTo(500);
    }

    @Test
    void faultPlanRejectsNonsenseWithTheReason() {
        assertThatThrownBy(() -> FaultPlan.create().onPath(GET_ENDPOINT).requests(0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FaultPlan request range must satisfy 1 <= from <= to, got 0..3");
        assertThatThrownBy(() -> TenantFault.status(200)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TenantFault status must be an HTTP error status (400..599), got 200");
        assertThat(TenantFault.tooManyRequests(2).withDelay(Duration.ofMillis(5)))
                .hasToString("TenantFault[STATUS 429 after PT0.005S Retry-After 2]");
    }

    @Test
    void customEnvelopeAndPlanGivenAtBuildTime() {
        FaultPlan plan = FaultPlan.create().onPath(GET_ENDPOINT).request(1)
                .respond(TenantFault.envelope(500, "An error occurred while processing XDR public API",
                        java.util.Map.of("error_type", "LICENSE")));
        try (CortexXdrSimulator other = SimulatorClient.withKeys().endpoints(1).faultPlan(plan).start()) {
            HttpResponse<byte[]> response = new SimulatorClient(other).standard(GET_ENDPOINT, "{}");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(text(response)).isEqualTo("{\"reply\":{\"err_code\":500,\"err_msg\":"
                    + "\"An error occurred while processing XDR public API\",\"err_extra\":{\"error_type\":\"LICENSE\"}}}");
            assertThat(other.faults()).isSameAs(plan);
        }
    }

    @Test
    void rateLimitAnswers429BeyondTheBudgetOfAFixedClock() {
        Clock fixed = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
        try (CortexXdrSimulator limited = SimulatorClient.withKeys().endpoints(3).clock(fixed)
                .requestsPerSecond(5).start()) {
            SimulatorClient c = new SimulatorClient(limited);
            for (int i = 0; i < 5; i++) {
                assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(200);
            }
            HttpResponse<byte[]> limitedReply = c.standard(GET_ENDPOINT, "{}");
            assertThat(limitedReply.statusCode()).isEqualTo(429);
            assertThat(text(limitedReply)).isEqualTo("{\"reply\":{\"err_code\":429,\"err_msg\":\"Too many requests\","
                    + "\"err_extra\":\"Rate limit exceeded: too many requests per second for this tenant\"}}");
            assertThat(limitedReply.headers().firstValue("Retry-After")).isEmpty();
            limited.rateLimitRetryAfter(1);
            assertThat(c.standard(GET_ENDPOINT, "{}").headers().firstValue("Retry-After")).hasValue("1");
        }
    }

    @Test
    void aSlidingWindowCountsTheLastSecondWhereverItStarts() {
        MutableClock clock = MutableClock.at("2026-11-25T12:00:00.600Z");
        try (CortexXdrSimulator limited = SimulatorClient.withKeys().endpoints(3).clock(clock)
                .requestsPerSecond(2).start()) {
            SimulatorClient c = new SimulatorClient(limited);
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(200);
            clock.advance(Duration.ofMillis(500)); // into the next calendar second
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(200);
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(429);
            clock.advance(Duration.ofMillis(499)); // the first is still within the last second
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(429);
            clock.advance(Duration.ofMillis(1)); // exactly one second after the first: it has left
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(200);
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void aFixedWindowStartsAfreshEachCalendarSecond() {
        MutableClock clock = MutableClock.at("2026-11-25T12:00:00.600Z");
        try (CortexXdrSimulator limited = SimulatorClient.withKeys().endpoints(3).clock(clock)
                .requestsPerSecond(2).rateWindow(RateWindow.FIXED).start()) {
            SimulatorClient c = new SimulatorClient(limited);
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(200);
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(200);
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(429);
            clock.advance(Duration.ofMillis(400)); // 12:00:01.000, a new window
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(200);
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(200);
            assertThat(c.standard(GET_ENDPOINT, "{}").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void twoKeysOnOneTenantShareItsLimit() {
        Clock fixed = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
        try (CortexXdrSimulator limited = CortexXdrSimulator.builder().standardKey("1", "first-test-key-0123")
                .standardKey("3", "second-test-key-4567").endpoints(3).clock(fixed).requestsPerSecond(4).start()) {
            SimulatorClient c = new SimulatorClient(limited);
            Map<String, String> first = Map.of("Authorization", "first-test-key-0123", "x-xdr-auth-id", "1");
            Map<String, String> second = Map.of("Authorization", "second-test-key-4567", "x-xdr-auth-id", "3");
            for (int i = 0; i < 2; i++) {
                assertThat(c.post(GET_ENDPOINT, "{\"request_data\":{}}", first).statusCode()).isEqualTo(200);
                assertThat(c.post(GET_ENDPOINT, "{\"request_data\":{}}", second).statusCode()).isEqualTo(200);
            }

            assertThat(c.post(GET_ENDPOINT, "{\"request_data\":{}}", first).statusCode()).isEqualTo(429);
            assertThat(c.post(GET_ENDPOINT, "{\"request_data\":{}}", second).statusCode()).isEqualTo(429);
        }
    }

    @Test
    void rateWindowsParseFromTheirOptionValues() {
        assertThat(RateWindow.parse("sliding")).isEqualTo(RateWindow.SLIDING);
        assertThat(RateWindow.parse("FIXED")).isEqualTo(RateWindow.FIXED);
        assertThat(RateWindow.FIXED.optionValue()).isEqualTo("fixed");
        assertThatThrownBy(() -> RateWindow.parse("leaky"))
                .hasMessage("Unknown rate window 'leaky'; use sliding or fixed");
    }

    @Test
    void gzipIsUsedWhenTheClientAcceptsIt() throws Exception {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(SimulatorClient.standardHeaders());
        headers.put("Accept-Encoding", "gzip");
        HttpResponse<byte[]> zipped = client.post(GET_ENDPOINT, "{\"request_data\":{}}", headers);
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] plain;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            plain = in.readAllBytes();
        }
        assertThat(plain).isEqualTo(page().body());
    }
}
