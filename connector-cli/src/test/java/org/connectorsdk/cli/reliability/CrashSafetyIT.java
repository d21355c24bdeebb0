package org.connectorsdk.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.TenantFault;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;

/**
 * Crash safety of {@code connectors sync}, run as a user runs it ({@code java -jar
 * connectors.jar}) against a simulated tenant in this JVM: the child is killed with SIGKILL
 * mid-page, around the commit and around the state writes (each phase observed on its stderr),
 * and after every kill the first run's published output is intact, nothing partial is
 * published, the state store loads, and the next run succeeds with exactly the tenant's records.
 * Every byte the child printed or wrote is searched for the API key and its SHA-256.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashSafetyIT {
    static final String KEY = "crash-safety-key-0d9e8c7b6a5f4e3d";
    static final String INSTANCE = "crash-tenant";
    static final int ENDPOINTS = 2_000;
    static final Path JAR = CliProcess.JAR;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static CortexXdrSimulator tenant;
    static Map<Path, byte[]> firstRun;
    static Path firstRunDir;
    static final StringBuilder EVERYTHING_PRINTED = new StringBuilder();
    static final List<String> PHASES_SEEN = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar built by 'mvn package'").isRegularFile();
        tenant = CortexXdrSimulator.builder().endpoints(ENDPOINTS).seed(5).standardKey("1", KEY).start();
        Files.writeString(dir.resolve("key"), KEY);
        ObjectNode instance = JSON.createObjectNode();
        instance.put("connector", "cortex-xdr");
        instance.put("name", INSTANCE);
        ObjectNode config = instance.putObject("config");
        config.put("baseUrl", tenant.baseUrl());
        config.put("apiKey", "file:" + dir.resolve("key"));
        config.put("apiKeyId", "1");
        config.put("dataToSync", "assets");
        config.put("maxRequestsPerSecond", 10);
        config.put("caCertificate", tenant.caCertificatePem());
        Files.writeString(dir.resolve("instance.json"), instance.toPrettyString());

        long t0 = System.nanoTime();
        Child first = Child.start();
        assertThat(first.waitFor(Duration.ofMinutes(2))).as(first.err()).isZero();
        System.out.println("first run took " + Duration.ofNanos(System.nanoTime() - t0));
        List<Path> runs = publishedRuns();
        assertThat(runs).hasSize(1);
        firstRunDir = runs.get(0);
        assertThat(assetIds(firstRunDir)).hasSize(ENDPOINTS).doesNotHaveDuplicates();
        // every later run reads the whole tenant (its watermark is dropped, as if everything changed)
        dropWatermarks();
        firstRun = snapshot(firstRunDir);
    }

    @AfterAll
    static void stop() throws IOException {
        if (tenant != null) {
            tenant.close();
        }
        System.out.println("crash phases seen: " + PHASES_SEEN);
        // the secret scan over everything the children printed and every file they wrote
        assertNoSecret("the children's output", EVERYTHING_PRINTED.toString());
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.endsWith("key")).toList()) {
                assertNoSecret(f.toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    @Order(1)
    void killedWhileAPageIsInFlight() throws Exception {
        long before = tenant.requestCount(CortexXdrSimulator.GET_ENDPOINT);
        // the connection check reads one page, then the run pages; page 6 never comes back in time
        tenant.faults().onPath(CortexXdrSimulator.GET_ENDPOINT).fromRequest(before + 7)
                .respond(TenantFault.delay(Duration.ofSeconds(60)));
        Child child = Child.start();
        child.killWhen(() -> tenant.requestCount(CortexXdrSimulator.GET_ENDPOINT) >= before + 7, "mid-page");
        tenant.faults().clear();
        assertRecovers();
    }

    @Test
    @Order(2)
    void killedAroundTheCommit() throws Exception {
        Child child = Child.start();
        child.killWhen(child.printed(Pattern.compile(": fetched \\d+ assets")), "around the commit");
        assertRecovers();
    }

    @Test
    @Order(3)
    void killedAroundTheStateWrites() throws Exception {
        Child child = Child.start();
        child.killWhen(child.printed(Pattern.compile(INSTANCE + ": published run ")), "around the state writes");
        assertRecovers();
    }

    @Test
    @Order(4)
    void killedRightAfterTheChecks() throws Exception {
        Child child = Child.start();
        child.killWhen(child.printed(Pattern.compile(INSTANCE + ": (registered|config updated|re-armed)")), "after the checks");
        assertRecovers();
    }

    /** The invariants after a kill, then a run to the end with exactly the tenant's records. */
    private static void assertRecovers() throws IOException, InterruptedException {
        assertThat(snapshot(firstRunDir)).as("the first run's output after the kill")
                .containsOnlyKeys(firstRun.keySet());
        firstRun.forEach((p, bytes) -> assertThat(read(p)).as(p.toString()).isEqualTo(bytes));
        for (Path run : publishedRuns()) {
            assertComplete(run);
        }
        FileStateStore store = FileStateStore.open(dir.resolve("state"));
        assertThat(store.instances()).extracting(i -> i.name()).containsExactly(INSTANCE);
        List<RunSummary> history = store.runs(INSTANCE);
        assertThat(history).isNotEmpty();
        assertOwnerOnly(dir.resolve("state"));
        assertOwnerOnly(dir.resolve("out"));

        // the next run reads the whole tenant (its watermark is dropped, as if everything changed)
        dropWatermarks();
        List<Path> before = publishedRuns();
        Child next = Child.start();
        assertThat(next.waitFor(Duration.ofMinutes(2))).as(next.err()).isZero();
        List<Path> after = new ArrayList<>(publishedRuns());
        after.removeAll(before);
        assertThat(after).hasSize(1);
        assertComplete(after.get(0));
        assertThat(assetIds(after.get(0))).hasSize(ENDPOINTS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(tenant.endpointIds());
        dropWatermarks();
    }

    /**
     * Drops the instance's cursors where they live: in each published run's commit (which the
     * next run is planned from) and in the state store's copy.
     */
    private static void dropWatermarks() throws IOException {
        for (Path run : publishedRuns()) {
            Path commit = run.resolve(JsonLinesSink.COMMIT_FILE);
            ObjectNode doc = (ObjectNode) JSON.readTree(commit.toFile());
            doc.putObject("cursors");
            Files.writeString(commit, doc.toPrettyString());
        }
        Files.deleteIfExists(dir.resolve("state").resolve("cursors").resolve(INSTANCE + ".json"));
    }

    /** A published run is whole: its summary says PROCESSED and its file holds every record. */
    private static void assertComplete(Path run) throws IOException {
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.path("state").asText()).as(run.toString()).isEqualTo("PROCESSED");
        List<String> ids = assetIds(run);
        assertThat(ids).as(run + " is whole").hasSize(ENDPOINTS).doesNotHaveDuplicates();
    }

    private static void assertOwnerOnly(Path root) throws IOException {
        if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertThat(perms).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }

    static List<Path> publishedRuns() throws IOException {
        Path instanceDir = dir.resolve("out").resolve(INSTANCE);
        if (!Files.isDirectory(instanceDir)) {
            return List.of();
        }
        try (Stream<Path> runs = Files.list(instanceDir)) {
            return runs.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    static List<String> assetIds(Path run) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("assets.jsonl"))) {
            ids.add(JSON.readTree(line).path("externalAssetId").asText());
        }
        return ids;
    }

    static Map<Path, byte[]> snapshot(Path root) throws IOException {
        Map<Path, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                out.put(p, read(p));
            }
        }
        return out;
    }

    static byte[] read(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.readAllBytes(p) : new byte[0];
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertNoSecret(String where, String text) {
        assertThat(text).as(where + " carries the key").doesNotContain(KEY);
        assertThat(text).as(where + " carries the key's SHA-256").doesNotContain(sha256(KEY));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One {@code connectors sync} child process, its output kept for the secret scan. */
    static final class Child {
        private final CliProcess process;

        private Child(CliProcess process) {
            this.process = process;
        }

        static Child start() throws IOException {
            return new Child(CliProcess.start("sync", "--instance", dir.resolve("instance.json").toString(),
                    "--out", dir.resolve("out").toString(), "--state", dir.resolve("state").toString(), "--verbose"));
        }

        BooleanSupplier printed(Pattern line) {
            return process.printed(line);
        }

        String err() {
            return process.err();
        }

        int waitFor(Duration limit) throws InterruptedException {
            try {
                return process.waitFor(limit);
            } finally {
                keepOutput();
            }
        }

        /** SIGKILL as soon as {@code condition} holds; notes whether the child had already ended. */
        void killWhen(BooleanSupplier condition, String phase) throws InterruptedException {
            boolean alive = process.killWhen(condition, phase);
            keepOutput();
            PHASES_SEEN.add(phase + (alive ? " (killed, exit " + process.exitValue() + ")"
                    : " (the child had already ended)"));
        }

        private void keepOutput() {
            synchronized (EVERYTHING_PRINTED) {
                EVERYTHING_PRINTED.append(process.out()).append(process.err());
            }
        }
    }
}
