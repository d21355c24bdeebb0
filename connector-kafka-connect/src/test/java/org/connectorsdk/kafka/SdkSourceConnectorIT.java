package org.connectorsdk.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConfigValueInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector on a real Connect cluster: one KRaft broker and two distributed workers that
 * load it from the packaged plugin directory with {@code plugin.discovery=service_load}, against
 * the simulated Cortex XDR tenant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkSourceConnectorIT {
    static final String CONNECTOR_CLASS = "org.connectorsdk.kafka.SdkSourceConnector";
    private static final String KEY = "it-key-" + UUID.randomUUID();

    @TempDir
    static Path dir;

    private CortexXdrSimulator tenant;
    private EmbeddedConnectCluster connect;
    private Path caFile;

    @BeforeAll
    void start() throws IOException {
        tenant = CortexXdrSimulator.builder().endpoints(30).incidents(12).seed(7).standardKey("1", KEY).start();
        caFile = Files.writeString(dir.resolve("ca.pem"), tenant.caCertificatePem());
        connect = ConnectClusters.start("sdk-it", dir);
    }

    @AfterAll
    void stop() {
        if (connect != null) {
            connect.stop();
        }
        if (tenant != null) {
            tenant.close();
        }
    }

    private Map<String, String> config(String name) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", CONNECTOR_CLASS);
        c.put("name", name);
        c.put("tasks.max", "3");
        c.put("sdk.connector", "cortex-xdr");
        c.put("sdk.instance", name);
        c.put("topic.prefix", name);
        c.put("sdk.config.baseUrl", tenant.baseUrl());
        c.put("sdk.config.apiKey", KEY);
        c.put("sdk.config.apiKeyId", "1");
        c.put("sdk.config.securityLevel", "standard");
        c.put("sdk.config.caCertificate", "file:" + caFile);
        return c;
    }

    private static Map<String, List<String>> errors(ConfigInfos infos) {
        return infos.configs().stream().map(i -> i.configValue()).filter(v -> !v.errors().isEmpty())
                .collect(Collectors.toMap(ConfigValueInfo::name, ConfigValueInfo::errors));
    }

    @Test
    void validateAcceptsAWorkingTenant() {
        ConfigInfos infos = connect.validateConnectorConfig(CONNECTOR_CLASS, config("tenant-ok"));
        assertThat(errors(infos)).isEmpty();
        assertThat(infos.configs()).anySatisfy(i -> {
            assertThat(i.configKey().name()).isEqualTo("sdk.config.apiKey");
            assertThat(i.configKey().type()).isEqualTo("PASSWORD");
            assertThat(i.configValue().value()).isNotEqualTo(KEY);
        });
    }

    @Test
    void validateReportsAnUnreachableHostOnTheBaseUrlWithRemediation() {
        Map<String, String> c = config("tenant-bad-url");
        c.put("sdk.config.baseUrl", "https://127.0.0.1:1");
        Map<String, List<String>> errors = errors(connect.validateConnectorConfig(CONNECTOR_CLASS, c));
        assertThat(errors).containsOnlyKeys("sdk.config.baseUrl");
        assertThat(errors.get("sdk.config.baseUrl")).singleElement().asString()
                .startsWith("NETWORK_REACHABILITY check failed: ").contains("Remediation: ");
    }

    @Test
    void validateReportsARejectedKeyOnTheApiKeyWithRemediationAndWithoutTheKey() throws IOException {
        Map<String, String> c = config("tenant-bad-key");
        String wrong = "wrong-" + UUID.randomUUID();
        c.put("sdk.config.apiKey", wrong);
        ConfigInfos infos = connect.validateConnectorConfig(CONNECTOR_CLASS, c);
        Map<String, List<String>> errors = errors(infos);
        assertThat(errors).containsOnlyKeys("sdk.config.apiKey");
        assertThat(errors.get("sdk.config.apiKey")).singleElement().asString()
                .startsWith("AUTHENTICATION check failed: ").contains("Remediation: ");
        assertThat(infos.toString()).doesNotContain(wrong);
        assertThat(Files.readString(Path.of("target", "kafka-connect-it.log"))).doesNotContain(wrong);
    }

    @Test
    void aKeyFromAFileConfigProviderNeverAppearsInTheRestConfigTaskTracesOrLogs() throws Exception {
        String name = "tenant-file-key";
        Path secrets = dir.resolve("xdr-secrets.properties");
        Files.writeString(secrets, "apiKey=" + KEY + "\n");
        Map<String, String> c = config(name);
        c.put("sdk.config.apiKey", "${file:" + secrets + ":apiKey}");
        c.put("sdk.streams", "assets");
        c.put("topic.creation.default.replication.factor", "1");
        c.put("topic.creation.default.partitions", "1");
        connect.configureConnector(name, c);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "the task runs with the file's key");
        // the key was read from the file: the task's runs got past the tenant's authentication
        assertThat(connect.kafka().consume(30, 60_000, name + ".assets").count()).isEqualTo(30);

        // a rotated file with a wrong key: the restarted task fails its authentication check
        String wrong = "wrong-" + UUID.randomUUID();
        Files.writeString(secrets, "apiKey=" + wrong + "\n");
        connect.restartTask(name, 0);
        connect.assertions().assertConnectorIsRunningAndTasksHaveFailed(name, 1, "the task fails on the wrong key");
        String trace = connect.connectorStatus(name).tasks().get(0).trace();
        assertThat(trace).contains("AUTHENTICATION").contains("Remediation: ");

        String restConfig = String.valueOf(connect.requestGet(connect.endpointForResource("connectors/" + name
                + "/config")).getEntity());
        assertThat(restConfig).contains("${file:" + secrets + ":apiKey}");
        String tasks = connect.taskConfigs(name).toString();
        String log = Files.readString(Path.of("target", "kafka-connect-it.log"));
        for (String secret : List.of(KEY, wrong)) {
            assertThat(restConfig).as("GET /connectors/%s/config", name).doesNotContain(secret);
            assertThat(tasks).as("the task configs").doesNotContain(secret);
            assertThat(trace).as("the task trace").doesNotContain(secret);
            assertThat(log).as("the worker's log").doesNotContain(secret);
        }
        connect.deleteConnector(name);
    }

    @Test
    void validateReportsAnUnknownStreamOnSdkStreams() {
        Map<String, String> c = config("tenant-bad-streams");
        c.put("sdk.streams", "assets,vulnerabilities,alerts");
        Map<String, List<String>> errors = errors(connect.validateConnectorConfig(CONNECTOR_CLASS, c));
        assertThat(errors).containsOnlyKeys("sdk.streams");
        assertThat(errors.get("sdk.streams")).containsExactly(
                "names stream 'vulnerabilities', which the connector does not have; its streams are "
                        + "[assets, incidents, alerts, software]",
                "names stream 'alerts', which the instance config does not select; it selects [assets]: select it "
                        + "with the sdk.config fields of cortex-xdr, or leave it out");
    }

    @Test
    void validateReportsConfigSpecProblemsOnTheirFields() {
        Map<String, String> c = config("tenant-bad-fields");
        c.put("sdk.config.baseUrl", "http://127.0.0.1:1");
        c.remove("sdk.config.apiKeyId");
        c.put("sdk.config.colour", "blue");
        Map<String, List<String>> errors = errors(connect.validateConnectorConfig(CONNECTOR_CLASS, c));
        assertThat(errors).containsOnlyKeys("sdk.config.baseUrl", "sdk.config.apiKeyId", "sdk.config.colour");
        assertThat(errors.get("sdk.config.baseUrl")).singleElement().asString().contains("must start with https://");
        assertThat(errors.get("sdk.config.apiKeyId")).singleElement().asString().startsWith("is required");
    }
}
