package org.connectorsdk.cortexxdr.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.CheckStatus;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.cortexxdr.CortexXdrConnector;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.RuntimeContexts;

/**
 * API calls never follow a redirect: a 3xx is an error naming the location, and the key never
 * reaches the host it points at (a second server, trusted like the first, receives nothing).
 */
class RedirectTest {
    static final String KEY = "redirect-test-key-0123456789abcdef";

    private WireMockServer tenant;
    private WireMockServer elsewhere;
    private final CortexXdrConnector connector = new CortexXdrConnector();

    /** An HTTPS WireMock on 127.0.0.1 presenting the simulator's test certificate. */
    static WireMockServer https() {
        // WireMock reads a key store from a file; the simulator's may sit inside its jar
        String store;
        try (InputStream in = CortexXdrSimulator.class.getResourceAsStream("simulator.p12")) {
            Path copy = Files.createTempFile("simulator", ".p12");
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            store = copy.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WireMockConfiguration options = wireMockConfig().bindAddress("127.0.0.1").httpDisabled(true)
                .dynamicHttpsPort().keystorePath(store).keystoreType("PKCS12")
                .keystorePassword("simulator-test-only").keyManagerPassword("simulator-test-only");
        WireMockServer server = new WireMockServer(options);
        server.start();
        return server;
    }

    @BeforeEach
    void start() {
        tenant = https();
        elsewhere = https();
        elsewhere.stubFor(any(anyUrl()).willReturn(okJson("{\"reply\": {\"endpoints\": [], \"total_count\": 0}}")));
    }

    @AfterEach
    void stop() {
        tenant.stop();
        elsewhere.stop();
    }

    private String redirectEverythingTo(int status) {
        String location = "https://127.0.0.1:" + elsewhere.httpsPort() + "/public_api/v1/endpoints/get_endpoint";
        tenant.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status).withHeader("Location", location)));
        return location;
    }

    private ConnectorConfig config() {
        return Configs.config("https://127.0.0.1:" + tenant.httpsPort(), KEY);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectedPageReadIsABadResponseNamingTheLocationAndTheKeyStaysHome(int status) {
        String location = redirectEverythingTo(status);
        try (StreamReader reader = connector.open(config(),
                RuntimeContexts.context("redirect", List.of(KEY), Clock.systemUTC()))) {
            assertThatThrownBy(() -> reader.read(PageRequest.first(CortexXdrConnector.ASSETS)))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
                        assertThat(e.getMessage()).contains("answered HTTP " + status + " redirecting to " + location)
                                .contains("redirects are never followed").doesNotContain(KEY);
                    });
        }
        tenant.verify(1, postRequestedFor(urlEqualTo("/public_api/v1/endpoints/get_endpoint")));
        elsewhere.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @ValueSource(ints = {302, 307})
    void aRedirectedConnectionCheckFailsNamingTheLocationAndTheKeyStaysHome(int status) {
        String location = redirectEverythingTo(status);
        CheckReport report = RuntimeContexts.check(connector, config(),
                RuntimeContexts.context("redirect", List.of(KEY), Clock.systemUTC()));
        CheckResult failed = report.firstFailure().orElseThrow(() -> new AssertionError("no failure: " + report));
        assertThat(failed.kind()).isEqualTo(CheckKind.AUTHENTICATION);
        assertThat(failed.message()).contains(location).doesNotContain(KEY);
        assertThat(report.results()).extracting(CheckResult::status).containsExactly(CheckStatus.PASSED,
                CheckStatus.PASSED, CheckStatus.FAILED, CheckStatus.SKIPPED, CheckStatus.SKIPPED);
        elsewhere.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @ValueSource(ints = {302, 307})
    void aRedirectToAnotherPathOnTheSameHostIsNotFollowedEither(int status) {
        tenant.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status)
                .withHeader("Location", "https://127.0.0.1:" + tenant.httpsPort() + "/login")));
        try (StreamReader reader = connector.open(config(),
                RuntimeContexts.context("redirect", List.of(KEY), Clock.systemUTC()))) {
            assertThatThrownBy(() -> reader.read(PageRequest.first(CortexXdrConnector.ASSETS)))
                    .isInstanceOf(ConnectorException.class).hasMessageContaining("/login");
        }
        tenant.verify(0, anyRequestedFor(urlEqualTo("/login")));
    }
}
