package org.connectorsdk.cortexxdr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class XqlClientTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .failOnUnmatchedRequests(true)
            .build();

    private static final String START_BODY = """
            {"request_data": {"query": "dataset = va_cves | limit 2", "tenants": [],
                              "timeframe": {"relativeTime": 86400000}}}""";
    private static final String RESULTS_BODY = """
            {"request_data": {"query_id": "3dd7960a9b4549_16_inv", "pending_flag": true, "limit": 1000,
                              "format": "json"}}""";
    private static final String STREAM_BODY = """
            {"request_data": {"stream_id": "stream-7", "is_gzip_compressed": true}}""";

    private final FakeTime time = new FakeTime();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private XqlClient client;

    @BeforeEach
    void setUp() {
        client = new XqlClient(new XqlTestTransport(), URI.create(wm.baseUrl()), time.clock, CancellationSignal.NONE,
                metrics, time, XqlClient.DEFAULT_POLL, XqlClient.DEFAULT_BUSY);
    }

    private static void stubStart() {
        wm.stubFor(post(XqlClient.START_PATH).withRequestBody(equalToJson(START_BODY))
                .willReturn(okJson(XqlFixtures.resource("rapid7-insightconnect__start_xql_query.json"))));
    }

    private static List<Map<String, Object>> drain(XqlClient.Rows rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (rows) {
            rows.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void startSendsTheDocumentedBodyAndReturnsTheQueryId() {
        stubStart();

        assertThat(client.start("dataset = va_cves | limit 2", Duration.ofDays(1))).isEqualTo("3dd7960a9b4549_16_inv");
        assertThat(metrics.get("xql.queries")).isEqualTo(1);
        wm.verify(1, postRequestedFor(urlPathEqualTo(XqlClient.START_PATH))
                .withHeader("Content-Type", equalTo("application/json")));
    }

    @Test
    void recordedEmptySuccessReplyGivesNoRows() {
        stubStart();
        wm.stubFor(post(XqlClient.RESULTS_PATH).withRequestBody(equalToJson(RESULTS_BODY))
                .willReturn(okJson(XqlFixtures.resource("rapid7-insightconnect__get_query_results.json"))));

        XqlClient.Result result = client.await(client.start("dataset = va_cves | limit 2", Duration.ofDays(1)));

        assertThat(result.status()).isEqualTo("SUCCESS");
        assertThat(result.numberOfResults()).isZero();
        assertThat(result.remainingQuota().getAsDouble()).isEqualTo(4.991908888888889);
        assertThat(drain(client.rows(result))).isEmpty();
        assertThat(time.pauses).isEmpty();
    }

    @Test
    void pollsWhilePendingWithDoublingPausesThenReadsInlineRows() {
        stubStart();
        List<Map<String, Object>> rows = XqlFixtures.rows(1, 6, 4);
        wm.stubFor(post(XqlClient.RESULTS_PATH).withRequestBody(equalToJson(RESULTS_BODY)).inScenario("poll")
                .whenScenarioStateIs(STARTED).willSetStateTo("2").willReturn(okJson(XqlFixtures.pending())));
        wm.stubFor(post(XqlClient.RESULTS_PATH).withRequestBody(equalToJson(RESULTS_BODY)).inScenario("poll")
                .whenScenarioStateIs("2").willSetStateTo("3").willReturn(okJson(XqlFixtures.pending())));
        wm.stubFor(post(XqlClient.RESULTS_PATH).withRequestBody(equalToJson(RESULTS_BODY)).inScenario("poll")
                .whenScenarioStateIs("3").willSetStateTo("4").willReturn(okJson(XqlFixtures.pending())));
        wm.stubFor(post(XqlClient.RESULTS_PATH).withRequestBody(equalToJson(RESULTS_BODY)).inScenario("poll")
                .whenScenarioStateIs("4").willReturn(okJson(XqlFixtures.success(rows))));

        List<Map<String, Object>> read = drain(client.run("dataset = va_cves | limit 2", Duration.ofDays(1)));

        assertThat(time.pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(read).hasSize(rows.size()).isEqualTo(rows);
        wm.verify(4, postRequestedFor(urlPathEqualTo(XqlClient.RESULTS_PATH)));
    }

    @Test
    void pollingStopsAtTheBudgetWithATransientError() {
        stubStart();
        wm.stubFor(post(XqlClient.RESULTS_PATH).willReturn(okJson(XqlFixtures.pending())));
        client = new XqlClient(new XqlTestTransport(), URI.create(wm.baseUrl()), time.clock, CancellationSignal.NONE,
                metrics, time, new XqlClient.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4),
                        Duration.ofSeconds(10)), XqlClient.DEFAULT_BUSY);

        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> client.run("dataset = va_cves | limit 2", Duration.ofDays(1)));

        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.getMessage()).isEqualTo(
                "The Cortex XDR XQL query 3dd7960a9b4549_16_inv was still PENDING after 10s (5 polls)");
        // 1 + 2 + 4 + 3 (capped by what was left of the budget)
        assertThat(time.pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(3));
    }

    @Test
    void moreThanAThousandRowsAreReadFromTheGzipNdjsonStream() {
        stubStart();
        List<Map<String, Object>> rows = XqlFixtures.rows(0, 1400, 4);
        assertThat(rows.size()).isGreaterThan(XqlClient.INLINE_LIMIT);
        wm.stubFor(post(XqlClient.RESULTS_PATH).withRequestBody(equalToJson(RESULTS_BODY))
                .willReturn(okJson(XqlFixtures.successStream(rows.size(), "stream-7"))));
        wm.stubFor(post(XqlClient.STREAM_PATH).withRequestBody(equalToJson(STREAM_BODY))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream")
                        .withBody(XqlFixtures.gzip(XqlFixtures.ndjson(rows)))));

        List<Map<String, Object>> read = drain(client.run("dataset = va_cves | limit 2", Duration.ofDays(1)));

        assertThat(read).isEqualTo(rows);
    }

    @Test
    void aStreamTheTransportAlreadyDecompressedIsReadAsPlainNdjson() {
        stubStart();
        List<Map<String, Object>> rows = XqlFixtures.rows(0, 40, 4);
        wm.stubFor(post(XqlClient.RESULTS_PATH).willReturn(okJson(XqlFixtures.successStream(rows.size(), "stream-7"))));
        wm.stubFor(post(XqlClient.STREAM_PATH).withRequestBody(equalToJson(STREAM_BODY))
                .willReturn(aResponse().withStatus(200).withBody(XqlFixtures.ndjson(rows))));

        assertThat(drain(client.run("dataset = va_cves | limit 2", Duration.ofDays(1)))).isEqualTo(rows);
    }

    @Test
    void aStreamCutShortIsATransientErrorNamingTheRowsRead() {
        stubStart();
        byte[] gz = XqlFixtures.gzip(XqlFixtures.ndjson(XqlFixtures.rows(0, 400, 4)));
        wm.stubFor(post(XqlClient.RESULTS_PATH).willReturn(okJson(XqlFixtures.successStream(600, "stream-7"))));
        wm.stubFor(post(XqlClient.STREAM_PATH).willReturn(aResponse().withStatus(200)
                .withBody(Arrays.copyOf(gz, gz.length / 2))));

        XqlClient.Rows rows = client.run("dataset = va_cves | limit 2", Duration.ofDays(1));
        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> drain(rows));

        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.getMessage()).startsWith("The XQL results stream of query 3dd7960a9b4549_16_inv broke off after ");
    }

    @Test
    void failStatusIsATransientErrorWithTheVendorsMessage() {
        stubStart();
        wm.stubFor(post(XqlClient.RESULTS_PATH).willReturn(okJson(
                "{\"reply\": {\"status\": \"FAIL\", \"error\": \"Query execution timed out\", \"results\": {}}}")));

        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> client.run("dataset = va_cves | limit 2", Duration.ofDays(1)));

        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.getMessage()).isEqualTo(
                "The Cortex XDR XQL query 3dd7960a9b4549_16_inv ended with status FAIL: Query execution timed out");
        assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("the next sync runs it again"));
    }

    @Test
    void parallelQueryLimitIsRetriedWithBackoffThenSucceeds() {
        String busy = XqlFixtures.error(500, "An error occurred while processing XDR public API",
                "reached max allowed amount of parallel running queries");
        wm.stubFor(post(XqlClient.START_PATH).withRequestBody(equalToJson(START_BODY)).inScenario("busy")
                .whenScenarioStateIs(STARTED).willSetStateTo("2")
                .willReturn(aResponse().withStatus(500).withBody(busy)));
        wm.stubFor(post(XqlClient.START_PATH).withRequestBody(equalToJson(START_BODY)).inScenario("busy")
                .whenScenarioStateIs("2").willSetStateTo("3")
                .willReturn(aResponse().withStatus(500).withBody(busy)));
        wm.stubFor(post(XqlClient.START_PATH).withRequestBody(equalToJson(START_BODY)).inScenario("busy")
                .whenScenarioStateIs("3").willReturn(okJson("{\"reply\": \"q-2\"}")));

        assertThat(client.start("dataset = va_cves | limit 2", Duration.ofDays(1))).isEqualTo("q-2");
        assertThat(time.pauses).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(metrics.get("xql.queries")).isEqualTo(1);
    }

    @Test
    void parallelQueryLimitPastTheBudgetIsRateLimited() {
        wm.stubFor(post(XqlClient.START_PATH).willReturn(aResponse().withStatus(500).withBody(XqlFixtures.error(500,
                "An error occurred while processing XDR public API",
                "maximum allowed number of parallel running queries has been reached"))));

        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> client.start("dataset = va_cves | limit 2", Duration.ofDays(1)));

        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.getMessage()).isEqualTo("Cortex XDR kept refusing to start the XQL query for 4m15s (8 attempts)"
                + " because the tenant already runs its maximum of parallel XQL queries: An error occurred while"
                + " processing XDR public API (maximum allowed number of parallel running queries has been reached)");
        assertThat(time.pauses).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60));
        assertThat(metrics.get("xql.queries")).isZero();
    }

    @Test
    void licenceMissingAs402IsALicenceError() {
        wm.stubFor(post(XqlClient.START_PATH).willReturn(aResponse().withStatus(402)
                .withBody(XqlFixtures.error(402, "Public API request unauthorized", ""))));

        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> client.start("dataset = va_cves | limit 2", Duration.ofDays(1)));

        assertThat(e.kind()).isEqualTo(ErrorKind.LICENSE);
        assertThat(e.getMessage()).isEqualTo("Cortex XDR refused the XQL call /public_api/v1/xql/start_xql_query:"
                + " the tenant is not licensed for XQL vulnerability data (HTTP 402: Public API request unauthorized)");
        assertThat(e.remediation()).hasValue(Remediation.XQL_LICENCE);
    }

    @Test
    void licenceMissingAs500WithTheLicenceMessageIsALicenceError() {
        wm.stubFor(post(XqlClient.START_PATH).willReturn(aResponse().withStatus(500).withBody(XqlFixtures.error(500,
                "An error occurred while processing XDR public API", "No valid license for Host Insights"))));

        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> client.start("dataset = va_cves | limit 2", Duration.ofDays(1)));

        assertThat(e.kind()).isEqualTo(ErrorKind.LICENSE);
        assertThat(e.getMessage()).endsWith("(HTTP 500: An error occurred while processing XDR public API"
                + " (No valid license for Host Insights))");
    }

    @Test
    void exhaustedQuotaIsAClearError() {
        wm.stubFor(post(XqlClient.START_PATH).willReturn(aResponse().withStatus(500).withBody(XqlFixtures.error(500,
                "An error occurred while processing XDR public API", "query usage exceeded max daily quota"))));

        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> client.start("dataset = va_cves | limit 2", Duration.ofDays(1)));

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.getMessage()).isEqualTo("Cortex XDR refused the XQL call /public_api/v1/xql/start_xql_query:"
                + " the tenant's daily XQL query quota is exhausted (HTTP 500: An error occurred while processing"
                + " XDR public API (query usage exceeded max daily quota))");
        assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("daily XQL quota"));
    }

    @Test
    void aServerFaultWhilePollingIsTransient() {
        stubStart();
        wm.stubFor(post(XqlClient.RESULTS_PATH).willReturn(aResponse().withStatus(503).withBody("Service Unavailable")));

        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> client.run("dataset = va_cves | limit 2", Duration.ofDays(1)));

        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.getMessage()).isEqualTo(
                "Cortex XDR refused the XQL call /public_api/v1/xql/get_query_results (HTTP 503: Service Unavailable)");
    }

    @Test
    void theSleepingPauseStopsWhenTheRunIsCancelled() {
        boolean[] cancelled = {false};
        XqlClient.Pause pause = XqlClient.Pause.sleeping(() -> cancelled[0]);
        long started = System.nanoTime();
        pause.pause(Duration.ofMillis(20));
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());

        cancelled[0] = true;
        started = System.nanoTime();
        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> pause.pause(Duration.ofHours(1)));
        assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
        assertThat(System.nanoTime() - started).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aCancelledRunStopsPolling() {
        stubStart();
        wm.stubFor(post(XqlClient.RESULTS_PATH).willReturn(okJson(XqlFixtures.pending())));
        boolean[] cancelled = {false};
        client = new XqlClient(new XqlTestTransport(), URI.create(wm.baseUrl()), time.clock, () -> cancelled[0], metrics,
                d -> cancelled[0] = true, XqlClient.DEFAULT_POLL, XqlClient.DEFAULT_BUSY);

        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> client.run("dataset = va_cves | limit 2", Duration.ofDays(1)));

        assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
        wm.verify(1, postRequestedFor(urlPathEqualTo(XqlClient.RESULTS_PATH)));
    }
}
