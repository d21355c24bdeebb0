package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.junit.jupiter.api.Test;

import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.CheckStatus;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;

/** The network and TLS checks against real sockets and real TLS servers on 127.0.0.1. */
class RealTlsChecksTest {
    private final CortexXdrConnector connector = new CortexXdrConnector();

    private CheckReport check(String baseUrl, String caPem) {
        Map<String, Object> raw = TestConfigs.raw(baseUrl);
        if (caPem != null) {
            raw.put("caCertificate", caPem);
        }
        ConnectorConfig config = TestConfigs.config(raw);
        return RuntimeContexts.check(connector, config,
                RuntimeContexts.context("tls", List.of(TestConfigs.KEY), Clock.systemUTC()));
    }

    private static String testCa() {
        return resource("/tls/ca.pem");
    }

    private static String resource(String name) {
        try (InputStream in = RealTlsChecksTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** An HTTPS server on 127.0.0.1 presenting the key store {@code p12}. */
    private static HttpsServer https(String p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = RealTlsChecksTest.class.getResourceAsStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void assertFailedAt(CheckReport report, CheckKind kind) {
        CheckResult failed = report.firstFailure().orElseThrow(() -> new AssertionError("no failure: " + report));
        assertThat(failed.kind()).isEqualTo(kind);
        assertThat(report.results().stream().filter(r -> r.status() == CheckStatus.SKIPPED).count())
                .isEqualTo(4 - kind.ordinal());
    }

    @Test
    void anUntrustedCertificateFailsTheHandshakeCheckPointingAtCaCertificate() {
        try (CortexXdrSimulator sim = SimulatorIntegrationTest.start(1)) {
            CheckReport report = check(sim.baseUrl(), null);
            assertFailedAt(report, CheckKind.TLS_HANDSHAKE);
            CheckResult tls = report.results().get(1);
            assertThat(tls.message()).isEqualTo("The TLS certificate of 127.0.0.1:" + sim.port()
                    + " is not issued by a trusted certificate authority"
                    + " (unable to find valid certification path to requested target)");
            assertThat(tls.remediation().orElseThrow()).contains("caCertificate", "private CA");
        }
    }

    @Test
    void aCertificateForAnotherHostFailsTheHandshakeCheck() throws Exception {
        HttpsServer server = https("/tls/wrong-host.p12");
        try {
            int port = server.getAddress().getPort();
            CheckReport report = check("https://127.0.0.1:" + port, testCa());
            assertFailedAt(report, CheckKind.TLS_HANDSHAKE);
            CheckResult tls = report.results().get(1);
            assertThat(tls.message()).startsWith("The TLS certificate of 127.0.0.1:" + port
                    + " is not issued for that host name");
            assertThat(tls.remediation().orElseThrow()).startsWith("Use the tenant's API host name exactly");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anExpiredCertificateFailsTheHandshakeCheck() throws Exception {
        HttpsServer server = https("/tls/expired.p12");
        try {
            int port = server.getAddress().getPort();
            CheckReport report = check("https://127.0.0.1:" + port, testCa());
            assertFailedAt(report, CheckKind.TLS_HANDSHAKE);
            assertThat(report.results().get(1).message()).contains("has expired or is not yet valid");
            assertThat(report.results().get(1).remediation().orElseThrow()).startsWith("Check this host's clock");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aPortThatDoesNotSpeakTlsFailsWithAProtocolMessage() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!plain.isClosed()) {
                    try (Socket s = plain.accept(); OutputStream out = s.getOutputStream()) {
                        out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            CheckReport report = check("https://127.0.0.1:" + plain.getLocalPort(), testCa());
            assertFailedAt(report, CheckKind.TLS_HANDSHAKE);
            assertThat(report.results().get(1).remediation().orElseThrow())
                    .startsWith("Check that the Base URL's port serves HTTPS");
        }
    }

    @Test
    void aRefusedConnectionFailsReachabilityAndSkipsTheRest() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CheckReport report = check("https://127.0.0.1:" + port, null);
        assertFailedAt(report, CheckKind.NETWORK_REACHABILITY);
        assertThat(report.results().get(0).message()).isEqualTo("127.0.0.1 (127.0.0.1) refused the connection on"
                + " port " + port);
        assertThat(report.results().get(0).remediation()).hasValue(Remediation.CONNECTION);
    }

    @Test
    void anUnknownHostFailsReachabilityWithTheDnsMessage() {
        CheckReport report = check("https://api-nobody.invalid", null);
        assertFailedAt(report, CheckKind.NETWORK_REACHABILITY);
        assertThat(report.results().get(0).message())
                .isEqualTo("The host name api-nobody.invalid does not resolve (DNS lookup failed)");
        assertThat(report.results().get(0).remediation()).hasValue(Remediation.CONNECTION);
    }
}
