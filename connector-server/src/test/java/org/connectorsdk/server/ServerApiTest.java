package org.connectorsdk.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API against a real server and the Cortex XDR simulator. */
class ServerApiTest {
    private static final String GET_ENDPOINT = "/public_api/v1/endpoints/get_endpoint";
    private static final String WRONG_KEY = "wrong-key-9d8c7b6a5f4e3d2c1b0a";

    @TempDir
    static Path dir;
    static ServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(dir);
    }

    @AfterAll
    static void noSecretLeaked() throws Exception {
        try {
            for (String body : fixture.bodies) {
                assertThat(body).doesNotContain(ServerFixture.KEY, WRONG_KEY, ServerFixture.TOKEN);
            }
            Path log = Path.of("target", "server-tests.log");
            assertThat(log).exists();
            assertThat(Files.readString(log)).contains("tenant-happy").doesNotContain(ServerFixture.KEY, WRONG_KEY,
                    ServerFixture.TOKEN);
        } finally {
            fixture.close();
        }
    }

    @Test
    void savesAnInstanceRunsItAndCountsTheRunInMetrics() throws Exception {
        long before = fixture.tenant.requestCount(GET_ENDPOINT);
        assertThat(fixture.call("POST", "/api/v1/connectors/cortex-xdr/test",
                fixture.instance("tenant-happy", ServerFixture.KEY)).statusCode()).isEqualTo(200);
        long oneTest = fixture.tenant.requestCount(GET_ENDPOINT) - before;
        HttpResponse<String> created = fixture.call("POST", "/api/v1/instances",
                fixture.instance("tenant-happy", ServerFixture.KEY));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(fixture.tenant.requestCount(GET_ENDPOINT) - before - oneTest)
                .as("get_endpoint requests of saving: the checks run once").isEqualTo(oneTest).isPositive();
        JsonNode instance = fixture.json(created);
        assertThat(instance.path("state").asText()).isEqualTo("REGISTERED");
        assertThat(instance.has("nextRun")).isTrue();
        assertThat(instance.path("config").path("apiKey").asText()).isEqualTo("[hidden]");
        assertThat(instance.path("checks").findValuesAsText("status"))
                .containsExactly("PASSED", "PASSED", "PASSED", "PASSED", "PASSED");

        HttpResponse<String> started = fixture.call("POST", "/api/v1/instances/tenant-happy/runs", null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String runId = fixture.json(started).path("runId").asText();

        JsonNode run = awaitEnd(runId);
        assertThat(run.path("state").asText()).isEqualTo("PROCESSED");
        assertThat(run.path("runId").asText()).isEqualTo(runId);
        assertThat(run.path("streams").path("assets").path("written").asLong()).isEqualTo(30);

        JsonNode history = fixture.json(fixture.call("GET", "/api/v1/instances/tenant-happy/runs", null));
        assertThat(history.path("runs")).hasSize(1);
        assertThat(history.path("transitions").findValuesAsText("state"))
                .containsExactly("REGISTERED", "PROCESSING", "PROCESSED");

        String metrics = fixture.call("GET", "/metrics", null).body();
        assertThat(metrics)
                .contains("connector_runs_total{instance=\"tenant-happy\",state=\"PROCESSED\"} 1.0")
                .contains("connector_records_read_total{instance=\"tenant-happy\",stream=\"assets\"} 30.0")
                .contains("connector_records_written_total{instance=\"tenant-happy\",stream=\"assets\"} 30.0")
                .contains("connector_http_requests_total{tenant=\"127.0.0.1\"}")
                .contains("connector_run_duration_seconds_count{instance=\"tenant-happy\",state=\"PROCESSED\"} 1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUpdateThatWidensAStreamSaysItsNextRunReadsItInFull() throws Exception {
        Map<String, Object> body = fixture.instance("tenant-widened", ServerFixture.KEY);
        ((Map<String, Object>) body.get("config")).put("platformFilter", List.of("linux"));
        assertThat(fixture.call("POST", "/api/v1/instances", body).statusCode()).isEqualTo(201);
        HttpResponse<String> started = fixture.call("POST", "/api/v1/instances/tenant-widened/runs", null);
        assertThat(awaitEnd(fixture.json(started).path("runId").asText()).path("state").asText()).isEqualTo("PROCESSED");

        ((Map<String, Object>) body.get("config")).remove("platformFilter");
        HttpResponse<String> updated = fixture.call("PUT", "/api/v1/instances/tenant-widened", body);

        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(fixture.json(updated).path("readInFull").path("assets").asText()).contains("platformFilter");
    }

    @Test
    void aWrongKeyIsRefusedWithTheAuthenticationCheckAndItsRemediation() {
        HttpResponse<String> refused = fixture.call("POST", "/api/v1/instances",
                fixture.instance("tenant-wrong", WRONG_KEY));
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode error = fixture.json(refused);
        assertThat(error.path("kind").asText()).isEqualTo("AUTHENTICATION");
        assertThat(error.path("message").asText()).startsWith("Instance 'tenant-wrong' was not registered: the "
                + "AUTHENTICATION check (Authentication Credential Check) failed");
        assertThat(error.path("remediation").asText()).isNotBlank();
        assertThat(error.path("checks")).extracting(c -> c.path("kind").asText() + " "
                + c.path("status").asText()).containsExactly("NETWORK_REACHABILITY PASSED", "TLS_HANDSHAKE PASSED",
                        "AUTHENTICATION FAILED", "AUTHORIZATION_SCOPE SKIPPED", "DATA_FETCH SKIPPED");
        assertThat(fixture.call("GET", "/api/v1/instances/tenant-wrong", null).statusCode()).isEqualTo(404);
    }

    @Test
    void withoutATokenEveryApiPathAndTheMetricsAre401ButHealthAndTheConsoleAreOpen() {
        for (String path : List.of("/api/v1/instances", "/api/v1/connectors", "/api/v1/openapi.json", "/metrics")) {
            HttpResponse<String> r = fixture.call("GET", path, null, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(fixture.json(r).path("kind").asText()).isEqualTo("AUTHENTICATION");
            assertThat(fixture.json(r).path("message").asText()).isEqualTo("The request has no Authorization header");
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        }
        assertThat(fixture.call("GET", "/health", null, null).statusCode()).isEqualTo(200);
        assertThat(fixture.call("GET", "/index.html", null, null).body()).contains("<title>Connectors</title>");
    }

    @Test
    void aWrongTokenIs401AndTheAnswerTellsNothingButThat() {
        HttpResponse<String> r = fixture.call("POST", "/api/v1/instances",
                fixture.instance("tenant-token", ServerFixture.KEY), "not-" + ServerFixture.TOKEN);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(fixture.json(r).fieldNames()).toIterable().containsExactly("kind", "message", "remediation");
        assertThat(fixture.json(r).path("message").asText()).isEqualTo("The request's bearer token is not valid");
        assertThat(r.body()).doesNotContain("tenant-token", "cortex-xdr");
        assertThat(fixture.call("GET", "/api/v1/instances/tenant-token", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theConnectionTestStreamsOneLinePerCheckWithoutSaving() {
        HttpResponse<String> r = fixture.call("POST", "/api/v1/connectors/cortex-xdr/test",
                fixture.instance("tenant-test", ServerFixture.KEY));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/x-ndjson"));
        assertThat(r.body().lines().toList()).hasSize(6).last().isEqualTo("{\"allPassed\":true}");
        assertThat(fixture.call("GET", "/api/v1/instances/tenant-test", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aVaultReferenceResolvesThroughTheSecretResolverAndStaysAReference() {
        HttpResponse<String> created = fixture.call("POST", "/api/v1/instances",
                fixture.instance("tenant-vault", "vault:xdr/eu#apiKey"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode read = fixture.json(fixture.call("GET", "/api/v1/instances/tenant-vault", null));
        assertThat(read.path("config").path("apiKey").asText()).isEqualTo("vault:xdr/eu#apiKey");
    }

    @Test
    void unknownFieldsAreRefusedWithTheFieldNamed() {
        Map<String, Object> body = fixture.instance("tenant-unknown", ServerFixture.KEY);
        body.put("colour", "blue");
        HttpResponse<String> r = fixture.call("POST", "/api/v1/instances", body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(fixture.json(r).path("message").asText()).isEqualTo("The request body has an unknown field "
                + "\"colour\"; known fields are connector, name, description, config, schedule, transformMaps, "
                + "pollIntervals, deltaWindow, runDeadline");
    }

    @Test
    void aBodyOverTheLimitIsRefused() {
        HttpResponse<String> r = fixture.call("POST", "/api/v1/instances", "{\"x\":\"" + "a".repeat(300_000) + "\"}");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(fixture.json(r).path("kind").asText()).isEqualTo("CONFIGURATION");
    }

    @Test
    void theConnectorDocumentHasItsSchemaChecksAndMapRows() {
        JsonNode doc = fixture.json(fixture.call("GET", "/api/v1/connectors/cortex-xdr", null));
        assertThat(doc.fieldNames()).toIterable().contains("descriptor", "configSchema", "checks", "streams",
                "transformMaps");
        assertThat(doc.path("checks")).hasSize(5);
        JsonNode openApi = fixture.json(fixture.call("GET", "/api/v1/openapi.json", null));
        assertThat(openApi.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(openApi.path("paths").fieldNames()).toIterable().contains("/api/v1/instances/{name}/runs",
                "/api/v1/runs/{runId}", "/api/v1/connectors/{id}/test");
        assertThat(doc.path("transformMaps").findValuesAsText("name")).contains("Cortex XDR Asset Transform Map");
        JsonNode problems = fixture.json(fixture.call("POST", "/api/v1/connectors/cortex-xdr/validate",
                Map.of("name", "x", "baseUrl", "http://plain")));
        assertThat(problems.path("valid").asBoolean()).isFalse();
        assertThat(problems.path("problems").findValuesAsText("field")).contains("baseUrl", "apiKey");
    }

    private static JsonNode awaitEnd(String runId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (true) {
            JsonNode run = fixture.json(fixture.call("GET", "/api/v1/runs/" + runId, null));
            String state = run.path("state").asText();
            if ("PROCESSED".equals(state) || "ERRORED".equals(state) || Instant.now().isAfter(deadline)) {
                return run;
            }
            Thread.sleep(50);
        }
    }
}
