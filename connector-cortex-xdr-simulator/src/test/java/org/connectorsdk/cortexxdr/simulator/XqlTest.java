package org.connectorsdk.cortexxdr.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator.GET_QUERY_RESULTS;
import static org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator.GET_QUERY_RESULTS_STREAM;
import static org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator.START_XQL_QUERY;
import static org.connectorsdk.cortexxdr.simulator.SimulatorClient.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class XqlTest {

    /** The simulator's clock: rows are assessed an hour before it unless a test says otherwise. */
    private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final long AN_HOUR_AGO = NOW.minusSeconds(3600).toEpochMilli();

    private static final String QUERY = "{\"query\":\"dataset = va_endpoints | arrayexpand cves"
            + " | join (dataset = va_cves) as c c.name = cves | fields endpoint_id, name, severity\","
            + "\"tenants\":[],\"timeframe\":{\"relativeTime\":86400000}}";

    private static String start(SimulatorClient client) {
        HttpResponse<byte[]> response = client.standard(START_XQL_QUERY, QUERY);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode reply = SimulatorClient.json(response).get("reply");
        assertThat(reply.isTextual()).isTrue();
        assertThat(reply.asText()).matches("[0-9a-f]{14}_\\d+_inv");
        return reply.asText();
    }

    private static JsonNode results(SimulatorClient client, String queryId) {
        return client.standardJson(GET_QUERY_RESULTS, "{\"query_id\":\"" + queryId
                + "\",\"pending_flag\":true,\"limit\":1000,\"format\":\"json\"}").get("reply");
    }

    /**
     * The rows the simulator must return for a tenant: every assessed endpoint's CVEs in endpoint
     * order, or one row with an empty name when it has none, assessed an hour ago except endpoint
     * {@code staleIndex}, assessed at {@code staleAt}.
     */
    private static List<String> expectedRows(CortexXdrSimulator tenant, int staleIndex, long staleAt)
            throws IOException {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < tenant.endpointCount(); i++) {
            if (!tenant.assessed(i)) {
                continue;
            }
            long assessedAt = i == staleIndex ? staleAt : AN_HOUR_AGO;
            if (tenant.cvesFor(i).isEmpty()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                row.put("endpoint_id", tenant.endpointId(i));
                row.put("assessed_at", assessedAt);
                row.put("name", "");
                rows.add(SimulatorClient.JSON.writeValueAsString(row));
            }
            for (Map<String, Object> cve : tenant.cvesFor(i)) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                row.put("endpoint_id", tenant.endpointId(i));
                row.put("assessed_at", assessedAt);
                row.put("name", cve.get("name"));
                row.put("severity", cve.get("severity"));
                row.put("severity_score", cve.get("severity_score"));
                row.put("description", cve.get("description"));
                row.put("publication_date", cve.get("publication_date"));
                rows.add(SimulatorClient.JSON.writeValueAsString(row));
            }
        }
        return rows;
    }

    @Test
    void smallResultIsPendingThenSuccessWithInlineRows() throws IOException {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(20).seed(5).clock(CLOCK).start()) {
            Instant longAgo = NOW.minusSeconds(30L * 86400);
            int staleIndex = tenant.cvesFor(3).isEmpty() ? 4 : 3;
            tenant.lastAssessment(staleIndex, longAgo);
            SimulatorClient client = new SimulatorClient(tenant);
            String id = start(client);
            assertThat(tenant.runningXqlQueries()).isEqualTo(1);
            assertThat(SimulatorClient.JSON.writeValueAsString(results(client, id)))
                    .isEqualTo("{\"status\":\"PENDING\"}");
            JsonNode done = results(client, id);
            assertThat(done.get("status").asText()).isEqualTo("SUCCESS");
            List<String> expected = expectedRows(tenant, staleIndex, longAgo.toEpochMilli());
            assertThat(expected).hasSizeBetween(1, 1000);
            assertThat(done.get("number_of_results").asInt()).isEqualTo(expected.size());
            assertThat(done.get("query_cost").size()).isEqualTo(1);
            assertThat(done.get("remaining_quota").asDouble()).isLessThan(5.0).isGreaterThan(4.9);
            assertThat(done.at("/results/stream_id").isMissingNode()).isTrue();
            List<String> actual = new ArrayList<>();
            for (JsonNode row : done.at("/results/data")) {
                actual.add(SimulatorClient.JSON.writeValueAsString(row));
            }
            assertThat(actual).containsExactlyElementsOf(expected);
            assertThat(tenant.runningXqlQueries()).isZero();
            assertThat(results(client, id).get("status").asText()).isEqualTo("SUCCESS");
        }
    }

    @Test
    void anAssessedEndpointWithoutCvesHasOneRowWithAnEmptyNameAndANeverAssessedOneNone() throws IOException {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(60).seed(5).unassessedEndpoints(0.3)
                .xqlPendingPolls(0).clock(CLOCK).start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            List<Integer> neverAssessed = new ArrayList<>();
            List<String> assessedClean = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                if (!tenant.assessed(i)) {
                    neverAssessed.add(i);
                } else if (tenant.cvesFor(i).isEmpty()) {
                    assessedClean.add(tenant.endpointId(i));
                }
            }
            // seed 5 draws both kinds among 60 endpoints
            assertThat(neverAssessed).hasSizeBetween(10, 26);
            assertThat(assessedClean).isNotEmpty();

            JsonNode data = results(client, start(client)).at("/results/data");
            List<String> rows = new ArrayList<>();
            List<String> withoutName = new ArrayList<>();
            for (JsonNode row : data) {
                rows.add(SimulatorClient.JSON.writeValueAsString(row));
                if (row.get("name").asText().isEmpty()) {
                    withoutName.add(row.get("endpoint_id").asText());
                }
            }
            assertThat(rows).containsExactlyElementsOf(expectedRows(tenant, -1, 0));
            assertThat(withoutName).containsExactlyElementsOf(assessedClean);
            assertThat(data.findValuesAsText("endpoint_id"))
                    .doesNotContainAnyElementsOf(neverAssessed.stream().map(tenant::endpointId).toList());

            // an endpoint assessed at last has rows from the next query on
            int enrolled = neverAssessed.get(0);
            tenant.lastAssessment(enrolled, NOW.minusSeconds(60));
            assertThat(tenant.assessed(enrolled)).isTrue();
            assertThat(results(client, start(client)).at("/results/data").findValuesAsText("endpoint_id"))
                    .contains(tenant.endpointId(enrolled));
        }
    }

    @Test
    void theShareOfUnassessedEndpointsMustBeBetweenZeroAndOne() {
        assertThat(catchThrowable(() -> CortexXdrSimulator.builder().unassessedEndpoints(1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Share of unassessed endpoints must be 0..1, got 1.5");
    }

    @Test
    void pendingPollsAreConfigurable() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(3).xqlPendingPolls(3).start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            String id = start(client);
            for (int i = 0; i < 3; i++) {
                assertThat(results(client, id).get("status").asText()).isEqualTo("PENDING");
            }
            assertThat(results(client, id).get("status").asText()).isEqualTo("SUCCESS");
            tenant.xqlPendingPolls(0);
            assertThat(results(client, start(client)).get("status").asText()).isEqualTo("SUCCESS");
        }
    }

    @Test
    void largeResultComesAsAGzipNdjsonStream() throws IOException {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(400).seed(9).clock(CLOCK).start()) {
            long longAgo = NOW.minusSeconds(30L * 86400).toEpochMilli();
            tenant.lastAssessment(0, Instant.ofEpochMilli(longAgo));
            SimulatorClient client = new SimulatorClient(tenant);
            String id = start(client);
            results(client, id);
            JsonNode done = results(client, id);
            List<String> expected = expectedRows(tenant, 0, longAgo);
            assertThat(expected.size()).isGreaterThan(1000);
            assertThat(done.get("number_of_results").asInt()).isEqualTo(expected.size());
            assertThat(done.at("/results/data").isMissingNode()).isTrue();
            String streamId = done.at("/results/stream_id").asText();
            assertThat(streamId).matches("[0-9a-f]{32}");
            HttpResponse<byte[]> stream = client.standard(GET_QUERY_RESULTS_STREAM,
                    "{\"stream_id\":\"" + streamId + "\",\"is_gzip_compressed\":true}");
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Encoding")).isEmpty();
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(new ByteArrayInputStream(stream.body())), StandardCharsets.UTF_8))) {
                reader.lines().forEach(lines::add);
            }
            assertThat(lines).containsExactlyElementsOf(expected);
            HttpResponse<byte[]> plain = client.standard(GET_QUERY_RESULTS_STREAM,
                    "{\"stream_id\":\"" + streamId + "\",\"is_gzip_compressed\":false}");
            assertThat(text(plain).split("\n")).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aFifthParallelQueryIsRefusedUntilOneFinishes() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(3).start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(start(client));
            }
            HttpResponse<byte[]> refused = client.standard(START_XQL_QUERY, QUERY);
            assertThat(refused.statusCode()).isEqualTo(500);
            assertThat(text(refused)).isEqualTo("{\"reply\":{\"err_code\":500,\"err_msg\":"
                    + "\"An error occurred while processing XDR public API\",\"err_extra\":"
                    + "\"reached max allowed amount of parallel running queries (4),"
                    + " please wait for running queries to finish\"}}");
            results(client, ids.get(0));
            assertThat(results(client, ids.get(0)).get("status").asText()).isEqualTo("SUCCESS");
            start(client);
        }
    }

    @Test
    void failedQueryReportsFail() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(3).xqlPendingPolls(0).start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            tenant.failXqlQueries(true);
            JsonNode failed = results(client, start(client));
            assertThat(failed.get("status").asText()).isEqualTo("FAIL");
            assertThat(failed.get("number_of_results").asInt()).isZero();
            assertThat(tenant.runningXqlQueries()).isZero();
        }
    }

    @Test
    void exhaustedQuotaRefusesNewQueries() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(3).start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            tenant.xqlQuota(0);
            HttpResponse<byte[]> refused = client.standard(START_XQL_QUERY, QUERY);
            assertThat(refused.statusCode()).isEqualTo(500);
            JsonNode extra = SimulatorClient.json(refused).at("/reply/err_extra");
            assertThat(extra.get("error_type").asText()).isEqualTo("QUOTA_EXCEEDED");
            assertThat(extra.get("message").asText()).isEqualTo("query usage exceeded max daily quota");
        }
    }

    @Test
    void missingLicenceIs402OrA500NamingHostInsights() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(3).start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            tenant.unlicenseXql(LicenceFailure.PAYMENT_REQUIRED);
            assertThat(client.standard(START_XQL_QUERY, QUERY).statusCode()).isEqualTo(402);
            tenant.unlicenseXql(LicenceFailure.SERVER_ERROR);
            HttpResponse<byte[]> serverError = client.standard(START_XQL_QUERY, QUERY);
            assertThat(serverError.statusCode()).isEqualTo(500);
            assertThat(SimulatorClient.json(serverError).at("/reply/err_extra").asText())
                    .contains("license").contains("Host Insights add-on");
            tenant.license(START_XQL_QUERY);
            assertThat(client.standard(START_XQL_QUERY, QUERY).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void queriesNotOverVaEndpointsAreRefused() {
        try (CortexXdrSimulator tenant = SimulatorClient.withKeys().endpoints(3).start()) {
            SimulatorClient client = new SimulatorClient(tenant);
            HttpResponse<byte[]> response = client.standard(START_XQL_QUERY, "{\"query\":\"dataset = xdr_data\"}");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(SimulatorClient.json(response).at("/reply/err_extra").asText())
                    .contains("does not interpret XQL");
            HttpResponse<byte[]> unknown = client.standard(GET_QUERY_RESULTS, "{\"query_id\":\"nope\"}");
            assertThat(unknown.statusCode()).isEqualTo(500);
        }
    }
}
