package org.connectorsdk.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.TenantFault;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The task on a real Connect cluster (one KRaft broker, two distributed workers with exactly-once
 * source support) against simulated Cortex XDR tenants: what lands in the topics is what the
 * JSON Lines sink writes for the same tenant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkSourceTaskIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    static Path dir;

    private final List<CortexXdrSimulator> tenants = new ArrayList<>();
    private EmbeddedConnectCluster connect;

    @BeforeAll
    void start() {
        connect = ConnectClusters.start("sdk-task-it", dir);
    }

    @AfterAll
    void stop() {
        if (connect != null) {
            connect.stop();
        }
        tenants.forEach(CortexXdrSimulator::close);
    }

    private record Tenant(CortexXdrSimulator simulator, String key, Path ca) {
    }

    private Tenant tenant(int endpoints, int incidents) throws IOException {
        String key = "it-key-" + UUID.randomUUID();
        CortexXdrSimulator s = CortexXdrSimulator.builder().endpoints(endpoints).incidents(incidents).seed(11)
                .standardKey("1", key).start();
        tenants.add(s);
        return new Tenant(s, key, Files.writeString(Files.createTempFile(dir, "ca", ".pem"), s.caCertificatePem()));
    }

    private static Map<String, Object> sdkConfig(Tenant t) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("baseUrl", t.simulator().baseUrl());
        c.put("apiKey", t.key());
        c.put("apiKeyId", "1");
        c.put("securityLevel", "standard");
        c.put("caCertificate", "file:" + t.ca());
        c.put("events", List.of("incidents"));
        return c;
    }

    private static Map<String, String> connectConfig(String name, Map<String, Object> sdk) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", SdkSourceConnectorIT.CONNECTOR_CLASS);
        c.put("tasks.max", "1");
        c.put("exactly.once.support", "required");
        c.put("transaction.boundary", "connector");
        // Connect creates each stream's topic (KIP-158); the test broker creates none by itself
        c.put("topic.creation.default.replication.factor", "1");
        c.put("topic.creation.default.partitions", "1");
        c.put("sdk.connector", "cortex-xdr");
        c.put("sdk.instance", name);
        c.put("topic.prefix", name);
        sdk.forEach((k, v) -> c.put("sdk.config." + k,
                v instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                        : String.valueOf(v)));
        return c;
    }

    /** What the JSON Lines sink writes for the tenant, by stream (the reference the topics must equal). */
    private static Map<String, Set<JsonNode>> jsonLinesRecords(String name, Map<String, Object> sdk)
            throws IOException {
        Path out = Files.createTempDirectory(dir, "jsonl");
        try (ConnectorRuntime runtime = ConnectorRuntime.builder().sink(new JsonLinesSink(out))
                .stateStore(FileStateStore.open(out.resolve("state"))).build()) {
            runtime.register(new InstanceDefinition("cortex-xdr", name, "", sdk, Optional.empty()));
            assertThat(runtime.runNow(name).error()).isEmpty();
        }
        Map<String, Set<JsonNode>> byStream = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(out.resolve(name))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                String stream = f.getFileName().toString().replace(".jsonl", "");
                Set<JsonNode> records = byStream.computeIfAbsent(stream, s -> new HashSet<>());
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    records.add(JSON.readTree(line));
                }
            }
        }
        byStream.values().removeIf(Set::isEmpty);
        return byStream;
    }

    /** At least {@code count} committed records of {@code topic}, as a read_committed consumer sees them. */
    private List<JsonNode> committed(String topic, int count) throws IOException {
        Map<String, Object> props = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        List<JsonNode> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume(count, WAIT.toMillis(), props, topic)) {
            values.add(JSON.readTree(r.value()));
        }
        return values;
    }

    /** Every committed record of {@code topic} (one partition), as a read_committed consumer sees them now. */
    private List<ConsumerRecord<byte[], byte[]>> allCommitted(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        Map<String, Object> props = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumer(props)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The committed records of {@code topic} once there are at least {@code count}. */
    private List<ConsumerRecord<byte[], byte[]>> awaitCommitted(String topic, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<ConsumerRecord<byte[], byte[]>> records = List.of();
        while (System.nanoTime() < deadline) {
            records = connect.kafka().describeTopics(topic).get(topic).isPresent() ? allCommitted(topic) : List.of();
            if (records.size() >= count) {
                return records;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Topic " + topic + " held " + records.size() + " committed records after " + WAIT
                + ", not " + count);
    }

    private static JsonNode value(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader("sdk.run").value(), StandardCharsets.UTF_8);
    }

    private static String identity(JsonNode record) {
        JsonNode meta = record.get("_meta");
        return meta.get("stream") + "|" + meta.get("key") + "|" + meta.get("version");
    }

    @Test
    void theTopicsHoldExactlyTheRecordsTheJsonLinesSinkWrites() throws Exception {
        Tenant t = tenant(40, 15);
        String name = "tenant-same";
        Map<String, Set<JsonNode>> expected = jsonLinesRecords(name, sdkConfig(t));
        assertThat(expected).containsKeys("assets", "incidents");

        connect.configureConnector(name, connectConfig(name, sdkConfig(t)));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "the task runs");

        for (Map.Entry<String, Set<JsonNode>> e : expected.entrySet()) {
            List<JsonNode> values = committed(name + "." + e.getKey(), e.getValue().size());
            assertThat(values).as("topic %s.%s", name, e.getKey()).hasSize(e.getValue().size());
            assertThat(new HashSet<>(values)).isEqualTo(e.getValue());
        }
        connect.deleteConnector(name);
    }

    @Test
    void changedAndAddedIncidentsAppearOnceOnTheNextPollAlsoAfterTheTaskRestarts() throws Exception {
        Tenant t = tenant(5, 20);
        String name = "tenant-delta";
        Map<String, String> c = connectConfig(name, sdkConfig(t));
        // incidents alone, every 2 seconds: each poll reads the default 5 minutes of overlap
        // again, so everything below is read by several polls and must be delivered by one
        c.put("sdk.streams", "incidents");
        c.put("sdk.poll.interval.incidents", "PT2S");
        c.put("sdk.delta.settle", "PT1S");
        // the first read reaches back over the week the simulator spreads its incidents on
        c.put("sdk.config.eventLookback", "P8D");
        connect.configureConnector(name, c);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "the task runs");
        String topic = name + ".incidents";
        List<ConsumerRecord<byte[], byte[]>> initial = awaitCommitted(topic, 20);
        assertThat(connect.kafka().describeTopics(name + ".assets").get(name + ".assets")).as("sdk.streams")
                .isEmpty();

        Instant at = Instant.now();
        Set<String> changed = new TreeSet<>(t.simulator().modifyIncidents(3, at));
        changed.addAll(t.simulator().addIncidents(2, at));
        List<ConsumerRecord<byte[], byte[]>> delta = awaitCommitted(topic, 25).subList(initial.size(),
                initial.size() + 5);
        assertThat(delta).extracting(r -> value(r).at("/_meta/key/0").asText())
                .containsExactlyInAnyOrderElementsOf(changed);
        assertThat(delta).as("one poll delivers them").extracting(SdkSourceTaskIT::run).containsOnly(run(delta.get(0)))
                .doesNotContainAnyElementsOf(initial.stream().map(SdkSourceTaskIT::run).toList());

        // a restarted task reads its cursors back from Connect's offsets; the poll that delivers a
        // later change reads the changes above again, and skips them
        connect.restartConnectorAndTasks(name, false, true, false);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "the task runs again");
        String later = t.simulator().addIncidents(1, Instant.now()).get(0);
        List<ConsumerRecord<byte[], byte[]>> all = awaitCommitted(topic, 26);
        assertThat(value(all.get(all.size() - 1)).at("/_meta/key/0").asText()).isEqualTo(later);
        assertThat(all).as("every record version once").hasSize(26);
        assertThat(all.stream().map(r -> identity(value(r))).distinct()).hasSize(26);
        connect.deleteConnector(name);
    }

    @Test
    void eachStreamIsPolledOnItsOwnIntervalIncidentsOftenWhileAssetsWaitForTheirDay() throws Exception {
        Tenant t = tenant(6, 4);
        String name = "tenant-intervals";
        Map<String, Object> sdk = sdkConfig(t);
        sdk.put("dataToSync", "assets");
        Map<String, String> c = connectConfig(name, sdk);
        // incidents every 2 seconds; assets keep their own interval, a day
        c.put("sdk.poll.interval.incidents", "PT2S");
        connect.configureConnector(name, c);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "the task runs");
        String assetsTopic = name + ".assets";
        List<ConsumerRecord<byte[], byte[]>> firstAssets = awaitCommitted(assetsTopic, 6);
        CortexXdrSimulator tenant = t.simulator();
        long endpointRequests = tenant.requestCount(CortexXdrSimulator.GET_ENDPOINT);
        long incidentRequests = tenant.requestCount(CortexXdrSimulator.GET_INCIDENTS);

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (tenant.requestCount(CortexXdrSimulator.GET_INCIDENTS) < incidentRequests + 3
                && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(tenant.requestCount(CortexXdrSimulator.GET_INCIDENTS)).as("incidents polled again and again")
                .isGreaterThanOrEqualTo(incidentRequests + 3);
        assertThat(tenant.requestCount(CortexXdrSimulator.GET_ENDPOINT)).as("assets not read again")
                .isEqualTo(endpointRequests);
        assertThat(allCommitted(assetsTopic)).as("the assets of the first run alone").hasSize(6)
                .extracting(SdkSourceTaskIT::run).containsOnly(run(firstAssets.get(0)));
        connect.deleteConnector(name);
    }

    @Test
    void aWorkerStoppedMidRunMovesTheTaskAndReadCommittedSeesEveryRecordOnce() throws Exception {
        Tenant t = tenant(400, 40);
        String name = "tenant-eos";
        Map<String, Set<JsonNode>> expected = jsonLinesRecords(name, sdkConfig(t));
        // every page after the first is slow, so the first run is still open when its worker stops
        t.simulator().faults().onAnyPath().fromRequest(2).respond(TenantFault.delay(Duration.ofMillis(400)));

        connect.configureConnector(name, connectConfig(name, sdkConfig(t)));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "the task runs");
        String first = expected.keySet().iterator().next();
        connect.kafka().consume(1, WAIT.toMillis(), Map.of(ConsumerConfig.GROUP_ID_CONFIG, "it-uncommitted"),
                name + "." + first);
        String workerUrl = connect.connectorStatus(name).tasks().get(0).workerId();
        WorkerHandle running = connect.workers().stream().filter(w -> w.url().toString().contains(workerUrl))
                .findFirst().orElseThrow();
        connect.removeWorker(running);
        t.simulator().faults().clear();
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "the task moved");

        for (Map.Entry<String, Set<JsonNode>> e : expected.entrySet()) {
            List<JsonNode> values = committed(name + "." + e.getKey(), e.getValue().size());
            assertThat(values.stream().map(SdkSourceTaskIT::identity).distinct().count())
                    .as("each record of %s once", e.getKey()).isEqualTo(values.size());
            assertThat(new HashSet<>(values)).isEqualTo(e.getValue());
        }
        connect.addWorker();
        connect.deleteConnector(name);
    }
}
