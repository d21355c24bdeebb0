package org.connectorsdk.cortexxdr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.CheckStatus;
import org.connectorsdk.api.ProbeResult;

/** Check messages and remediations for HTTP answers (WireMock) and probe outcomes (staged). */
class CortexXdrChecksTest {
    private static final String GET_ENDPOINT = "/public_api/v1/endpoints/get_endpoint";
    private static final String ONE_PAGE = "{\"request_data\":{\"search_from\":0,\"search_to\":1}}";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .failOnUnmatchedRequests(true).build();

    private CortexXdrClient client(Object... config) {
        return CortexXdrClient.open(TestConfigs.at(TestConfigs.settings("https://api-x.xdr.us.paloaltonetworks.com",
                config), wm.baseUrl()), RuntimeContexts.context("wiremock", java.util.List.of(TestConfigs.KEY), Clock.systemUTC()));
    }

    @Test
    void wrongKeyFailsAuthenticationWithTheRemediation() {
        wm.stubFor(post("/api_keys/validate/").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody(new String(XdrErrorsTest.fixture("rapid7-insightconnect__error_401_unauthorized.json"),
                        java.nio.charset.StandardCharsets.UTF_8))));
        CheckResult r = CortexXdrChecks.authentication(CheckKind.AUTHENTICATION, client());
        assertThat(r.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(r.message()).isEqualTo("Cortex XDR rejected API key ID 7 (security level standard): Public API"
                + " request unauthorized");
        assertThat(r.remediation()).hasValue(Remediation.AUTHENTICATION);
        assertThat(r.message()).doesNotContain(TestConfigs.KEY);
    }

    @Test
    void aKeyEchoedByTheServerIsMaskedInTheMessage() {
        wm.stubFor(post("/api_keys/validate/").willReturn(aResponse().withStatus(401).withBody(
                "{\"reply\":{\"err_code\":401,\"err_msg\":\"Public API request unauthorized\","
                        + "\"err_extra\":\"key " + TestConfigs.KEY + " unknown\"}}")));
        CheckResult r = CortexXdrChecks.authentication(CheckKind.AUTHENTICATION, client());
        assertThat(r.message()).doesNotContain(TestConfigs.KEY).endsWith("key [hidden] unknown");
    }

    @Test
    void paymentRequiredSaysTheLicenceLacksTheApi() {
        wm.stubFor(post("/api_keys/validate/").willReturn(aResponse().withStatus(402)
                .withBody("{\"reply\":{\"err_code\":402,\"err_msg\":\"Payment required\",\"err_extra\":null}}")));
        CheckResult r = CortexXdrChecks.authentication(CheckKind.AUTHENTICATION, client());
        assertThat(r.message()).isEqualTo("Cortex XDR accepted no API use for API key ID 7 (security level standard):"
                + " the tenant's licence lacks the public API (HTTP 402: Payment required)");
        assertThat(r.remediation()).hasValueSatisfying(t -> assertThat(t).contains("licence"));
    }

    @Test
    void withoutTheValidatePathAOneRecordReadProvesTheKey() {
        wm.stubFor(post("/api_keys/validate/").willReturn(aResponse().withStatus(404)));
        wm.stubFor(post(GET_ENDPOINT).withRequestBody(equalToJson(ONE_PAGE))
                .willReturn(okJson("{\"reply\":{\"total_count\":0,\"endpoints\":[]}}")));
        assertThat(CortexXdrChecks.authentication(CheckKind.AUTHENTICATION, client()).status())
                .isEqualTo(CheckStatus.PASSED);
    }

    @Test
    void forbiddenNamesTheApiTheRoleCannotReach() {
        wm.stubFor(post(GET_ENDPOINT).willReturn(okJson("{\"reply\":{\"endpoints\":[]}}")));
        wm.stubFor(post("/public_api/v1/incidents/get_incidents").willReturn(aResponse().withStatus(403)
                .withBody("{\"reply\":{\"err_code\":403,\"err_msg\":\"Forbidden\",\"err_extra\":null}}")));
        wm.stubFor(post("/public_api/v2/alerts/get_alerts_multi_events")
                .willReturn(okJson("{\"reply\":{\"alerts\":[]}}")));
        CheckResult r = CortexXdrChecks.authorization(CheckKind.AUTHORIZATION_SCOPE,
                client("dataToSync", "none", "events", java.util.List.of("incidents", "alerts")));
        assertThat(r.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(r.errorKind()).hasValue(org.connectorsdk.api.ErrorKind.AUTHORIZATION);
        assertThat(r.message()).isEqualTo("API key ID 7 cannot read every selected stream: incidents needs"
                + " get_incidents (/public_api/v1/incidents/get_incidents), which the role refuses (HTTP 403"
                + " Forbidden)");
        assertThat(r.remediation()).hasValueSatisfying(t -> assertThat(t).contains(
                "a role that may view incidents (needed for incidents)", "security level"));
        wm.verify(1, postRequestedFor(urlEqualTo("/public_api/v1/incidents/get_incidents"))
                .withRequestBody(equalToJson(ONE_PAGE)));
        // the other selected stream is probed as well, and passes
        wm.verify(1, postRequestedFor(urlEqualTo("/public_api/v2/alerts/get_alerts_multi_events")));
    }

    @Test
    void authorizationProbesEverySelectedApi() {
        wm.stubFor(post(GET_ENDPOINT).willReturn(okJson("{\"reply\":{\"endpoints\":[]}}")));
        wm.stubFor(post("/public_api/v1/incidents/get_incidents").willReturn(okJson("{\"reply\":{\"incidents\":[]}}")));
        wm.stubFor(post("/public_api/v2/alerts/get_alerts_multi_events").willReturn(okJson("{\"reply\":{}}")));
        wm.stubFor(post("/public_api/v1/xql/get_query_results").withRequestBody(equalToJson(
                "{\"request_data\":{\"query_id\":\"connection-check-no-such-query\",\"pending_flag\":true,"
                        + "\"limit\":1,\"format\":\"json\"}}"))
                .willReturn(aResponse().withStatus(500).withBody("{\"reply\":{\"err_code\":500,\"err_msg\":"
                        + "\"An error occurred\",\"err_extra\":\"Query ID x was not found\"}}")));
        CheckResult r = CortexXdrChecks.authorization(CheckKind.AUTHORIZATION_SCOPE,
                client("events", java.util.List.of("incidents", "alerts")));
        assertThat(r.message())
                .isEqualTo("API key ID 7 may use get_endpoint, get_incidents, get_alerts_multi_events, XQL");
        wm.verify(1, postRequestedFor(urlEqualTo("/public_api/v1/xql/get_query_results")));
    }

    @Test
    void dataFetchOfAnHtmlPageSaysWhatCameBack() {
        wm.stubFor(post(GET_ENDPOINT).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html><head><title>Sign in</title></head></html>")));
        CheckResult direct = runDataFetch();
        assertThat(direct.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(direct.message()).isEqualTo("Cortex XDR answered get_endpoint with HTTP 200, content type"
                + " text/html, body starts with '<html><head><title>Sign in</title></head></html>', not JSON");
        assertThat(direct.remediation()).hasValue(Remediation.BAD_RESPONSE);
    }

    private CheckResult runDataFetch() {
        try {
            return CortexXdrChecks.dataFetch(CheckKind.DATA_FETCH, client());
        } catch (org.connectorsdk.api.ConnectorException e) {
            return CheckResult.failed(CheckKind.DATA_FETCH, e);
        }
    }

    @Test
    void dataFetchPassesWithACount() {
        wm.stubFor(post(GET_ENDPOINT).willReturn(okJson("{\"reply\":{\"total_count\":2,\"endpoints\":["
                + "{\"endpoint_id\":\"a\"},{\"endpoint_id\":\"b\"}]}}")));
        assertThat(CortexXdrChecks.dataFetch(CheckKind.DATA_FETCH, client()).message())
                .isEqualTo("Fetched 2 endpoints from get_endpoint (total_count 2)");
    }

    /** A tenant whose probes fail the given way. */
    private static FakeTenant probing(ProbeResult tcp, ProbeResult tls) {
        return new FakeTenant(0) {
            @Override
            public ProbeResult probeTcp(URI uri, Duration timeout) {
                return tcp;
            }

            @Override
            public ProbeResult probeTls(URI uri, Duration timeout) {
                return tls;
            }
        };
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DNS|The host name api-x.xdr.us.paloaltonetworks.com does not resolve",
        "REFUSED|api-x.xdr.us.paloaltonetworks.com:443 refused the connection",
        "TIMEOUT|No answer from api-x.xdr.us.paloaltonetworks.com:443 within 10 s",
    })
    void networkFailuresEachHaveTheirMessage(ProbeResult.Failure failure, String message) {
        FakeTenant t = probing(new ProbeResult(failure, ""), ProbeResult.ok(""));
        CheckResult r = new CortexXdrChecks.Check(CheckKind.NETWORK_REACHABILITY, CortexXdrChecks::network)
                .run(TestConfigs.config("https://api-x.xdr.us.paloaltonetworks.com"), t);
        assertThat(r.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(r.message()).isEqualTo(message);
        assertThat(r.remediation()).hasValue(Remediation.CONNECTION);
        assertThat(Remediation.CONNECTION).contains("https://api-<fqdn>", "region", "443");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "UNTRUSTED_ISSUER|The certificate of api-x.xdr.us.paloaltonetworks.com:443 is not issued by a trusted certificate authority",
        "HOSTNAME_MISMATCH|The certificate presented by api-x.xdr.us.paloaltonetworks.com:443 does not name api-x.xdr.us.paloaltonetworks.com",
        "EXPIRED_CERTIFICATE|The certificate of api-x.xdr.us.paloaltonetworks.com:443 has expired or is not yet valid",
        "PROTOCOL|api-x.xdr.us.paloaltonetworks.com:443 did not complete a TLS handshake (no common protocol or cipher, or the port does not speak TLS)",
    })
    void tlsFailuresEachHaveTheirMessage(ProbeResult.Failure failure, String message) {
        FakeTenant t = probing(ProbeResult.ok(""), new ProbeResult(failure, ""));
        CheckResult r = new CortexXdrChecks.Check(CheckKind.TLS_HANDSHAKE, CortexXdrChecks::tls)
                .run(TestConfigs.config("https://api-x.xdr.us.paloaltonetworks.com"), t);
        assertThat(r.message()).isEqualTo(message);
        assertThat(r.remediation()).hasValueSatisfying(s -> assertThat(s).contains("caCertificate"));
    }

    @Test
    void aConfigurationProblemFailsTheCheckNamingTheField() {
        CheckResult r = new CortexXdrChecks.Check(CheckKind.NETWORK_REACHABILITY, CortexXdrChecks::network)
                .run(TestConfigs.config("https://api-x.xdr.us.paloaltonetworks.com", "lastSeenAfter",
                        "2026-02-30T00:00:00Z"), new FakeTenant(0));
        assertThat(r.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(r.message()).contains("'lastSeenAfter'");
    }
}
