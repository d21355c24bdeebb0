package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.FileStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code run} in process against a simulated Cortex XDR tenant, stopped by a test's stop signal
 * instead of a real SIGTERM ({@link PackagedJarIT} sends a real one), and {@code status} on the
 * state it leaves.
 */
class RunCommandTest {
    private static final String KEY = "run-key-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path dir;

    private CortexXdrSimulator tenant;

    /** A stop asked for by the test. */
    private static final class TestStop implements RunCommand.StopSignal {
        final CountDownLatch requested = new CountDownLatch(1);
        final AtomicInteger exitCode = new AtomicInteger(-1);

        @Override
        public void await() throws InterruptedException {
            requested.await();
        }

        @Override
        public void finished(int code) {
            exitCode.set(code);
        }
    }

    @AfterEach
    void stop() {
        RunCommand.stopSignals = RunCommand.JvmShutdown::new;
        if (tenant != null) {
            tenant.close();
        }
    }

    /** An instance file for the simulated tenant, scheduled as {@code schedule} says. */
    static Path instanceFile(Path dir, CortexXdrSimulator tenant, String apiKey, String name,
            Map<String, Object> schedule) throws IOException {
        Path key = dir.resolve("key.txt");
        Files.writeString(key, apiKey);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseUrl", tenant.baseUrl());
        config.put("apiKey", "file:" + key);
        config.put("apiKeyId", "1");
        config.put("securityLevel", "standard");
        config.put("dataToSync", "assets");
        config.put("caCertificate", tenant.caCertificatePem());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("connector", "cortex-xdr");
        doc.put("name", name);
        doc.put("description", "simulated tenant");
        doc.put("config", config);
        doc.put("schedule", schedule);
        Path file = dir.resolve(name + ".json");
        Files.write(file, JSON.writeValueAsBytes(doc));
        return file;
    }

    /** Waits for another thread or process, on the system clock, to bring the instance to {@code state}. */
    static void awaitState(Path stateDir, String name, ConnectorState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (Files.isDirectory(stateDir)) {
                var instance = FileStateStore.open(stateDir).instance(name);
                if (instance.isPresent() && instance.get().state() == state) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as(name + " reached " + state + " within a minute").isLessThan(deadline);
            // polling a run that works on the real clock: there is no fake time to move here
            Thread.sleep(50);
        }
    }

    @Test
    void runRegistersSchedulesRunsAndStopsCleanlyAndStatusShowsTheOutcome() throws Exception {
        tenant = CortexXdrSimulator.builder().endpoints(30).seed(3).standardKey("1", KEY).start();
        LocalDateTime start = LocalDateTime.now(BERLIN).truncatedTo(ChronoUnit.MINUTES).minusMinutes(1);
        Path once = instanceFile(dir, tenant, KEY, "tenant-once", Map.of("type", "once", "start", start.toString(),
                "zone", "Europe/Berlin"));
        Path daily = instanceFile(dir, tenant, KEY, "tenant-daily", Map.of("type", "recurring", "every", "P1D",
                "start", "2026-01-01T02:30", "zone", "Europe/Berlin"));
        TestStop stop = new TestStop();
        RunCommand.stopSignals = grace -> stop;
        AtomicReference<ConnectorsCliTest.Result> result = new AtomicReference<>();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            Thread run = new Thread(() -> result.set(ConnectorsCliTest.run("run", "--instance", once.toString(),
                    daily.toString(), "--state", dir.resolve("state").toString(), "--out",
                    dir.resolve("out").toString(), "--grace", "5")));
            run.start();

            awaitState(dir.resolve("state"), "tenant-once", ConnectorState.PROCESSED);
            stop.requested.countDown();
            run.join(Duration.ofSeconds(60).toMillis());
            assertThat(run.isAlive()).isFalse();
        } finally {
            System.setErr(originalErr);
        }

        ConnectorsCliTest.Result r = result.get();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(stop.exitCode).hasValue(0);
        String when = DateTimeFormatter.ofPattern("MMMM d, yyyy hh:mm a", Locale.ENGLISH).format(start);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).contains("tenant-once: The sync is scheduled for " + when + " in Europe/Berlin timezone",
                "tenant-daily: The sync is scheduled for January 1, 2026 02:30 AM in Europe/Berlin timezone and "
                        + "repeats daily",
                "Running 2 instances on 4 workers; stop with Ctrl-C or SIGTERM");
        assertThat(lines).anyMatch(l -> l.matches("tenant-daily: next run \\S+Z \\(\\d{4}-\\d\\d-\\d\\d 02:30:00 "
                + "Europe/Berlin\\)"));
        // assets poll daily on their own interval: said at registration
        assertThat(lines).anyMatch(l -> l.matches("tenant-daily: its streams run on their own poll intervals;"
                + " next: assets \\S+Z"));
        String log = logs.toString(StandardCharsets.UTF_8);
        assertThat(log).containsPattern("\\S+Z tenant-once REGISTERED: registered; all 5 connection checks passed")
                .containsPattern("\\S+Z tenant-once PROCESSING \\(run \\S+\\): run started")
                .containsPattern("\\S+Z tenant-once PROCESSED \\(run \\S+\\): run completed: 30 assets")
                .contains("Stopped cleanly");
        assertThat(log + r.out() + r.err()).doesNotContain(KEY);
        try (Stream<Path> runs = Files.list(dir.resolve("out/tenant-once"))) {
            assertThat(runs).singleElement().satisfies(p -> assertThat(p.resolve("assets.jsonl")).exists());
        }

        ConnectorsCliTest.Result status = ConnectorsCliTest.run("status", "--state", dir.resolve("state").toString());

        assertThat(status.code()).as(status.err()).isZero();
        List<String> statusLines = status.out().lines().toList();
        assertThat(statusLines).hasSize(7);
        assertThat(statusLines.get(0)).isEqualTo("tenant-daily (cortex-xdr): REGISTERED");
        assertThat(statusLines.get(1)).isEqualTo("  last run:  none yet");
        assertThat(statusLines.get(2)).matches("  next run:  \\S+Z");
        assertThat(statusLines.get(3)).matches("  streams:   assets \\S+Z");
        assertThat(statusLines.get(4)).isEqualTo("tenant-once (cortex-xdr): PROCESSED");
        assertThat(statusLines.get(5)).matches("  last run:  PROCESSED, 30 records, \\d+\\.\\d s, started \\S+Z "
                + "\\(run \\S+\\)");
        assertThat(statusLines.get(6)).isEqualTo("  next run:  none");
    }

    @Test
    void anInstanceWithoutAScheduleIsBadInputAndNothingIsRegistered() throws IOException {
        Path file = dir.resolve("lab.json");
        Files.writeString(file, "{\"connector\": \"memory\", \"name\": \"lab\", \"config\": {\"token\": \"t\"}}");

        var result = ConnectorsCliTest.run("run", "--instance", file.toString(), "--state",
                dir.resolve("state").toString(), "--out", dir.resolve("out").toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("connectors: Instance file " + file + " has no \"schedule\"; run needs "
                + "one (sync runs an instance once, now) (Correct the command line or the file)"
                + System.lineSeparator());
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void twoFilesDefiningOneInstanceAreBadInput() throws IOException {
        String doc = "{\"connector\": \"memory\", \"name\": \"lab\", \"config\": {\"token\": \"t\"}, \"schedule\": "
                + "{\"type\": \"once\", \"start\": \"2026-05-13T16:37\", \"zone\": \"UTC\"}}";
        Path a = Files.writeString(dir.resolve("a.json"), doc);
        Path b = Files.writeString(dir.resolve("b.json"), doc);

        var result = ConnectorsCliTest.run("run", "--instance", a.toString(), b.toString(), "--state",
                dir.resolve("state").toString(), "--out", dir.resolve("out").toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith("connectors: Instance files " + a + " and " + b
                + " both define instance 'lab'").hasLineCount(1);
    }

    @Test
    void aFailingConnectionCheckStopsRunBeforeAnythingIsScheduled() throws IOException {
        Path file = Files.writeString(dir.resolve("lab.json"), "{\"connector\": \"memory\", \"name\": \"lab\", "
                + "\"config\": {\"token\": \"bad\"}, \"schedule\": {\"type\": \"recurring\", \"every\": \"PT1M\", "
                + "\"start\": \"2026-05-13T16:37\", \"zone\": \"UTC\"}}");

        var result = ConnectorsCliTest.run("run", "--instance", file.toString(), "--state",
                dir.resolve("state").toString(), "--out", dir.resolve("out").toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).startsWith("connectors: Instance 'lab' was not registered: the AUTHENTICATION check")
                .hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void statusOfAMissingStateDirectoryIsBadInput() {
        Path missing = dir.resolve("nowhere");

        var result = ConnectorsCliTest.run("status", "--state", missing.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("connectors: State directory " + missing + " does not exist (Give the "
                + "--state directory of a run or sync)" + System.lineSeparator());
    }

    @Test
    void statusOfAnEmptyStateDirectorySaysSo() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("state"));

        var result = ConnectorsCliTest.run("status", "--state", empty.toString());

        assertThat(result.code()).isZero();
        assertThat(result.out()).isEqualTo("No instances in " + empty + System.lineSeparator());
    }
}
