package org.connectorsdk.runtime.internal.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpStatusErrors;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.HttpTransport.Request;
import org.connectorsdk.api.JsonReply;
import org.connectorsdk.runtime.MutableClock;
import org.connectorsdk.runtime.internal.sync.CountingMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The transport sends the api's GET requests as built and parses JSON replies into plain values. */
class JsonRepliesTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .failOnUnmatchedRequests(true)
            .build();

    private final MutableClock time = new MutableClock();
    private final HttpTransportFactory factory = new HttpTransportFactory(time, time, 42L);
    private final HttpStatusErrors errors = HttpStatusErrors.of("Acme");

    @AfterEach
    void close() {
        factory.close();
    }

    private HttpTransport transport() {
        return factory.create(HttpSettings.builder("json-" + System.nanoTime()).maxRequestsPerSecond(1000).maxRetries(0)
                .requestTimeout(Duration.ofSeconds(5)).build(), List.of(), CancellationSignal.NONE, new CountingMetrics());
    }

    private static Request.Builder findings() {
        return Request.get(URI.create(server.baseUrl() + "/v2/findings"));
    }

    @Test
    void sendsTheEncodedQueryAndParsesTheReplyIntoPlainValues() {
        server.stubFor(WireMock.get(urlPathEqualTo("/v2/findings"))
                .withQueryParam("updated_since", equalTo("2026-05-13T10:00:00Z"))
                .withQueryParam("cursor", equalTo("a b/c=="))
                .willReturn(okJson("{\"data\": [{\"id\": \"f-1\", \"score\": 7.5, \"open\": true}], \"next_cursor\": null}")));

        JsonReply reply = transport().getJson(findings().query("updated_since", Instant.parse("2026-05-13T10:00:00Z"))
                .query("cursor", "a b/c==").build(), errors);

        assertThat(reply.objects("data")).containsExactly(Map.of("id", "f-1", "score", 7.5, "open", true));
        assertThat(reply.text("next_cursor")).isEmpty();
        server.verify(getRequestedFor(urlPathEqualTo("/v2/findings")).withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void anErrorStatusBecomesTheClassifiedException() {
        server.stubFor(WireMock.get(urlPathEqualTo("/v2/findings")).willReturn(status(403)));

        assertThatThrownBy(() -> transport().getJson(findings().query("token", "t-1").build(), errors))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHORIZATION);
                    assertThat(e.getMessage()).isEqualTo("Acme answered HTTP 403 (the credentials lack a permission) to GET "
                            + server.baseUrl() + "/v2/findings");
                });
    }

    @Test
    void aBodyThatIsNotJsonIsABadResponseNamingTypeAndSizeButNotTheText() {
        server.stubFor(WireMock.get(urlPathEqualTo("/v2/findings")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>secret-ish</html>")));

        assertThatThrownBy(() -> transport().getJson(findings().build(), errors))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
                    assertThat(e.getMessage()).isEqualTo("The reply (HTTP 200, text/html, 23 bytes) is not valid JSON,"
                            + " at line 1 column 1");
                    assertThat(e.remediation()).hasValue("Check that the base URL points at the vendor's API, not a web"
                            + " page, login portal or proxy");
                });
    }
}
