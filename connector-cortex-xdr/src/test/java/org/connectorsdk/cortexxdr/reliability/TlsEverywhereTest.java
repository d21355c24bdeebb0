package org.connectorsdk.cortexxdr.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.cortexxdr.CortexXdrConnector;
import org.connectorsdk.cortexxdr.RuntimeContexts;

/**
 * TLS verification is always on, in the connection check and in the page reads of a sync
 * alike: an untrusted certificate and a certificate for another host fail the handshake, and
 * the server never sees a request (so never the key).
 */
class TlsEverywhereTest {
    static final String KEY = "tls-test-key-0123456789abcdef";

    private final CortexXdrConnector connector = new CortexXdrConnector();

    private static String resource(String name) {
        try (InputStream in = TlsEverywhereTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ConnectorConfig untrusting(String baseUrl) {
        Map<String, Object> raw = Configs.raw(baseUrl, KEY);
        raw.remove("caCertificate");
        return Configs.bind(raw);
    }

    private static ConnectorConfig trustingTestCa(String baseUrl) {
        Map<String, Object> raw = Configs.raw(baseUrl, KEY);
        raw.put("caCertificate", resource("/tls/ca.pem"));
        return Configs.bind(raw);
    }

    private void assertReadFailsTls(ConnectorConfig config, String... messageParts) {
        try (StreamReader reader = connector.open(config,
                RuntimeContexts.context("tls", List.of(KEY), Clock.systemUTC()))) {
            assertThatThrownBy(() -> reader.read(PageRequest.first(CortexXdrConnector.ASSETS)))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.TLS);
                        assertThat(e.getMessage()).contains(messageParts).doesNotContain(KEY);
                        assertThat(e.remediation()).isPresent();
                    });
        }
    }

    private CheckResult failedCheck(ConnectorConfig config) {
        CheckReport report = RuntimeContexts.check(connector, config,
                RuntimeContexts.context("tls", List.of(KEY), Clock.systemUTC()));
        return report.firstFailure().orElseThrow(() -> new AssertionError("no failure: " + report));
    }

    @Test
    void anUntrustedCertificateFailsTheReadAndTheCheckAndNoRequestArrives() {
        try (ReplyServer server = new ReplyServer()) {
            server.reply("{\"reply\":{\"endpoints\":[],\"total_count\":0}}".getBytes(StandardCharsets.UTF_8));
            assertReadFailsTls(untrusting(server.baseUrl()), "127.0.0.1");
            assertThat(failedCheck(untrusting(server.baseUrl())).kind()).isEqualTo(CheckKind.TLS_HANDSHAKE);
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void aCertificateForAnotherHostFailsTheReadAndTheCheckAndNoRequestArrives() {
        try (ReplyServer server = new ReplyServer(TlsEverywhereTest.class.getResource("/tls/wrong-host.p12"),
                "changeit")) {
            server.reply("{\"reply\":{\"endpoints\":[],\"total_count\":0}}".getBytes(StandardCharsets.UTF_8));
            assertReadFailsTls(trustingTestCa(server.baseUrl()), "127.0.0.1");
            assertThat(failedCheck(trustingTestCa(server.baseUrl())).kind()).isEqualTo(CheckKind.TLS_HANDSHAKE);
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void anExpiredCertificateFailsTheReadAndNoRequestArrives() {
        try (ReplyServer server = new ReplyServer(TlsEverywhereTest.class.getResource("/tls/expired.p12"),
                "changeit")) {
            assertReadFailsTls(trustingTestCa(server.baseUrl()), "127.0.0.1");
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void theSameServerIsReadOnceItsCaIsTrusted() {
        // the control: the failures above are about trust, not about the server
        try (ReplyServer server = new ReplyServer()) {
            server.reply("{\"reply\":{\"endpoints\":[{\"endpoint_id\":\"a1\"}],\"total_count\":1}}"
                    .getBytes(StandardCharsets.UTF_8));
            try (StreamReader reader = connector.open(Configs.config(server.baseUrl(), KEY),
                    RuntimeContexts.context("tls", List.of(KEY), Clock.systemUTC()))) {
                assertThat(reader.read(PageRequest.first(CortexXdrConnector.ASSETS)).records()).hasSize(1);
            }
        }
    }
}
