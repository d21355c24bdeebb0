package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandTest {
    private static final String TOKEN = "cli-s3cr3t-token-8f2a";

    @TempDir
    Path dir;

    private Path instance(String json) throws IOException {
        Path f = dir.resolve("instance.json");
        Files.writeString(f, json);
        return f;
    }

    private Path memoryInstance(String extraConfig) throws IOException {
        return instance("{\"connector\": \"memory\", \"name\": \"lab\", \"description\": \"Lab\", "
                + "\"config\": {\"token\": \"" + TOKEN + "\"" + extraConfig + "}}");
    }

    private ConnectorsCliTest.Result sync(Path instanceFile) {
        return ConnectorsCliTest.run("sync", "--instance", instanceFile.toString(), "--out",
                dir.resolve("out").toString(), "--state", dir.resolve("state").toString());
    }

    private List<Path> runs() throws IOException {
        Path d = dir.resolve("out/lab");
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    @Test
    void aProcessedRunExitsZeroPrintsItsSummaryAndPublishesTheFiles() throws IOException {
        var result = sync(memoryInstance(", \"count\": 25"));

        assertThat(result.code()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).matches("Run \\d{8}T\\d{6}Z-[0-9a-f]{4} of lab \\(memory\\): PROCESSED in "
                + "\\d+\\.\\d s");
        assertThat(lines).contains("  hosts:     25 read, 25 written, 0 rejected, 3 pages",
                "  http:      0 requests, 0 retries, 0 B received");
        assertThat(runs()).singleElement().satisfies(run -> {
            assertThat(lines).contains("  output:    " + run);
            assertThat(Files.readAllLines(run.resolve("hosts.jsonl"))).hasSize(25)
                    .first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith("{\"id\":\"h0\",\"_meta\":{\"instance\":\"lab\",\"stream\":\"hosts\",\"key\":[\"h0\"]");
            assertThat(run.resolve("summary.json")).exists();
        });
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals("instance.json")) {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain(TOKEN);
                }
            }
        }
        assertThat(result.out() + result.err()).doesNotContain(TOKEN);
    }

    @Test
    void anErroredRunExitsOneAndPublishesNothing() throws IOException {
        var result = sync(memoryInstance(", \"count\": 25, \"failAt\": 2"));

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).contains("): ERRORED (TRANSIENT) in ",
                "  error:     The source answered HTTP 503 on page 2", "  fix:       Try again later",
                "  output:    nothing published");
        assertThat(runs()).isEmpty();
    }

    @Test
    void aFailedCheckExitsOneWithTheCheckNamedOnOneLine() throws IOException {
        Path f = instance("{\"connector\": \"memory\", \"name\": \"lab\", \"config\": {\"token\": \"bad\"}}");

        var result = sync(f);

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("connectors: Instance 'lab' was not registered: the AUTHENTICATION "
                + "check (Authentication Credential Check) failed: The token was rejected (HTTP 401) (Use a valid "
                + "token)" + System.lineSeparator());
    }

    @Test
    void badInstanceFilesExitTwoWithOneLineNamingTheProblem() throws IOException {
        Path missing = dir.resolve("missing.json");
        assertUsage(sync(missing), "connectors: Instance file " + missing + " does not exist");

        Path f = instance("{\"connector\": \"memory\", ");
        assertUsage(sync(f), "connectors: Instance file " + f + " is not a valid JSON object at line 1, column 25: "
                + "Unexpected end-of-input within/between Object entries");

        instance("{\"connector\": \"no-such\", \"name\": \"lab\", \"config\": {}}");
        assertUsage(sync(f), "connectors: Unknown connector");

        instance("{\"connector\": \"memory\", \"name\": \"lab\", \"config\": {\"token\": \"t\", \"count\": \"many\"}}");
        assertUsage(sync(f), "connectors: Invalid configuration: count: must be a whole number, got 'many'");
    }

    @Test
    void aStateDirectoryInUseByAnotherProcessIsRefused() throws IOException {
        Path f = memoryInstance("");
        Files.createDirectories(dir.resolve("state"));
        ConnectorsCliTest.Result result;
        try (var held = java.nio.channels.FileChannel.open(dir.resolve("state/.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            // a lock held by this JVM shows up to tryLock as an overlapping lock, not as null; the
            // child process stands in for "another process"
            var lock = held.lock();
            try {
                result = runInAnotherJvm(f);
            } finally {
                lock.release();
            }
        }

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("The state directory " + dir.resolve("state")
                + " is in use by another connectors process");
    }

    private ConnectorsCliTest.Result runInAnotherJvm(Path instanceFile) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ConnectorsCli.class.getName(), "sync", "--instance",
                instanceFile.toString(), "--out", dir.resolve("out").toString(), "--state",
                dir.resolve("state").toString());
        Process p = new ProcessBuilder(command).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return new ConnectorsCliTest.Result(p.waitFor(), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void assertUsage(ConnectorsCliTest.Result result, String start) {
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).startsWith(start).hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }
}
