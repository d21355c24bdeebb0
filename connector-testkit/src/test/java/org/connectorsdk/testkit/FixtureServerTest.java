package org.connectorsdk.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FixtureServerTest {
    private static FixtureServer server;
    private static TestHttp http;

    @BeforeAll
    static void startServer() throws Exception {
        server = FixtureServer.start().loadRecorded("fixtures/example-vulnscan");
        http = new TestHttp(server.trustPem());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void clear() {
        server.clearFaults();
        server.wireMock().resetRequests();
        server.wireMock().resetScenarios();
    }

    @Test
    void servesRecordedStubsOverVerifiedTlsOnLoopback() throws Exception {
        assertThat(server.baseUrl()).startsWith("https://127.0.0.1:");

        HttpResponse<String> response = http.get(server.baseUrl() + "/api/v1/findings?limit=2&cursor=b2Zmc2V0PTI%3D");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("VS-1003").doesNotContain("VS-1001");
        assertThat(server.requestCount("/api/v1/findings")).isEqualTo(1);
    }

    @Test
    void matchesOnRequestBody() throws Exception {
        server.stubFor(post("/search").withRequestBody(equalToJson("{\"from\":0}")).willReturn(okJson("{\"page\":1}")));
        server.stubFor(post("/search").withRequestBody(equalToJson("{\"from\":100}")).willReturn(okJson("{\"page\":2}")));

        assertThat(http.post(server.baseUrl() + "/search", "{ \"from\": 100 }", Map.of()).body()).isEqualTo("{\"page\":2}");
        assertThat(http.post(server.baseUrl() + "/search", "{\"from\":0}", Map.of()).body()).isEqualTo("{\"page\":1}");
    }

    @Test
    void reportsUnmatchedRequestsWithTheClosestStub() throws Exception {
        HttpResponse<String> response = http.get(server.baseUrl() + "/api/v2/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThatThrownBy(server::verifyNoUnmatchedRequests)
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("The fixture server received 1 request(s) that no stub matched: "
                        + "GET /api/v2/nothing-here (closest stub: ");
        server.wireMock().resetRequests();
        server.verifyNoUnmatchedRequests();
    }

    @Test
    void failsTheNextNResponsesThenAnswersNormally() throws Exception {
        server.failNext(2, "/api/v1/me", Fault.serverError());

        assertThat(http.get(server.baseUrl() + "/api/v1/me").statusCode()).isEqualTo(500);
        assertThat(http.get(server.baseUrl() + "/api/v1/me").statusCode()).isEqualTo(500);
        assertThat(http.get(server.baseUrl() + "/api/v1/me").statusCode()).isEqualTo(200);
        assertThat(http.get(server.baseUrl() + "/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void faultsOnOnePathLeaveOtherPathsAlone() throws Exception {
        server.failNext(1, "/api/v1/me", Fault.unauthorized());

        assertThat(http.get(server.baseUrl() + "/api/v1/findings?limit=1").statusCode()).isEqualTo(200);
        assertThat(http.get(server.baseUrl() + "/api/v1/me").statusCode()).isEqualTo(401);
    }

    @Test
    void rateLimitFaultCarriesRetryAfterInSeconds() throws Exception {
        server.failNextAny(1, Fault.tooManyRequests(Duration.ofMillis(1500)));

        HttpResponse<String> response = http.get(server.baseUrl() + "/api/v1/me");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("2");
    }

    @Test
    void forbiddenAndAlwaysFaultsLastUntilCleared() throws Exception {
        server.failAlways("/api/v1/me", Fault.forbidden());
        for (int i = 0; i < 3; i++) {
            assertThat(http.get(server.baseUrl() + "/api/v1/me").statusCode()).isEqualTo(403);
        }
        server.clearFaults();
        assertThat(http.get(server.baseUrl() + "/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void connectionResetGivesNoResponse() throws Exception {
        // the JDK client silently retries an idempotent GET once after a reset, so reset twice
        server.failNextAny(2, Fault.connectionReset());

        assertThatThrownBy(() -> http.get(server.baseUrl() + "/api/v1/me")).isInstanceOf(IOException.class);
        assertThat(http.get(server.baseUrl() + "/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void truncatedJsonAndHtmlPagesAreServedAsSuch() throws Exception {
        server.failNext(1, "/api/v1/me", Fault.truncatedJson());
        server.failNext(1, "/api/v1/findings", Fault.htmlPage());

        HttpResponse<String> truncated = http.get(server.baseUrl() + "/api/v1/me");
        assertThat(truncated.statusCode()).isEqualTo(200);
        assertThat(truncated.body()).isEqualTo("{\"data\":[{\"id\":\"tr");
        HttpResponse<String> html = http.get(server.baseUrl() + "/api/v1/findings?limit=1");
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(html.body()).startsWith("<!DOCTYPE html>");
    }

    @Test
    void slowFaultDelaysTheAnswer() throws Exception {
        server.failNextAny(1, Fault.slow(Duration.ofMillis(400)));

        long start = System.nanoTime();
        HttpResponse<String> response = http.get(server.baseUrl() + "/api/v1/me");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(response.body()).isEqualTo("{}");
    }

    @Test
    void refusesAFixtureDirectoryWithoutStubs() {
        assertThatThrownBy(() -> server.loadRecorded(java.nio.file.Path.of("does-not-exist")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("No fixture directory at ");
    }
}
