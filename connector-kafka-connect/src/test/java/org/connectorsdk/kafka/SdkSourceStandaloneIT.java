package org.connectorsdk.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectStandalone;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The connector on a standalone worker (Kafka's {@code ConnectStandalone}, as
 * {@code connect-standalone.sh worker.properties connector.properties} starts it) that loads it
 * from the packaged plugin directory: at-least-once, offsets in a local file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkSourceStandaloneIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "it-key-" + UUID.randomUUID();
    private static final int ENDPOINTS = 25;

    @TempDir
    static Path dir;

    private CortexXdrSimulator tenant;
    private EmbeddedConnectStandalone connect;

    @BeforeAll
    void start() throws IOException {
        tenant = CortexXdrSimulator.builder().endpoints(ENDPOINTS).seed(5).standardKey("1", KEY).start();
        Path ca = Files.writeString(dir.resolve("ca.pem"), tenant.caCertificatePem());
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.path", System.getProperty("connect.plugin.path"));
        worker.put("plugin.discovery", "service_load");
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter.schemas.enable", "false");
        worker.put("offset.flush.interval.ms", "1000");
        Map<String, String> connector = new HashMap<>();
        connector.put("name", "tenant-standalone");
        connector.put("connector.class", SdkSourceConnectorIT.CONNECTOR_CLASS);
        connector.put("tasks.max", "1");
        connector.put("topic.creation.default.replication.factor", "1");
        connector.put("topic.creation.default.partitions", "1");
        connector.put("sdk.connector", "cortex-xdr");
        connector.put("sdk.instance", "tenant-standalone");
        connector.put("topic.prefix", "standalone");
        connector.put("sdk.config.baseUrl", tenant.baseUrl());
        connector.put("sdk.config.apiKey", KEY);
        connector.put("sdk.config.apiKeyId", "1");
        connector.put("sdk.config.securityLevel", "standard");
        connector.put("sdk.config.caCertificate", "file:" + ca);
        Properties broker = new Properties();
        broker.put("num.partitions", "1");
        broker.put("offsets.topic.replication.factor", "1");
        broker.put("offsets.topic.num.partitions", "1");
        connect = new EmbeddedConnectStandalone.Builder().offsetsFile(dir.resolve("offsets").toString())
                .withCommandLineConnector(connector).numBrokers(1).brokerProps(broker).workerProps(worker).build();
        connect.start();
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

    @Test
    void theConnectorGivenOnTheCommandLineWritesEveryEndpointToThePrefixedAssetsTopic() throws Exception {
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("tenant-standalone", 1, "the task runs");
        Set<String> endpoints = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume(ENDPOINTS, 120_000, "standalone.assets")) {
            JsonNode value = JSON.readTree(r.value());
            assertThat(value.at("/_meta/instance").asText()).isEqualTo("tenant-standalone");
            endpoints.add(value.at("/_meta/key/0").asText());
        }
        assertThat(endpoints).isEqualTo(new HashSet<>(tenant.endpointIds()));
    }
}
