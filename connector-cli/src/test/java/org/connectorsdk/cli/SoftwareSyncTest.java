package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code connectors sync} with installed software selected, against the simulated tenant. */
class SoftwareSyncTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "software-sync-key-0123456789";

    @TempDir
    Path dir;

    @Test
    void aSyncWithSoftwareSelectedPublishesOneSoftwareRecordPerInventoryRow() throws IOException {
        try (CortexXdrSimulator tenant = CortexXdrSimulator.builder().endpoints(200).seed(21).xqlPendingPolls(0)
                .standardKey("1", KEY).start()) {
            Files.writeString(dir.resolve("key.txt"), KEY);
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("baseUrl", tenant.baseUrl());
            config.put("apiKey", "file:" + dir.resolve("key.txt"));
            config.put("apiKeyId", "1");
            config.put("dataToSync", "assets");
            config.put("software", true);
            config.put("caCertificate", tenant.caCertificatePem());
            Path instance = dir.resolve("tenant-sw.json");
            Files.write(instance, JSON.writeValueAsBytes(Map.of("connector", "cortex-xdr", "name", "tenant-sw",
                    "config", config)));

            ConnectorsCliTest.Result result = ConnectorsCliTest.run("sync", "--instance", instance.toString(),
                    "--out", dir.resolve("out").toString(), "--state", dir.resolve("state").toString());

            assertThat(result.code()).as(result.err()).isZero();
            List<Map<String, Object>> inventory = new ArrayList<>();
            for (int i = 0; i < tenant.endpointCount(); i++) {
                inventory.addAll(tenant.softwareFor(i));
            }
            // more rows than fit inline: the query's result is streamed
            assertThat(inventory).hasSizeGreaterThan(1000);
            List<JsonNode> published = new ArrayList<>(records(dir.resolve("out").resolve("tenant-sw"),
                    "software.jsonl"));
            published.sort(Comparator.comparing((JsonNode r) -> r.path("externalAssetId").asText())
                    .thenComparing(r -> r.path("name").asText()));
            assertThat(published).hasSameSizeAs(inventory);
            for (int i = 0; i < inventory.size(); i++) {
                Map<String, Object> row = inventory.get(i);
                JsonNode record = published.get(i);
                assertThat(record.path("externalAssetId").asText()).as("row %d", i).isEqualTo(row.get("endpoint_id"));
                assertThat(record.path("hostName").asText()).isEqualTo(row.get("endpoint_name"));
                assertThat(record.path("name").asText()).isEqualTo(row.get("application_name"));
                assertThat(record.path("vendor").asText()).isEqualTo(row.get("vendor"));
                assertThat(record.path("version").asText()).isEqualTo(row.get("version"));
                assertThat(Instant.parse(record.path("installedDate").asText()).toEpochMilli())
                        .isEqualTo(((Number) row.get("installation_date")).longValue());
                assertThat(record.path("_meta").path("model").asText()).isEqualTo("software");
            }
            assertThat(records(dir.resolve("out").resolve("tenant-sw"), "assets.jsonl")).hasSize(200);
            assertThat(tenant.requestCount(CortexXdrSimulator.START_XQL_QUERY)).isEqualTo(1);
        }
    }

    private static List<JsonNode> records(Path instanceDir, String file) throws IOException {
        try (Stream<Path> runs = Files.list(instanceDir)) {
            Path run = runs.filter(Files::isDirectory).findFirst().orElseThrow();
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(run.resolve(file))) {
                out.add(JSON.readTree(line));
            }
            return out;
        }
    }
}
