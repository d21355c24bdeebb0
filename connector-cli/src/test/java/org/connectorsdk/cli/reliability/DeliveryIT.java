package org.connectorsdk.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.JsonLinesSink;

/**
 * The delivery contract of the packaged CLI ({@code java -jar connectors.jar sync}) against a
 * simulated tenant whose incidents and alerts change between runs: delta runs killed with
 * SIGKILL at seeded random instants, then two clean runs (the first may resume a killed run),
 * publish every record version exactly once; and an update that widens a stream says so in one
 * line.
 */
class DeliveryIT {
    static final String KEY = "delivery-it-key-5a4b3c2d1e0f9a8b";
    static final int KILLS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private CortexXdrSimulator tenant;

    @AfterEach
    void stop() {
        if (tenant != null) {
            tenant.close();
        }
    }

    private void startTenant() throws IOException {
        assertThat(CliProcess.JAR).as("the shaded jar built by 'mvn package'").isRegularFile();
        tenant = CortexXdrSimulator.builder().incidents(30).seed(9).standardKey("1", KEY).start();
        Files.writeString(dir.resolve("key"), KEY);
    }

    private Path instanceFile(String name, List<String> severities) throws IOException {
        ObjectNode instance = JSON.createObjectNode();
        instance.put("connector", "cortex-xdr");
        instance.put("name", name);
        ObjectNode config = instance.putObject("config");
        config.put("baseUrl", tenant.baseUrl());
        config.put("apiKey", "file:" + dir.resolve("key"));
        config.put("apiKeyId", "1");
        config.put("dataToSync", "none");
        config.putArray("events").add("incidents").add("alerts");
        config.put("eventLookback", "P30D");
        config.put("maxRequestsPerSecond", 10);
        config.put("caCertificate", tenant.caCertificatePem());
        if (!severities.isEmpty()) {
            severities.forEach(config.putArray("incidentSeverityFilter")::add);
        }
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, instance.toPrettyString());
        return file;
    }

    private CliProcess sync(Path instance) throws IOException {
        return CliProcess.start("sync", "--instance", instance.toString(), "--out", dir.resolve("out").toString(),
                "--state", dir.resolve("state").toString());
    }

    private CliProcess syncToTheEnd(Path instance) throws IOException, InterruptedException {
        CliProcess child = sync(instance);
        assertThat(child.waitFor(Duration.ofMinutes(2))).as(child.err()).isZero();
        assertThat(child.err()).doesNotContain(KEY);
        return child;
    }

    /** The tenant modifies 3 incidents and adds 2 (with their alerts), stamped inside the overlap. */
    private void change() {
        Instant at = Instant.now().minusSeconds(90);
        tenant.modifyIncidents(3, at);
        tenant.addIncidents(2, at);
    }

    @Test
    void fiftySigkillsAcrossDeltaRunsThenACleanRunPublishEveryVersionExactlyOnce() throws Exception {
        startTenant();
        Path instance = instanceFile("delivery", List.of());
        long t0 = System.nanoTime();
        syncToTheEnd(instance);
        long runNanos = System.nanoTime() - t0;
        System.out.println("a clean run takes " + Duration.ofNanos(runNanos));

        // kill instants spread over a run's duration, from the JVM's start to past the publish
        Random random = new Random(20261205L);
        int killedRunning = 0;
        for (int i = 0; i < KILLS; i++) {
            if (i % 2 == 0) {
                change();
            }
            CliProcess child = sync(instance);
            Thread.sleep(Duration.ofNanos((long) (random.nextDouble() * runNanos)).toMillis());
            if (child.kill()) {
                killedRunning++;
            }
            assertThat(child.err()).doesNotContain(KEY);
        }
        change();
        syncToTheEnd(instance);
        // that run may have resumed a killed one, whose windows were fixed before the last change:
        // what the tenant changed since is the next run's, inside its overlap
        syncToTheEnd(instance);
        System.out.println(KILLS + " SIGKILLs, " + killedRunning + " of them while the child ran");
        assertThat(killedRunning).as("kills that hit a running child").isGreaterThan(KILLS / 2);

        Map<String, Integer> published = new HashMap<>();
        List<Path> runs = publishedRuns("delivery");
        for (Path run : runs) {
            assertThat(JSON.readTree(run.resolve("summary.json").toFile()).path("state").asText()).isEqualTo("PROCESSED");
            for (String stream : List.of("incidents", "alerts")) {
                Path file = run.resolve(stream + ".jsonl");
                if (Files.exists(file)) {
                    for (String line : Files.readAllLines(file)) {
                        JsonNode meta = JSON.readTree(line).path("_meta");
                        published.merge(meta.path("instance").asText() + "/" + meta.path("stream").asText() + "/"
                                + meta.path("key").path(0).asText() + "@" + meta.path("version").asText(), 1,
                                Integer::sum);
                    }
                }
            }
        }
        assertThat(published).as("record versions published more than once, over %d runs", runs.size())
                .allSatisfy((version, times) -> assertThat(times).as(version).isOne());

        // the truth: each incident's current version and each alert inside the last run's windows
        JsonNode cursors = JSON.readTree(runs.get(runs.size() - 1).resolve(JsonLinesSink.COMMIT_FILE).toFile())
                .path("cursors");
        long incidentsEnd = Instant.parse(cursors.path("incidents").path("watermark").asText()).toEpochMilli();
        long alertsEnd = Instant.parse(cursors.path("alerts").path("watermark").asText()).toEpochMilli();
        Set<String> expected = new HashSet<>();
        for (int i = 1; i <= tenant.incidentCount(); i++) {
            String id = String.valueOf(i);
            long modified = ((Number) tenant.incident(id).get("modification_time")).longValue();
            if (modified < incidentsEnd) {
                expected.add("delivery/incidents/" + id + "@" + modified);
            }
            for (Map<String, Object> alert : tenant.alertsOf(id)) {
                long inserted = ((Number) alert.get("local_insert_ts")).longValue();
                if (inserted < alertsEnd) {
                    expected.add("delivery/alerts/" + alert.get("alert_id") + "@" + inserted);
                }
            }
        }
        assertThat(published.keySet()).as("every current incident version and every alert").containsAll(expected);
    }

    @Test
    void anUpdateThatRemovesAFilterSaysInOneLineThatTheStreamIsReadInFull() throws Exception {
        startTenant();
        syncToTheEnd(instanceFile("reset", List.of("high")));
        String line = "reset: stream incidents: read in full (the incidentSeverityFilter was removed)";

        CliProcess widened = syncToTheEnd(instanceFile("reset", List.of()));
        assertThat(widened.out().lines().filter(l -> l.contains("read in full"))).containsExactly(line);
        CliProcess narrowed = syncToTheEnd(instanceFile("reset", List.of("high", "critical")));
        assertThat(narrowed.out()).doesNotContain("read in full");
    }

    private List<Path> publishedRuns(String instance) throws IOException {
        try (Stream<Path> runs = Files.list(dir.resolve("out").resolve(instance))) {
            return runs.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }
}
