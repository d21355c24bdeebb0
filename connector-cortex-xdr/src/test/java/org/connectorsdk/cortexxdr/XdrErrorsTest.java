package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpTransport.Response;

class XdrErrorsTest {

    static byte[] fixture(String name) {
        try (InputStream in = XdrErrorsTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("missing fixture " + name, e);
        }
    }

    private static Response json(int status, String body) {
        return new Response(status, Map.of("content-type", List.of("application/json")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recorded401BecomesAuthenticationWithTheSpecRemediation() {
        Response r = new Response(401, Map.of("content-type", List.of("application/json")),
                fixture("rapid7-insightconnect__error_401_unauthorized.json"));
        ConnectorException e = XdrErrors.toException("get_endpoint", r);
        assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(e.getMessage())
                .isEqualTo("Cortex XDR answered HTTP 401 to get_endpoint: Public API request unauthorized");
        assertThat(e.remediation()).hasValue(Remediation.AUTHENTICATION);
        assertThat(Remediation.AUTHENTICATION).contains("Base URL", "API key", "API key ID", "security level",
                "Viewer role", "expired");
        assertThat(XdrErrors.isTransientServerError(r)).isFalse();
    }

    @Test
    void recorded500BusinessErrorIsABadRequestAndNotRetried() {
        Response r = new Response(500, Map.of("content-type", List.of("application/json")),
                fixture("demisto-content__CortexCoreIR_test__error_500_public_api.json"));
        assertThat(XdrErrors.isTransientServerError(r)).isFalse();
        ConnectorException e = XdrErrors.toException("get_endpoint", r);
        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.getMessage()).isEqualTo("Cortex XDR answered HTTP 500 to get_endpoint: An error occurred while"
                + " processing XDR public API: All hashes have already been added to the allow or block list");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"reply\": {\"err_code\": 500, \"err_msg\": \"An error occurred while processing XDR public API\", \"err_extra\": null}}|true",
        "{\"err_code\": 500, \"err_msg\": \"Internal server error\", \"err_extra\": \"timeout talking to backend\"}|true",
        "{\"reply\": {\"err_code\": 500, \"err_msg\": \"Error\", \"err_extra\": \"Incident 42 not found\"}}|false",
        "{\"reply\": {\"err_code\": 500, \"err_msg\": \"Error\", \"err_extra\": \"Your license does not include Host Insights\"}}|false",
        "{\"reply\": {\"err_code\": 500, \"err_msg\": \"Error\", \"err_extra\": {\"reason\": \"Invalid filter field platfrom\"}}}|false",
        "<html><body>502 Bad Gateway</body></html>|true",
    })
    void a500IsRetriedOnlyWhenItsTextDoesNotBlameTheRequest(String body, boolean transientError) {
        assertThat(XdrErrors.isTransientServerError(json(500, body))).isEqualTo(transientError);
        assertThat(XdrErrors.toException("get_endpoint", json(500, body)).kind())
                .isEqualTo(transientError ? ErrorKind.TRANSIENT : ErrorKind.BAD_REQUEST);
    }

    @ParameterizedTest
    @CsvSource({
        "400, BAD_REQUEST", "401, AUTHENTICATION", "402, LICENSE", "403, AUTHORIZATION", "404, BAD_REQUEST",
        "429, RATE_LIMITED", "502, TRANSIENT", "503, TRANSIENT", "504, TRANSIENT", "418, BAD_RESPONSE",
    })
    void eachStatusMapsToItsKindWithARemediation(int status, ErrorKind kind) {
        ConnectorException e = XdrErrors.toException("get_endpoint",
                json(status, "{\"reply\": {\"err_code\": " + status + ", \"err_msg\": \"vendor says no\","
                        + " \"err_extra\": null}}"));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.getMessage()).startsWith("Cortex XDR answered HTTP " + status + " to get_endpoint: vendor says no");
        assertThat(e.remediation()).isPresent();
    }

    @Test
    void remediationsUseTheTroubleshootingTable() {
        assertThat(XdrErrors.toException("get_endpoint", json(403, "{\"err_code\":403,\"err_msg\":\"Forbidden\"}"))
                .remediation()).hasValueSatisfying(r -> assertThat(r).contains("role lacks permission for get_endpoint",
                        "security level"));
        assertThat(XdrErrors.toException("get_endpoint", json(429, "{}")).remediation())
                .hasValueSatisfying(r -> assertThat(r).contains("per-minute rate limits", "back off"));
        assertThat(XdrErrors.toException("get_endpoint", json(402, "{}")).getMessage())
                .contains("licence does not cover this API");
    }

    @Test
    void unwrappedEnvelopeAndObjectExtraAreRead() {
        ConnectorException e = XdrErrors.toException("get_endpoint", json(400,
                "{\"err_code\": 400, \"err_msg\": \"Bad request\", \"err_extra\": {\"field\": \"search_to\"}}"));
        assertThat(e.getMessage()).isEqualTo(
                "Cortex XDR answered HTTP 400 to get_endpoint: Bad request: {\"field\":\"search_to\"}");
    }

    @Test
    void aBodyWithoutEnvelopeSaysWhatCameBack() {
        Response r = new Response(503, Map.of("content-type", List.of("text/html; charset=utf-8")),
                "<html>\n<head><title>503 Service Temporarily Unavailable</title></head>\n<body>nginx</body></html>"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(XdrErrors.toException("get_endpoint", r).getMessage()).isEqualTo("Cortex XDR answered HTTP 503 to"
                + " get_endpoint: no error envelope; HTTP 503, content type text/html; charset=utf-8, body starts"
                + " with '<html> <head><title>503 Service Temporarily Unavailable</title></head> <body>ngi'...");
    }

    @Test
    void a2xxCarryingAnErrorEnvelopeIsAnError() {
        assertThat(XdrErrors.toException("get_endpoint",
                json(200, "{\"reply\": {\"err_code\": 403, \"err_msg\": \"no\"}}")).kind())
                .isEqualTo(ErrorKind.AUTHORIZATION);
    }
}
