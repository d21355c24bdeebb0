package org.connectorsdk.cortexxdr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.CheckStatus;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;

/** Pins the exact requests the plugin sends, for both key levels. */
class CortexXdrClientWireMockTest {
    private static final Instant NOW = Instant.parse("2026-11-25T16:00:00Z");
    private static final String PAGE_0 = "{\"request_data\":{\"search_from\":0,\"search_to\":100,"
            + "\"sort\":{\"field\":\"endpoint_id\",\"keyword\":\"ASC\"}}}";
    private static final String ONE_ENDPOINT = "{\"reply\":{\"total_count\":1,\"result_count\":1,"
            + "\"endpoints\":[{\"endpoint_id\":\"0a1b\",\"endpoint_name\":\"web-01\"}]}}";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .failOnUnmatchedRequests(true).build();

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private ConnectorContext context() {
        return RuntimeContexts.context("wiremock", java.util.List.of(TestConfigs.KEY), clock);
    }

    private CortexXdrSettings settings(String level) {
        return TestConfigs.at(TestConfigs.settings("https://api-x.xdr.us.paloaltonetworks.com",
                "securityLevel", level), wm.baseUrl());
    }

    private Page readFirstPage(String level) {
        EndpointPager pager = new EndpointPager(CortexXdrClient.open(settings(level), context()));
        return pager.read(PageRequest.first(CortexXdrConnector.ASSETS));
    }

    @Test
    void standardKeySendsTheKeyAndItsIdAndTheExactPageBody() {
        wm.stubFor(post("/public_api/v1/endpoints/get_endpoint").willReturn(okJson(ONE_ENDPOINT)));
        Page page = readFirstPage("standard");
        assertThat(page.records()).extracting(r -> r.get("endpoint_id")).containsExactly("0a1b");
        assertThat(page.done()).isTrue();
        wm.verify(1, postRequestedFor(urlEqualTo("/public_api/v1/endpoints/get_endpoint"))
                .withHeader("Authorization", equalTo(TestConfigs.KEY))
                .withHeader("x-xdr-auth-id", equalTo(TestConfigs.KEY_ID))
                .withHeader("Content-Type", equalTo("application/json"))
                .withoutHeader("x-xdr-nonce").withoutHeader("x-xdr-timestamp")
                .withRequestBody(equalToJson(PAGE_0)));
    }

    @Test
    void advancedKeySendsNonceTimestampAndTheHashOfKeyNonceAndTimestamp() {
        wm.stubFor(post("/public_api/v1/endpoints/get_endpoint").willReturn(okJson(ONE_ENDPOINT)));
        readFirstPage("advanced");
        wm.verify(1, postRequestedFor(urlEqualTo("/public_api/v1/endpoints/get_endpoint"))
                .withHeader("x-xdr-auth-id", equalTo(TestConfigs.KEY_ID))
                .withHeader("x-xdr-timestamp", equalTo(Long.toString(NOW.toEpochMilli())))
                .withHeader("x-xdr-nonce", matching("[A-Za-z0-9]{64}"))
                .withHeader("Authorization", matching("[0-9a-f]{64}"))
                .withRequestBody(equalToJson(PAGE_0)));
        LoggedRequest r = wm.findAll(postRequestedFor(urlEqualTo("/public_api/v1/endpoints/get_endpoint"))).get(0);
        String expected = sha256(TestConfigs.KEY + r.getHeader("x-xdr-nonce") + r.getHeader("x-xdr-timestamp"));
        assertThat(r.getHeader("Authorization")).isEqualTo(expected);
        assertThat(r.getHeader("Authorization")).isNotEqualTo(TestConfigs.KEY);
    }

    @Test
    void everyAttemptGetsAFreshNonceRetriesIncluded() {
        wm.stubFor(post("/public_api/v1/endpoints/get_endpoint").inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(503).withBody("busy")));
        wm.stubFor(post("/public_api/v1/endpoints/get_endpoint").inScenario("flaky")
                .whenScenarioStateIs("recovered").willReturn(okJson(ONE_ENDPOINT)));
        readFirstPage("advanced");
        List<LoggedRequest> all = wm.findAll(postRequestedFor(urlEqualTo("/public_api/v1/endpoints/get_endpoint")));
        assertThat(all).hasSize(2);
        assertThat(all.get(0).getHeader("x-xdr-nonce")).isNotEqualTo(all.get(1).getHeader("x-xdr-nonce"));
        for (LoggedRequest r : all) {
            assertThat(r.getHeader("Authorization")).isEqualTo(
                    sha256(TestConfigs.KEY + r.getHeader("x-xdr-nonce") + r.getHeader("x-xdr-timestamp")));
        }
    }

    @Test
    void theKeyCheckPostsAnEmptyObjectToValidate() {
        wm.stubFor(post("/api_keys/validate/").willReturn(okJson("true")));
        CheckResult result = CortexXdrChecks.authentication(org.connectorsdk.api.CheckKind.AUTHENTICATION,
                CortexXdrClient.open(settings("standard"), context()));
        assertThat(result.status()).isEqualTo(CheckStatus.PASSED);
        assertThat(result.message()).isEqualTo("Cortex XDR accepted API key ID 7 (security level standard)");
        wm.verify(1, postRequestedFor(urlEqualTo("/api_keys/validate/")).withRequestBody(equalToJson("{}"))
                .withHeader("Authorization", equalTo(TestConfigs.KEY)));
    }

    @Test
    void aBusiness500IsNotRetried() {
        wm.stubFor(post("/public_api/v1/endpoints/get_endpoint").willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody(new String(XdrErrorsTest.fixture(
                        "demisto-content__CortexCoreIR_test__error_500_public_api.json"),
                        java.nio.charset.StandardCharsets.UTF_8))));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> readFirstPage("standard"))
                .hasMessageContaining("All hashes have already been added");
        wm.verify(1, postRequestedFor(urlEqualTo("/public_api/v1/endpoints/get_endpoint")));
    }

    /** Lowercase hex SHA-256, computed here rather than by the code under test. */
    static String sha256(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder();
            for (byte x : d) {
                b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
            }
            return b.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
