package org.connectorsdk.cortexxdr.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.connectorsdk.cortexxdr.simulator.SimulatorClient.ADVANCED_ID;
import static org.connectorsdk.cortexxdr.simulator.SimulatorClient.ADVANCED_KEY;
import static org.connectorsdk.cortexxdr.simulator.SimulatorClient.STANDARD_ID;
import static org.connectorsdk.cortexxdr.simulator.SimulatorClient.STANDARD_KEY;
import static org.connectorsdk.cortexxdr.simulator.SimulatorClient.UNAUTHORIZED_BODY;
import static org.connectorsdk.cortexxdr.simulator.SimulatorClient.text;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String PAGE = "{\"request_data\":{\"search_from\":0,\"search_to\":1}}";
    private static CortexXdrSimulator simulator;
    private static SimulatorClient client;

    @BeforeAll
    static void start() {
        simulator = SimulatorClient.withKeys().endpoints(5).clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
        client = new SimulatorClient(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static HttpResponse<byte[]> getEndpoint(Map<String, String> headers) {
        return client.post(CortexXdrSimulator.GET_ENDPOINT, PAGE, headers);
    }

    private static Map<String, String> advanced(String id, String key, Instant at) {
        return SimulatorClient.advancedHeaders(id, key, at.toEpochMilli());
    }

    private static Map<String, String> standard(String id, String key) {
        return Map.of("x-xdr-auth-id", id, "Authorization", key);
    }

    @Test
    void standardKeyIsAccepted() {
        HttpResponse<byte[]> response = getEndpoint(standard(STANDARD_ID, STANDARD_KEY));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(SimulatorClient.json(response).at("/reply/result_count").asInt()).isEqualTo(1);
    }

    @Test
    void advancedKeyIsAcceptedWithinFiveMinutesEitherSide() {
        assertThat(getEndpoint(advanced(ADVANCED_ID, ADVANCED_KEY, NOW)).statusCode()).isEqualTo(200);
        assertThat(getEndpoint(advanced(ADVANCED_ID, ADVANCED_KEY, NOW.minus(Duration.ofMinutes(5))))
                .statusCode()).isEqualTo(200);
        assertThat(getEndpoint(advanced(ADVANCED_ID, ADVANCED_KEY, NOW.plus(Duration.ofMinutes(5))))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void wrongStandardKeyGetsTheExact401Envelope() {
        assertUnauthorized(getEndpoint(standard(STANDARD_ID, STANDARD_KEY + "x")));
    }

    @Test
    void unknownKeyIdIsUnauthorized() {
        assertUnauthorized(getEndpoint(standard("99", STANDARD_KEY)));
        assertUnauthorized(getEndpoint(advanced("99", ADVANCED_KEY, NOW)));
    }

    @Test
    void advancedKeyUsedAsStandardIsUnauthorized() {
        assertUnauthorized(getEndpoint(standard(ADVANCED_ID, ADVANCED_KEY)));
    }

    @Test
    void standardKeyUsedAsAdvancedIsUnauthorized() {
        assertUnauthorized(getEndpoint(advanced(STANDARD_ID, STANDARD_KEY, NOW)));
    }

    @Test
    void wrongAdvancedKeyIsUnauthorized() {
        assertUnauthorized(getEndpoint(advanced(ADVANCED_ID, ADVANCED_KEY + "x", NOW)));
    }

    @Test
    void staleOrFutureTimestampIsUnauthorized() {
        assertUnauthorized(getEndpoint(advanced(ADVANCED_ID, ADVANCED_KEY, NOW.minus(Duration.ofMinutes(5).plusMillis(1)))));
        assertUnauthorized(getEndpoint(advanced(ADVANCED_ID, ADVANCED_KEY, NOW.plus(Duration.ofMinutes(6)))));
    }

    @Test
    void hashOverADifferentTimestampThanTheHeaderIsUnauthorized() {
        Map<String, String> headers = new java.util.LinkedHashMap<>(advanced(ADVANCED_ID, ADVANCED_KEY, NOW));
        headers.put("x-xdr-timestamp", Long.toString(NOW.toEpochMilli() + 1));
        assertUnauthorized(getEndpoint(headers));
    }

    @Test
    void shortNonceIsUnauthorized() {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        String nonce = "abc";
        headers.put("x-xdr-auth-id", ADVANCED_ID);
        headers.put("x-xdr-nonce", nonce);
        headers.put("x-xdr-timestamp", Long.toString(NOW.toEpochMilli()));
        headers.put("Authorization", SimulatorClient.sha256Hex(ADVANCED_KEY + nonce + NOW.toEpochMilli()));
        assertUnauthorized(getEndpoint(headers));
    }

    @Test
    void missingHeadersAreUnauthorized() {
        assertUnauthorized(getEndpoint(Map.of()));
        assertUnauthorized(getEndpoint(Map.of("Authorization", STANDARD_KEY)));
    }

    @Test
    void validateAnswersTrueForAGoodKeyAnd401ForABadOne() {
        HttpResponse<byte[]> ok = client.post("/api_keys/validate/", "{}", standard(STANDARD_ID, STANDARD_KEY));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(text(ok)).isEqualTo("true");
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
        assertUnauthorized(client.post("/api_keys/validate/", "{}", standard(STANDARD_ID, "nope")));
    }

    @Test
    void forbiddenPathGives403ForThatKeyOnly() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(1).start()) {
            SimulatorClient c = new SimulatorClient(tenant);
            tenant.forbid(STANDARD_ID, CortexXdrSimulator.GET_ENDPOINT);
            HttpResponse<byte[]> denied = c.post(CortexXdrSimulator.GET_ENDPOINT, PAGE, SimulatorClient.standardHeaders());
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(text(denied)).isEqualTo("{\"reply\":{\"err_code\":403,\"err_msg\":\"Public API request forbidden\","
                    + "\"err_extra\":\"The role of this API key does not have permission to call"
                    + " /public_api/v1/endpoints/get_endpoint\"}}");
            assertThat(c.post(CortexXdrSimulator.GET_ENDPOINT, PAGE, SimulatorClient.advancedHeaders()).statusCode())
                    .isEqualTo(200);
            tenant.allow(STANDARD_ID, CortexXdrSimulator.GET_ENDPOINT);
            assertThat(c.post(CortexXdrSimulator.GET_ENDPOINT, PAGE, SimulatorClient.standardHeaders()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void unlicensedPathGives402() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(1).start()) {
            SimulatorClient c = new SimulatorClient(tenant);
            tenant.unlicense(LicenceFailure.PAYMENT_REQUIRED, CortexXdrSimulator.GET_ENDPOINT);
            HttpResponse<byte[]> response = c.post(CortexXdrSimulator.GET_ENDPOINT, PAGE, SimulatorClient.standardHeaders());
            assertThat(response.statusCode()).isEqualTo(402);
            assertThat(text(response)).isEqualTo("{\"reply\":{\"err_code\":402,\"err_msg\":"
                    + "\"Public API request is not covered by the license\",\"err_extra\":"
                    + "\"The tenant's license does not include access to /public_api/v1/endpoints/get_endpoint\"}}");
            // authentication comes first: a bad key still sees 401
            assertUnauthorized(c.post(CortexXdrSimulator.GET_ENDPOINT, PAGE, standard(STANDARD_ID, "bad")));
        }
    }

    @Test
    void unknownPathIs404AndGetIs405() {
        HttpResponse<byte[]> missing = client.post("/public_api/v1/nothing_here", PAGE, SimulatorClient.standardHeaders());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(SimulatorClient.json(missing).at("/reply/err_code").asInt()).isEqualTo(404);
    }

    private static void assertUnauthorized(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(text(response)).isEqualTo(UNAUTHORIZED_BODY);
    }
}
