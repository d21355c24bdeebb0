package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;

/** {@code connectors check} against the simulated Cortex XDR tenant. */
class CheckCommandTest {
    private static final String KEY = "cli-standard-key-0123456789";
    private static final String ADVANCED_KEY = "cli-advanced-key-0123456789";
    private static CortexXdrSimulator tenant;

    @TempDir
    Path dir;

    @BeforeAll
    static void startTenant() {
        tenant = CortexXdrSimulator.builder().endpoints(250).seed(3).standardKey("2", KEY)
                .advancedKey("3", ADVANCED_KEY).start();
    }

    @AfterAll
    static void stopTenant() {
        tenant.close();
    }

    private Path instance(String keyId, String key, Map<String, Object> extra) throws IOException {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, tenant.caCertificatePem());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseUrl", tenant.baseUrl());
        config.put("apiKey", key);
        config.put("apiKeyId", keyId);
        config.put("caCertificate", "file:" + ca);
        config.putAll(extra);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("connector", "cortex-xdr");
        doc.put("name", "sim-tenant");
        doc.put("config", config);
        Path file = dir.resolve("instance.json");
        new ObjectMapper().writeValue(file.toFile(), doc);
        return file;
    }

    private static ConnectorsCliTest.Result check(Path file) {
        return ConnectorsCliTest.run("check", "--instance", file.toString());
    }

    @Test
    void fiveChecksPassAgainstTheSimulator() throws IOException {
        ConnectorsCliTest.Result r = check(instance("2", KEY, Map.of()));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).matches("NETWORK_REACHABILITY PASSED \\d+ Connected to 127\\.0\\.0\\.1 .*");
        assertThat(lines.get(1)).matches("TLS_HANDSHAKE PASSED \\d+ .*");
        assertThat(lines.get(2)).matches("AUTHENTICATION PASSED \\d+ Cortex XDR accepted API key ID 2 \\(security"
                + " level standard\\)");
        assertThat(lines.get(3)).matches("AUTHORIZATION_SCOPE PASSED \\d+ API key ID 2 may use get_endpoint, XQL");
        assertThat(lines.get(4)).matches("DATA_FETCH PASSED \\d+ Fetched 100 endpoints from get_endpoint"
                + " \\(total_count 250\\)");
        assertThat(r.out()).doesNotContain(KEY);
    }

    @Test
    void aWrongKeyFailsAuthenticationWithTheRemediationAndTwoSkipped() throws IOException {
        ConnectorsCliTest.Result r = check(instance("2", "wrong-key-0000", Map.of()));
        assertThat(r.code()).isEqualTo(1);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(2)).matches("AUTHENTICATION FAILED \\d+ Cortex XDR rejected API key ID 2 \\(security"
                + " level standard\\): Public API request unauthorized");
        assertThat(lines.get(3)).startsWith("    Verify the Base URL, the API key and the API key ID.");
        assertThat(lines.get(4)).matches("AUTHORIZATION_SCOPE SKIPPED \\d+ .*");
        assertThat(lines.get(5)).matches("DATA_FETCH SKIPPED \\d+ .*");
        assertThat(r.out() + r.err()).doesNotContain("wrong-key-0000");
    }

    @Test
    void anAdvancedKeyConfiguredAsStandardFailsAuthentication() throws IOException {
        ConnectorsCliTest.Result r = check(instance("3", ADVANCED_KEY, Map.of("securityLevel", "standard")));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().lines().toList().get(2)).startsWith("AUTHENTICATION FAILED ");
        assertThat(r.out()).contains("security level must match the configured security level");
    }

    @Test
    void anAdvancedKeyConfiguredAsAdvancedPasses() throws IOException {
        ConnectorsCliTest.Result r = check(instance("3", ADVANCED_KEY, Map.of("securityLevel", "advanced")));
        assertThat(r.code()).as(r.out()).isZero();
    }

    @Test
    void aMissingFileIsBadInput() {
        ConnectorsCliTest.Result r = check(dir.resolve("nope.json"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1).first().asString().contains("nope.json").contains("does not exist");
    }

    @Test
    void invalidJsonIsBadInput() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"connector\": \"cortex-xdr\",");
        ConnectorsCliTest.Result r = check(file);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1).first().asString().contains("is not a valid JSON object");
    }

    @Test
    void anUnknownConnectorIsBadInput() throws IOException {
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"connector\": \"no-such-connector\", \"name\": \"x\", \"config\": {}}");
        ConnectorsCliTest.Result r = check(file);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1).first().asString().contains("Unknown connector 'no-such-connector'");
    }

    @Test
    void anInvalidConfigIsBadInputNamingTheField() throws IOException {
        ConnectorsCliTest.Result r = check(instance("two", KEY, Map.of()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1).first().asString()
                .contains("apiKeyId: must be a number, e.g. 2, got 'two'");
    }
}
