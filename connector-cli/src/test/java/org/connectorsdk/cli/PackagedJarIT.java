package org.connectorsdk.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged {@code connectors.jar} as a user would ({@code java -jar}), after the
 * package phase built it: proves the manifest, the bundled dependencies and logging binding,
 * and that every bundled plugin's {@code META-INF/services} registration survived shading.
 */
class PackagedJarIT {
    private static final Path JAR = Path.of("target", "connectors.jar");
    private static final String SERVICES = "META-INF/services/org.connectorsdk.api.Connector";
    /** The reactor modules whose main classes the jar bundles. */
    private static final List<String> BUNDLED_MODULES =
            List.of("connector-api", "connector-runtime", "connector-cortex-xdr", "connector-cli");

    record Result(int code, String out, String err) {
    }

    static Result runJar(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar built by 'mvn package'").isRegularFile();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("connectors-out", ".txt");
        Path err = Files.createTempFile("connectors-err", ".txt");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished within a minute").isTrue();
            return new Result(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void listRunsFromThePackagedJar() throws Exception {
        Result result = runJar("list");

        assertThat(result.err()).isEmpty();
        assertThat(result.code()).isZero();
        // one line per bundled connector: id, version, vendor, product (none when no plugin is bundled)
        assertThat(result.out().lines()).allSatisfy(line -> assertThat(line).matches("[a-z][a-z0-9-]* +\\S+ +.+"));
        // the README's example plugin lives in test sources and must not leak into the distribution
        assertThat(result.out()).doesNotContain("acme-edr");
    }

    @Test
    void theCortexXdrPluginIsBundledAndListed() throws Exception {
        Result result = runJar("list");

        assertThat(result.code()).isZero();
        assertThat(result.out().lines().filter(line -> line.startsWith("cortex-xdr ")))
                .singleElement().asString().matches("cortex-xdr +\\S+ +Palo Alto Networks +Cortex XDR");
    }

    @Test
    void everyBundledPluginRegistrationSurvivesShading() throws Exception {
        Set<String> expected = new TreeSet<>();
        for (String module : BUNDLED_MODULES) {
            Path services = Path.of("..", module, "target", "classes", SERVICES);
            if (Files.isRegularFile(services)) {
                expected.addAll(providers(Files.readString(services, UTF_8)));
            }
        }
        Set<String> packaged = new TreeSet<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            JarEntry entry = jar.getJarEntry(SERVICES);
            if (entry != null) {
                try (var in = jar.getInputStream(entry)) {
                    packaged.addAll(providers(new String(in.readAllBytes(), UTF_8)));
                }
            }
        }

        assertThat(packaged).isEqualTo(expected);
        assertThat(runJar("list").out().lines()).hasSize(expected.size());
    }

    private static List<String> providers(String servicesFile) {
        return servicesFile.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void unknownConnectorFromThePackagedJarIsOneLineAndExitCode2() throws Exception {
        Result result = runJar("describe", "no-such-connector");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("connectors: Unknown connector 'no-such-connector'; known: ");
    }

    @Test
    void runStopsCleanlyOnSigtermWithExitCodeZero(@TempDir Path dir) throws Exception {
        String key = "it-key-" + System.nanoTime();
        try (CortexXdrSimulator tenant = CortexXdrSimulator.builder().endpoints(20).seed(5).standardKey("1", key)
                .start()) {
            Path instance = RunCommandTest.instanceFile(dir, tenant, key, "tenant-it", Map.of("type", "once",
                    "start", LocalDateTime.now(ZoneOffset.UTC).minusMinutes(1).toString(), "zone", "UTC"));
            Path out = dir.resolve("stdout.txt");
            Path err = dir.resolve("stderr.txt");
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", JAR.toString(), "run", "--instance", instance.toString(), "--state",
                    dir.resolve("state").toString(), "--out", dir.resolve("out").toString(), "--grace", "5")
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                RunCommandTest.awaitState(dir.resolve("state"), "tenant-it", ConnectorState.PROCESSED);

                process.destroy();

                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
            } finally {
                process.destroyForcibly();
            }
            String log = Files.readString(err, UTF_8);
            assertThat(process.exitValue()).as(log).isZero();
            assertThat(Files.readString(out, UTF_8)).contains("tenant-it: The sync is scheduled for ");
            assertThat(log).containsPattern("tenant-it PROCESSED \\(run \\S+\\): run completed: 20 assets")
                    .contains("Stopped cleanly").doesNotContain(key);
        }
    }

    @Test
    void versionComesFromTheManifest() throws Exception {
        Result result = runJar("--version");

        assertThat(result.code()).isZero();
        assertThat(result.out()).matches("connectors \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
    }
}
