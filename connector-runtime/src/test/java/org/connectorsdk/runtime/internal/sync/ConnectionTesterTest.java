package org.connectorsdk.runtime.internal.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.CheckStatus;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.runtime.MutableClock;
import org.connectorsdk.runtime.internal.http.Cancellation;
import org.connectorsdk.runtime.internal.http.HttpTransportFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

class ConnectionTesterTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .failOnUnmatchedRequests(true)
            .build();

    private final MutableClock time = new MutableClock();
    private final HttpTransportFactory transports = new HttpTransportFactory(time, time, 1L);
    private final CountingMetrics metrics = new CountingMetrics();
    private final Cancellation cancellation = new Cancellation();
    private final ConnectorContext context = new DefaultConnectorContext("tenant-eu", List.of("s3cret"), transports, time,
            cancellation, metrics);
    private final ConnectorConfig config = ConfigSpec.of().bind(Map.of());
    private final List<CheckKind> ran = new ArrayList<>();

    @AfterEach
    void close() {
        transports.close();
    }

    /** A check that records that it ran, takes {@code millis} of fake time, then does {@code body}. */
    private ConnectionCheck check(CheckKind kind, long millis, Supplier<CheckResult> body) {
        return new ConnectionCheck() {
            @Override
            public CheckKind kind() {
                return kind;
            }

            @Override
            public CheckResult run(ConnectorConfig c, ConnectorContext ctx) {
                ran.add(kind);
                time.advance(Duration.ofMillis(millis));
                return body.get();
            }
        };
    }

    private ConnectionCheck passing(CheckKind kind, long millis) {
        return check(kind, millis, () -> CheckResult.passed(kind, kind.title() + " ok"));
    }

    @Test
    void runsEveryCheckInOrderAndTimesEach() {
        CheckReport report = new ConnectionTester().run(connector(
                passing(CheckKind.NETWORK_REACHABILITY, 5), passing(CheckKind.TLS_HANDSHAKE, 40),
                passing(CheckKind.AUTHENTICATION, 120), passing(CheckKind.AUTHORIZATION_SCOPE, 80),
                passing(CheckKind.DATA_FETCH, 300)), config, context);

        assertThat(report.allPassed()).isTrue();
        assertThat(report.results()).extracting(CheckResult::kind).containsExactly(CheckKind.values());
        assertThat(report.results()).extracting(r -> r.duration().toMillis()).containsExactly(5L, 40L, 120L, 80L, 300L);
    }

    @Test
    void aTesterGivenAClockTimesOnThatClock() {
        MutableClock other = new MutableClock();
        ConnectionCheck slow = check(CheckKind.NETWORK_REACHABILITY, 0, () -> {
            other.advance(Duration.ofMillis(250));
            return CheckResult.passed(CheckKind.NETWORK_REACHABILITY, "ok");
        });

        CheckReport report = new ConnectionTester(other).run(connector(slow), config, context);

        assertThat(report.results().get(0).duration()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void skipsEveryCheckAfterTheFirstFailure() {
        CheckReport report = new ConnectionTester().run(connector(
                passing(CheckKind.NETWORK_REACHABILITY, 1), passing(CheckKind.TLS_HANDSHAKE, 1),
                check(CheckKind.AUTHENTICATION, 10, () -> CheckResult.failed(CheckKind.AUTHENTICATION,
                        "The API key was rejected (HTTP 401)", "Verify the API key and key ID")),
                passing(CheckKind.AUTHORIZATION_SCOPE, 1), passing(CheckKind.DATA_FETCH, 1)), config, context);

        assertThat(ran).containsExactly(CheckKind.NETWORK_REACHABILITY, CheckKind.TLS_HANDSHAKE, CheckKind.AUTHENTICATION);
        assertThat(report.results()).extracting(CheckResult::status).containsExactly(CheckStatus.PASSED,
                CheckStatus.PASSED, CheckStatus.FAILED, CheckStatus.SKIPPED, CheckStatus.SKIPPED);
        assertThat(report.results().get(2).remediation()).contains("Verify the API key and key ID");
        assertThat(report.results().get(2).duration()).isEqualTo(Duration.ofMillis(10));
        assertThat(report.results().get(3).message()).isEqualTo("Skipped: AUTHENTICATION failed");
        assertThat(report.results().get(4).duration()).isZero();
        assertThat(report.firstFailure()).map(CheckResult::kind).contains(CheckKind.AUTHENTICATION);
    }

    @Test
    void aConnectorExceptionBecomesAFailureWithItsMessageAndRemediation() {
        CheckReport report = new ConnectionTester().run(connector(
                check(CheckKind.NETWORK_REACHABILITY, 3, () -> {
                    throw new ConnectorException(ErrorKind.UNREACHABLE, "The host api-x.invalid does not resolve",
                            "Check the base URL");
                }),
                passing(CheckKind.TLS_HANDSHAKE, 1)), config, context);

        CheckResult first = report.results().get(0);
        assertThat(first.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(first.message()).isEqualTo("The host api-x.invalid does not resolve");
        assertThat(first.remediation()).contains("Check the base URL");
        assertThat(first.duration()).isEqualTo(Duration.ofMillis(3));
        assertThat(report.results().get(1).status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(report.results().get(1).message()).isEqualTo("Skipped: NETWORK_REACHABILITY failed");
    }

    @Test
    void anyOtherExceptionIsAnUnexpectedFailureNamingItsClass() {
        CheckReport report = new ConnectionTester().run(connector(
                check(CheckKind.DATA_FETCH, 0, () -> {
                    throw new IllegalStateException("no endpoints field");
                })), config, context);

        CheckResult result = report.results().get(0);
        assertThat(result.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(result.message())
                .isEqualTo("Check DATA_FETCH failed unexpectedly: java.lang.IllegalStateException: no endpoints field");
        assertThat(result.remediation()).contains(
                "This is a defect in connector test-vendor; report it with the connector's version and this message");
    }

    @Test
    void aResultForAnotherKindIsAnInternalFailure() {
        CheckReport report = new ConnectionTester().run(connector(
                check(CheckKind.TLS_HANDSHAKE, 0, () -> CheckResult.passed(CheckKind.DATA_FETCH, "looks fine")),
                check(CheckKind.AUTHENTICATION, 0, () -> null)), config, context);

        assertThat(report.results().get(0).status()).isEqualTo(CheckStatus.FAILED);
        assertThat(report.results().get(0).kind()).isEqualTo(CheckKind.TLS_HANDSHAKE);
        assertThat(report.results().get(0).message())
                .isEqualTo("Internal error (INTERNAL): check TLS_HANDSHAKE returned a result for DATA_FETCH");
        assertThat(report.results().get(1).status()).isEqualTo(CheckStatus.SKIPPED);
    }

    @Test
    void aCancelledTestSkipsTheRemainingChecks() {
        CheckReport report = new ConnectionTester().run(connector(
                check(CheckKind.NETWORK_REACHABILITY, 0, () -> {
                    cancellation.cancel();
                    return CheckResult.passed(CheckKind.NETWORK_REACHABILITY, "ok");
                }),
                passing(CheckKind.TLS_HANDSHAKE, 0)), config, context);

        assertThat(report.results().get(1).status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(report.results().get(1).message()).isEqualTo("Skipped: the connection test was cancelled");
        assertThat(report.allPassed()).isFalse();
    }

    @Test
    void theContextLendsTransportsSharingTheRunsMetricsAndSecrets() {
        server.stubFor(WireMock.get("/s3cret/x").willReturn(okJson("{}")));
        var transport = context.http(HttpSettings.builder("k").maxRequestsPerSecond(100).build());

        var response = transport.send(new HttpTransport.Request("GET",
                URI.create(server.baseUrl() + "/s3cret/x"), Map.of(), new byte[0]));

        assertThat(response.status()).isEqualTo(200);
        assertThat(metrics.get("http.requests")).isEqualTo(1);
        assertThat(context.instanceName()).isEqualTo("tenant-eu");
        assertThat(context.clock()).isSameAs(time);
        assertThat(context.cancellation()).isSameAs(cancellation);
        assertThat(transport.toString()).doesNotContain("s3cret");
    }

    private static Connector connector(ConnectionCheck... checks) {
        return new Connector() {
            @Override
            public ConnectorDescriptor descriptor() {
                return new ConnectorDescriptor("test-vendor", "Test", "Test Product", "Testing", "1.0.0",
                        List.of("hosts"), "REST API", "Unidirectional", Set.of());
            }

            @Override
            public ConfigSpec configSpec() {
                return ConfigSpec.of();
            }

            @Override
            public List<ConnectionCheck> connectionChecks() {
                return List.of(checks);
            }

            @Override
            public List<StreamSpec> streams() {
                return List.of();
            }

            @Override
            public StreamReader open(ConnectorConfig c, ConnectorContext ctx) {
                throw new UnsupportedOperationException();
            }
        };
    }

}
