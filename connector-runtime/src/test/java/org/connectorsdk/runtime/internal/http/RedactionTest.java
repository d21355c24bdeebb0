package org.connectorsdk.runtime.internal.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.HttpTransport.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.connectorsdk.runtime.MutableClock;
import org.connectorsdk.runtime.internal.sync.CountingMetrics;

/**
 * Drives the transport through retries, give-ups, failures and redirects with a secret in every
 * place a careless transport could leak it, and searches the captured DEBUG log (slf4j-simple
 * writes to System.err, see simplelogger.properties), the exception messages and the metrics.
 */
class RedactionTest {
    private static final String API_KEY = "K3y-9f8e7d6c5b4a-SECRET";
    private static final String KEY_ID = "4711";
    private static final String SIGNATURE_PREFIX = "sig-5e1f0c";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @Test
    void noSecretReachesALogLineAMessageOrAMetric() throws Exception {
        server.stubFor(WireMock.get("/retry").inScenario("r")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(status(503)).willSetStateTo("two"));
        server.stubFor(WireMock.get("/retry").inScenario("r")
                .whenScenarioStateIs("two").willReturn(ok()));
        server.stubFor(WireMock.get("/down").willReturn(status(503)));
        server.stubFor(WireMock.get("/denied").willReturn(status(401)
                .withBody("{\"reply\":{\"err_msg\":\"bad key\"}}")));
        server.stubFor(WireMock.get("/moved").willReturn(status(301)
                .withHeader("Location", "https://login.example/?key=" + API_KEY)));
        server.stubFor(WireMock.get("/reset")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        server.stubFor(WireMock.get("/api/" + API_KEY).willReturn(ok()));

        MutableClock time = new MutableClock();
        CountingMetrics metrics = new CountingMetrics();
        AtomicInteger attempt = new AtomicInteger();
        HttpSettings settings = HttpSettings.builder("https://api-acme.example|" + KEY_ID).maxRequestsPerSecond(1000)
                .maxRetries(2)
                .sensitiveHeaders(Set.of("Authorization", "x-xdr-nonce"))
                .authenticator(() -> Map.of(
                        "Authorization", SIGNATURE_PREFIX + attempt.incrementAndGet(),
                        "x-xdr-nonce", "nonce-" + API_KEY.substring(3, 12),
                        "x-xdr-auth-id", KEY_ID))
                .build();
        List<String> messages = new ArrayList<>();
        String log;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (HttpTransportFactory factory = new HttpTransportFactory(time, time, 7L)) {
            HttpTransport transport = factory.create(settings, List.of(API_KEY), CancellationSignal.NONE, metrics);
            transport.send(get("/retry"));
            transport.send(get("/down"));
            transport.send(get("/denied"));
            transport.send(get("/api/" + API_KEY));
            for (String path : List.of("/moved", "/reset")) {
                try {
                    transport.send(get(path));
                } catch (ConnectorException e) {
                    messages.add(e.toString() + " / " + e.remediation().orElse(""));
                    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                        messages.add(String.valueOf(t.getMessage()));
                    }
                }
            }
            messages.add(transport.toString());
        } finally {
            System.setErr(originalErr);
            log = captured.toString(StandardCharsets.UTF_8);
        }

        // the test saw what it meant to search
        assertThat(log).contains("GET /retry -> 503", "Retrying GET /retry", "Giving up on GET /down",
                "GET /denied -> 401", "GET /api/[hidden] -> 200");
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("redirecting to https://login.example/?key=[hidden]"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("GET /reset failed"));

        List<String> secrets = new ArrayList<>(List.of(API_KEY, "nonce-" + API_KEY.substring(3, 12)));
        for (int i = 1; i <= attempt.get(); i++) {
            secrets.add(SIGNATURE_PREFIX + i);
        }
        for (String secret : secrets) {
            assertThat(log).as("log").doesNotContain(secret);
            assertThat(messages).as("messages").noneMatch(m -> m.contains(secret));
            assertThat(metrics.snapshot().keySet()).noneMatch(k -> k.contains(secret));
        }
        assertThat(log).doesNotContain("Authorization");
    }

    @Test
    void theRedactorMasksTheLongestSecretFirstAndIgnoresBlanks() {
        Redactor redactor = new Redactor(List.of("abc", "abcdef", " "));
        assertThat(redactor.apply("x abcdef y abc z")).isEqualTo("x [hidden] y [hidden] z");
        assertThat(redactor.apply("no spaces were masked")).isEqualTo("no spaces were masked");
    }

    @Test
    void aShortHeaderValueSuchAsAKeyIdIsNotMaskedInUnrelatedText() {
        Redactor redactor = new Redactor(List.of());
        redactor.add("1");
        redactor.add("0123456789abcdef");
        assertThat(redactor.apply("POST /public_api/v1/endpoints sig=0123456789abcdef"))
                .isEqualTo("POST /public_api/v1/endpoints sig=[hidden]");
    }

    @Test
    void learnedHeaderValuesAreBoundedButConfiguredSecretsStay() {
        Redactor redactor = new Redactor(List.of("configured-secret"));
        // unrelated values, like real signatures: pieces of similar ones would be masked as pieces
        for (int i = 0; i < 1_000; i++) {
            redactor.add(signature(i));
        }
        assertThat(redactor.apply(signature(999) + " " + signature(0) + " configured-secret"))
                .isEqualTo("[hidden] " + signature(0) + " [hidden]");
    }

    private static String signature(int i) {
        return String.format("%016x", i * 0x9E3779B97F4A7C15L);
    }

    private static Request get(String path) {
        return new Request("GET", URI.create(server.baseUrl() + path), Map.of(), new byte[0]);
    }
}
