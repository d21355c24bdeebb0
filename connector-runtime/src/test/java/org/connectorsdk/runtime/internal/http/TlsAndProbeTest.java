package org.connectorsdk.runtime.internal.http;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.HttpTransport.Request;
import org.connectorsdk.api.Metrics;
import org.connectorsdk.api.ProbeResult;
import org.connectorsdk.api.ProbeResult.Failure;
import org.connectorsdk.runtime.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

/** TLS trust and the probes, against real servers on 127.0.0.1 with the committed certificates. */
class TlsAndProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private static HttpTransportFactory factory;
    private static HttpTransport trustingTestCa;
    private static HttpTransport jdkTrustOnly;

    @BeforeAll
    static void setUp() {
        factory = new HttpTransportFactory(Clock.systemUTC());
        trustingTestCa = factory.create(HttpSettings.builder("tls-ca").maxRequestsPerSecond(100).maxRetries(0)
                .caCertificatePem(TestTls.caPem()).build(), List.of(), CancellationSignal.NONE, Metrics.NONE);
        jdkTrustOnly = factory.create(HttpSettings.builder("tls-jdk").maxRequestsPerSecond(100).maxRetries(0).build(),
                List.of(), CancellationSignal.NONE, Metrics.NONE);
    }

    @AfterAll
    static void tearDown() {
        factory.close();
    }

    // ------------------------------------------------------------ probeTcp

    @Test
    void tcpProbeConnectsToAListeningPort() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ProbeResult result = trustingTestCa.probeTcp(URI.create("https://127.0.0.1:" + listening.getLocalPort()), TIMEOUT);
            assertThat(result.ok()).isTrue();
            assertThat(result.detail()).isEqualTo("Connected to 127.0.0.1 (127.0.0.1) on port " + listening.getLocalPort());
        }
    }

    @Test
    void tcpProbeReportsARefusedPort() {
        int port = TestTls.unusedPort();
        ProbeResult result = trustingTestCa.probeTcp(URI.create("https://127.0.0.1:" + port + "/public_api/v1"), TIMEOUT);
        assertThat(result.failure()).isEqualTo(Failure.REFUSED);
        assertThat(result.detail()).isEqualTo("127.0.0.1 (127.0.0.1) refused the connection on port " + port);
    }

    @Test
    void tcpProbeReportsAHostThatDoesNotResolve() {
        ProbeResult result = trustingTestCa.probeTcp(URI.create("https://api-nobody.invalid"), TIMEOUT);
        assertThat(result.failure()).isEqualTo(Failure.DNS);
        assertThat(result.detail()).isEqualTo("The host name api-nobody.invalid does not resolve (DNS lookup failed)");
    }

    @Test
    void probesOfAUrlWithoutHostFailWithoutThrowing() {
        assertThat(trustingTestCa.probeTcp(URI.create("https:///public_api"), TIMEOUT))
                .isEqualTo(new ProbeResult(Failure.OTHER, "The URL https:///public_api names no host"));
        assertThat(trustingTestCa.probeTls(URI.create("https:///public_api"), TIMEOUT).failure()).isEqualTo(Failure.OTHER);
    }

    @Test
    void tcpProbeReportsATimeoutWhenTheListenQueueIsFull() throws Exception {
        // a server that never accepts, with its backlog filled: the kernel drops further SYNs
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                ProbeResult result = null;
                for (int i = 0; i < 8 && (result == null || result.ok()); i++) {
                    result = trustingTestCa.probeTcp(URI.create("https://127.0.0.1:" + full.getLocalPort()),
                            Duration.ofMillis(300));
                    Socket filler = new Socket();
                    try {
                        filler.connect(full.getLocalSocketAddress(), 300);
                    } catch (java.io.IOException e) {
                        // the queue is full already
                    }
                    fillers.add(filler);
                }
                assertThat(result.failure()).isEqualTo(Failure.TIMEOUT);
                assertThat(result.detail()).startsWith("No answer from 127.0.0.1 (127.0.0.1) on port "
                        + full.getLocalPort() + " within 300 ms");
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    // ------------------------------------------------------------ probeTls

    @Test
    void tlsProbePassesWithTheConfiguredCa() throws Exception {
        try (TestTls.Server server = new TestTls.Server("localhost")) {
            ProbeResult result = trustingTestCa.probeTls(URI.create("https://localhost:" + server.port()), TIMEOUT);
            assertThat(result.ok()).as(result.detail()).isTrue();
            assertThat(result.detail()).startsWith("TLS handshake with localhost:" + server.port() + " succeeded (TLSv1.3")
                    .contains("certificate CN=localhost issued by CN=Connector SDK Test CA");
        }
    }

    @Test
    void tlsProbeRejectsTheTestCaWhenItIsNotConfigured() throws Exception {
        try (TestTls.Server server = new TestTls.Server("localhost")) {
            ProbeResult result = jdkTrustOnly.probeTls(URI.create("https://localhost:" + server.port()), TIMEOUT);
            assertThat(result.failure()).isEqualTo(Failure.UNTRUSTED_ISSUER);
        }
    }

    @Test
    void tlsProbeReportsAnUntrustedIssuer() throws Exception {
        try (TestTls.Server server = new TestTls.Server("untrusted")) {
            ProbeResult result = trustingTestCa.probeTls(URI.create("https://localhost:" + server.port()), TIMEOUT);
            assertThat(result.failure()).isEqualTo(Failure.UNTRUSTED_ISSUER);
            assertThat(result.detail()).isEqualTo("The TLS certificate of localhost:" + server.port()
                    + " is not issued by a trusted certificate authority "
                    + "(unable to find valid certification path to requested target)");
        }
    }

    @Test
    void tlsProbeReportsAHostNameMismatch() throws Exception {
        try (TestTls.Server server = new TestTls.Server("wrong-host")) {
            ProbeResult result = trustingTestCa.probeTls(URI.create("https://localhost:" + server.port()), TIMEOUT);
            assertThat(result.failure()).isEqualTo(Failure.HOSTNAME_MISMATCH);
            assertThat(result.detail()).isEqualTo("The TLS certificate of localhost:" + server.port()
                    + " is not issued for that host name (No subject alternative DNS name matching localhost found.)");
        }
    }

    @Test
    void tlsProbeReportsAHostNameMismatchForAnIpAddress() throws Exception {
        try (TestTls.Server server = new TestTls.Server("wrong-host")) {
            ProbeResult result = trustingTestCa.probeTls(URI.create("https://127.0.0.1:" + server.port()), TIMEOUT);
            assertThat(result.failure()).isEqualTo(Failure.HOSTNAME_MISMATCH);
        }
    }

    @Test
    void tlsProbeReportsAnExpiredCertificate() throws Exception {
        try (TestTls.Server server = new TestTls.Server("expired")) {
            ProbeResult result = trustingTestCa.probeTls(URI.create("https://localhost:" + server.port()), TIMEOUT);
            assertThat(result.failure()).isEqualTo(Failure.EXPIRED_CERTIFICATE);
            assertThat(result.detail()).startsWith("The TLS certificate of localhost:" + server.port()
                    + " has expired or is not yet valid (");
        }
    }

    @Test
    void tlsProbeReportsAPeerThatDoesNotSpeakTls() throws Exception {
        try (TestTls.PlainServer server = new TestTls.PlainServer()) {
            ProbeResult result = trustingTestCa.probeTls(URI.create("https://localhost:" + server.port()), TIMEOUT);
            assertThat(result.failure()).isEqualTo(Failure.PROTOCOL);
            assertThat(result.detail()).startsWith("The TLS handshake with localhost:" + server.port()
                    + " failed: the server does not speak TLS 1.2 or later on this port");
        }
    }

    @Test
    void tlsProbeReportsARefusedPort() {
        int port = TestTls.unusedPort();
        ProbeResult result = trustingTestCa.probeTls(URI.create("https://127.0.0.1:" + port), TIMEOUT);
        assertThat(result.failure()).isEqualTo(Failure.REFUSED);
    }

    // ------------------------------------------------------------ trust material

    @Test
    void theConfiguredCaIsTrustedOnTopOfTheJdkCas() {
        X509Certificate[] jdk = TrustMaterial.trustManager(Optional.empty()).getAcceptedIssuers();
        X509Certificate[] combined = TrustMaterial.trustManager(Optional.of(TestTls.caPem())).getAcceptedIssuers();

        assertThat(jdk).isNotEmpty();
        assertThat(combined).hasSize(jdk.length + 1).contains(jdk);
        assertThat(combined).anySatisfy(c -> assertThat(c.getSubjectX500Principal().getName())
                .isEqualTo("CN=Connector SDK Test CA"));
    }

    @Test
    void onlyTls12AndLaterAreOfferedWithHostNameVerificationOn() throws Exception {
        SSLParameters parameters = TrustMaterial.sslParameters(SSLContext.getDefault());
        assertThat(parameters.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(parameters.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    }

    @Test
    void theJdkSwitchThatSkipsHostNameVerificationIsRefused() {
        System.setProperty(HttpTransportFactory.JDK_HOSTNAME_SWITCH, "true");
        try {
            assertThatThrownBy(() -> factory.create(HttpSettings.builder("x").build(), List.of(), CancellationSignal.NONE,
                    Metrics.NONE))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                        assertThat(e.getMessage()).isEqualTo("The system property "
                                + "jdk.internal.httpclient.disableHostnameVerification is set, which would switch off "
                                + "TLS host name verification; this runtime never runs without it");
                    });
        } finally {
            System.clearProperty(HttpTransportFactory.JDK_HOSTNAME_SWITCH);
        }
    }

    // ------------------------------------------------------------ requests over TLS

    @Test
    void requestsSucceedOverTlsWithTheConfiguredCa() {
        WireMockServer server = https("localhost");
        try {
            server.stubFor(WireMock.get("/ok").willReturn(ok("secure")));
            HttpTransport.Response response = trustingTestCa.send(get("https://localhost:" + server.httpsPort() + "/ok"));
            assertThat(response.bodyText()).isEqualTo("secure");
        } finally {
            server.stop();
        }
    }

    @Test
    void requestsFailWithTlsErrorsForUntrustedWrongHostAndExpiredCertificates() {
        assertTlsFailure("untrusted", trustingTestCa, "is not issued by a trusted certificate authority");
        assertTlsFailure("localhost", jdkTrustOnly, "is not issued by a trusted certificate authority");
        assertTlsFailure("wrong-host", trustingTestCa, "is not issued for that host name");
        assertTlsFailure("expired", trustingTestCa, "has expired or is not yet valid");
    }

    private static void assertTlsFailure(String keyStore, HttpTransport transport, String expected) {
        WireMockServer server = https(keyStore);
        try {
            server.stubFor(WireMock.get("/ok").willReturn(ok("secure")));
            String url = "https://localhost:" + server.httpsPort() + "/ok";
            assertThatThrownBy(() -> transport.send(get(url)))
                    .as(keyStore)
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.TLS);
                        assertThat(e.getMessage()).startsWith("The TLS certificate of localhost:" + server.httpsPort() + " "
                                + expected);
                        assertThat(e.remediation()).isPresent();
                    });
            assertThat(server.getAllServeEvents()).as("no request may reach a server that failed verification").isEmpty();
        } finally {
            server.stop();
        }
    }

    private static WireMockServer https(String keyStore) {
        WireMockServer server = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .bindAddress("127.0.0.1").keystorePath(TestTls.keyStorePath(keyStore)).keystoreType("PKCS12")
                .keystorePassword(TestTls.PASSWORD).keyManagerPassword(TestTls.PASSWORD));
        server.start();
        return server;
    }

    private static Request get(String url) {
        return new Request("GET", URI.create(url), Map.of(), new byte[0]);
    }
}
