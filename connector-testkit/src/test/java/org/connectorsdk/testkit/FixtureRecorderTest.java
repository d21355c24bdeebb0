package org.connectorsdk.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.connectorsdk.testkit.ConnectorAssertions.assertThatDirectory;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Record mode against a second WireMock acting as the live tenant. */
class FixtureRecorderTest {
    private static final String TOKEN = "live-token-8f3a9c2e71";
    private static final String SESSION = "sess-5521aa";

    private WireMockServer liveTenant;

    @BeforeEach
    void startLiveTenant() {
        liveTenant = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .notifier(new ConsoleNotifier(false)));
        liveTenant.start();
        liveTenant.stubFor(get("/api/v1/me").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("Set-Cookie", "session=" + SESSION)
                        .withHeader("X-Auth-Token", TOKEN)
                        .withHeader("X-Request-Id", "req-1")
                        .withBody("{\"user\":\"svc\",\"echoedToken\":\"" + TOKEN + "\"}")));
        liveTenant.stubFor(post("/api/v1/search").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"total\":1,\"items\":[{\"id\":\"a-1\"}]}")));
    }

    @AfterEach
    void stopLiveTenant() {
        liveTenant.stop();
    }

    @Test
    void recordsTheLiveTenantWithSecretsAndAuthorizationScrubbed(@TempDir Path dir) throws Exception {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
        List<Path> files;
        try (FixtureRecorder recorder = FixtureRecorder.recording(liveTenant.baseUrl()).into(dir)
                .scrubbing(TOKEN, SESSION).start()) {
            TestHttp http = new TestHttp(recorder.trustPem());
            assertThat(recorder.baseUrl()).startsWith("https://127.0.0.1:");
            assertThat(http.get(recorder.baseUrl() + "/api/v1/me", auth).body()).contains(TOKEN);
            assertThat(http.post(recorder.baseUrl() + "/api/v1/search", "{\"from\":0,\"token\":\"" + TOKEN + "\"}", auth)
                    .body()).contains("a-1");
            assertThat(http.post(recorder.baseUrl() + "/api/v1/search", "{\"from\":100}", auth).statusCode())
                    .isEqualTo(200);
            files = recorder.stop();
        }

        assertThat(files).extracting(f -> f.getFileName().toString())
                .containsExactly("001-get-api-v1-me.json", "002-post-api-v1-search.json", "003-post-api-v1-search.json");
        assertThat(files).allSatisfy(f -> assertThat(f.getParent()).isEqualTo(dir));
        assertThatDirectory(dir).containNoSecret(TOKEN, SESSION, "Bearer");
        String all = String.join("\n", files.stream().map(FixtureRecorderTest::read).toList());
        assertThat(all).doesNotContainIgnoringCase("authorization").doesNotContainIgnoringCase("set-cookie")
                .doesNotContainIgnoringCase("x-auth-token")
                .contains("X-Request-Id", "\\\"echoedToken\\\":\\\"" + FixtureRecorder.SCRUBBED + "\\\"")
                .contains(FixtureRecorder.SCRUBBED);
    }

    @Test
    void recordedStubsReplayMatchingOnPathAndBody(@TempDir Path dir) throws Exception {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
        try (FixtureRecorder recorder = FixtureRecorder.recording(liveTenant.baseUrl()).into(dir)
                .scrubbing(TOKEN).start()) {
            TestHttp http = new TestHttp(recorder.trustPem());
            http.post(recorder.baseUrl() + "/api/v1/search", "{\"from\":0}", auth);
        }
        liveTenant.stop();

        try (FixtureServer replay = FixtureServer.start().loadRecorded(dir)) {
            TestHttp http = new TestHttp(replay.trustPem());
            assertThat(http.post(replay.baseUrl() + "/api/v1/search", "{\"from\":0}", Map.of()).body())
                    .isEqualTo("{\"total\":1,\"items\":[{\"id\":\"a-1\"}]}");
            assertThat(http.post(replay.baseUrl() + "/api/v1/search", "{\"from\":100}", Map.of()).statusCode())
                    .isEqualTo(404);
            assertThat(http.post(replay.baseUrl() + "/api/v1/search", "{\"from\":0,\"extra\":1}", Map.of())
                    .statusCode()).isEqualTo(404);
            assertThatThrownBy(replay::verifyNoUnmatchedRequests).hasMessageContaining("POST /api/v1/search body {\"from\":100}")
                    .hasMessageContaining("2 request(s)");
        }
    }

    @Test
    void keepsOneStubForRepeatedRequestsUnlessAskedForScenarios(@TempDir Path dir) throws Exception {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
        try (FixtureRecorder once = FixtureRecorder.recording(liveTenant.baseUrl()).into(dir.resolve("once")).start();
             FixtureRecorder all = FixtureRecorder.recording(liveTenant.baseUrl()).into(dir.resolve("all"))
                     .repeatsAsScenarios().start()) {
            for (FixtureRecorder recorder : List.of(once, all)) {
                TestHttp http = new TestHttp(recorder.trustPem());
                http.get(recorder.baseUrl() + "/api/v1/me", auth);
                http.get(recorder.baseUrl() + "/api/v1/me", auth);
            }
            assertThat(once.stop()).hasSize(1);
            assertThat(all.stop()).hasSize(2).allSatisfy(f -> assertThat(read(f)).contains("scenarioName"));
        }
    }

    @Test
    void refusesToStartWithoutADirectory() {
        assertThatThrownBy(() -> FixtureRecorder.recording(liveTenant.baseUrl()).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Say where the fixtures go with into(dir) before start()");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
