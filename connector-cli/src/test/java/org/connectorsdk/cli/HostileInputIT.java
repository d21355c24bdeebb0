package org.connectorsdk.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.connectorsdk.cli.PackagedJarIT.Result;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's attacks on the packaged {@code connectors.jar}, each expected to end as bad input
 * or a clean failure: a hostile HTTPS tenant echoing pieces of the key, {@code file:}
 * references to {@code /dev/zero}, a FIFO and a 100 MB file, an expired self-signed CA,
 * symbolic links planted under {@code --out} and {@code --state}, schedules out of range,
 * unusable output directories and the small ones (ports, control characters, duplicate keys,
 * a garbage plugin jar, a large single reply).
 */
class HostileInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENDPOINTS = "/public_api/v1/endpoints/get_endpoint";
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @TempDir
    Path dir;
    private HostileTenant hostile;

    @BeforeEach
    void start() {
        hostile = new HostileTenant();
    }

    @AfterEach
    void stop() {
        hostile.close();
    }

    // ------------------------------------------------------------------ 1: pieces of the key

    @Test
    void noPieceOfAnEchoedKeyReachesOutputStateOrRunFiles() throws Exception {
        Random random = new Random(13);
        for (int length : new int[] {8, 16, 61, 130, 512}) {
            String key = random.ints(length, 0, ALPHANUMERIC.length()).mapToObj(ALPHANUMERIC::charAt)
                    .collect(StringBuilder::new, StringBuilder::append, StringBuilder::append).toString();
            hostile.reply("{\"reply\": \"x" + key + "\"}");
            Path keyFile = Files.writeString(dir.resolve("key-" + length), key);
            Path instance = instance("echo-" + length, hostile.baseUrl(), "file:" + keyFile, null);
            Path out = dir.resolve("out-" + length);
            Path state = dir.resolve("state-" + length);

            List<String> printed = new ArrayList<>();
            for (String[] args : List.of(new String[] {"check", "--instance", instance.toString()},
                    new String[] {"check", "--instance", instance.toString(), "--verbose"},
                    new String[] {"sync", "--instance", instance.toString(), "--out", out.toString(), "--state",
                            state.toString(), "--verbose"})) {
                Result result = PackagedJarIT.runJar(args);
                assertThat(result.code()).as(result.err()).isEqualTo(ConnectorsCli.EXIT_FAILURE);
                printed.add(result.out() + result.err());
            }
            assertThat(String.join("", printed)).as("the reply excerpt is still shown").contains("body starts with");
            for (Path f : files(out, state)) {
                printed.add(Files.readString(f, UTF_8));
            }
            for (String text : printed) {
                for (int i = 0; i + 8 <= key.length(); i++) {
                    assertThat(text).as("a key of " + length + " characters").doesNotContain(key.substring(i, i + 8));
                }
            }
        }
    }

    // ------------------------------------------------------------------ 2: bounded file: reads

    @Test
    void devZeroAFifoAndAHugeFileAreBadInputNamingTheField() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path huge = dir.resolve("huge");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(100L * 1024 * 1024);
        }
        hostile.reply("{\"reply\": {\"endpoints\": [], \"total_count\": 0}}");
        for (Path bad : List.of(Path.of("/dev/zero"), fifo, huge)) {
            Result key = PackagedJarIT.runJar("check", "--instance",
                    instance("bad-key", hostile.baseUrl(), "file:" + bad, null).toString());
            assertThat(key.code()).as(key.err()).isEqualTo(ConnectorsCli.EXIT_USAGE);
            assertThat(key.err().lines()).singleElement().asString()
                    .contains("Config field 'apiKey' refers to file " + bad);

            Result ca = PackagedJarIT.runJar("check", "--instance",
                    instance("bad-ca", hostile.baseUrl(), "inline-key-0123456789", "file:" + bad).toString());
            assertThat(ca.code()).as(ca.err()).isEqualTo(ConnectorsCli.EXIT_USAGE);
            assertThat(ca.err().lines()).singleElement().asString()
                    .contains("Config field 'caCertificate' refers to file " + bad);

            Result instance = PackagedJarIT.runJar("check", "--instance", bad.toString());
            assertThat(instance.code()).as(instance.err()).isEqualTo(ConnectorsCli.EXIT_USAGE);
            assertThat(instance.err().lines()).singleElement().asString().contains("Instance file " + bad);
        }
        assertThat(hostile.requests()).isZero();
    }

    // ------------------------------------------------------------------ 3: strict trust

    @Test
    void anExpiredSelfSignedCaIsNeverTrustedAndTheTenantReceivesNothing() throws Exception {
        Path store = dir.resolve("expired.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        assertThat(new ProcessBuilder(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=Expired Hostile CA", "-startdate", "-2y", "-validity", "30", "-ext", "bc:c",
                "-keystore", store.toString(), "-storepass", "changeit", "-storetype", "PKCS12").start().waitFor())
                .isZero();
        Path pem = dir.resolve("expired.pem");
        assertThat(new ProcessBuilder(keytool, "-exportcert", "-rfc", "-alias", "ca", "-keystore", store.toString(),
                "-storepass", "changeit", "-file", pem.toString()).start().waitFor()).isZero();
        hostile.reply("{\"reply\": {\"endpoints\": [], \"total_count\": 0}}");
        Path instance = instance("expired-ca", hostile.baseUrl(), "expired-ca-key-0123456789", "file:" + pem);

        Result sync = PackagedJarIT.runJar("sync", "--instance", instance.toString(), "--out",
                dir.resolve("out").toString(), "--state", dir.resolve("state").toString());

        assertThat(sync.code()).as(sync.err()).isEqualTo(ConnectorsCli.EXIT_FAILURE);
        // kind TLS: StrictTrustTest; here, that it ends before any request
        assertThat(sync.out() + sync.err()).contains("'CN=Expired Hostile CA' expired on");
        assertThat(hostile.requests()).isZero();
    }

    // ------------------------------------------------------------------ 4 and 7: planted links

    @Test
    void linksPlantedUnderOutAndStateAreNeverFollowedNorTheirTargetsPrinted() throws Exception {
        try (CortexXdrSimulator tenant = CortexXdrSimulator.builder().endpoints(20).seed(4)
                .standardKey("1", "link-test-key-0123456789").start()) {
            Path instance = instance("linked", tenant.baseUrl(), "link-test-key-0123456789",
                    tenant.caCertificatePem());
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
            Path out = Files.createDirectories(dir.resolve("out"));
            Files.createSymbolicLink(out.resolve("linked"), elsewhere);
            Path state = Files.createDirectories(dir.resolve("state"));

            Result publish = PackagedJarIT.runJar("sync", "--instance", instance.toString(), "--out", out.toString(),
                    "--state", state.toString());
            assertThat(publish.code()).as(publish.err()).isEqualTo(ConnectorsCli.EXIT_FAILURE);
            assertThat(publish.err()).contains("is a symbolic link");

            Files.delete(out.resolve("linked"));
            Files.createSymbolicLink(state.resolve("cursors"), elsewhere);
            Result cursors = PackagedJarIT.runJar("sync", "--instance", instance.toString(), "--out", out.toString(),
                    "--state", state.toString());
            assertThat(cursors.code()).as(cursors.err()).isNotZero();
            try (Stream<Path> planted = Files.walk(elsewhere)) {
                assertThat(planted.skip(1).toList()).as("nothing lands in a link's target").isEmpty();
            }

            Files.delete(state.resolve("cursors"));
            Path secret = Files.writeString(dir.resolve("secret.txt"), "TOPSECRETWORD and the rest");
            Files.createDirectories(state.resolve("runs"));
            Files.deleteIfExists(state.resolve("runs/linked.json"));
            Files.createSymbolicLink(state.resolve("runs/linked.json"), secret);
            Result runs = PackagedJarIT.runJar("sync", "--instance", instance.toString(), "--out", out.toString(),
                    "--state", state.toString());
            assertThat(runs.code()).as(runs.err()).isNotZero();
            assertThat(runs.out() + runs.err()).doesNotContain("TOPSECRETWORD");
            assertThat(Files.readString(secret)).isEqualTo("TOPSECRETWORD and the rest");
        }
    }

    // ------------------------------------------------------------------ 7: unreadable history

    @Test
    void anUnreadableHistoryStopsTheRunBeforeAnythingIsPublishedAndAnUnwritableOneIsReportedBesideAPublishedRun() throws Exception {
        String key = "history-test-key-0123456789";
        try (CortexXdrSimulator tenant = CortexXdrSimulator.builder().endpoints(20).seed(7).standardKey("1", key)
                .start()) {
            Path instance = instance("history", tenant.baseUrl(), key, tenant.caCertificatePem());
            Path out = dir.resolve("out");
            Path state = dir.resolve("state");
            String[] sync = {"sync", "--instance", instance.toString(), "--out", out.toString(), "--state",
                    state.toString()};
            Result first = PackagedJarIT.runJar(sync);
            assertThat(first.code()).as(first.err()).isEqualTo(ConnectorsCli.EXIT_OK);
            Path cursors = state.resolve("cursors/history.json");
            String cursorsBefore = Files.readString(cursors);
            List<Path> publishedBefore = publishedRuns(out.resolve("history"));

            Path elsewhere = Files.writeString(dir.resolve("elsewhere.json"), "[]");
            for (String document : List.of("runs", "transitions")) {
                Path history = state.resolve(document).resolve("history.json");
                String intact = Files.readString(history);
                for (boolean link : new boolean[] {false, true}) {
                    Files.delete(history);
                    if (link) {
                        Files.createSymbolicLink(history, elsewhere);
                    } else {
                        Files.writeString(history, "garbage, not JSON");
                    }
                    long requests = tenant.requestCount(ENDPOINTS);

                    Result refused = PackagedJarIT.runJar(sync);

                    String what = document + (link ? " as a link" : " as garbage");
                    assertThat(refused.code()).as(what + ": " + refused.err()).isEqualTo(ConnectorsCli.EXIT_FAILURE);
                    assertThat(refused.out() + refused.err()).as(what).contains("The state document " + history)
                            .doesNotContain("PROCESSED");
                    assertThat(publishedRuns(out.resolve("history"))).as(what + ": nothing published")
                            .isEqualTo(publishedBefore);
                    assertThat(Files.readString(cursors)).as(what + ": the cursor did not move")
                            .isEqualTo(cursorsBefore);
                    assertThat(tenant.requestCount(ENDPOINTS)).as(what + ": the tenant was not read")
                            .isEqualTo(requests);
                    assertThat(Files.readString(elsewhere)).isEqualTo("[]");
                    Files.delete(history);
                    Files.writeString(history, intact);
                }
            }
            // readable but not writable: the run is published, and says so beside the history it could not save
            Path runs = state.resolve("runs");
            String runsBefore = Files.readString(runs.resolve("history.json"));
            boolean immutable = unwritable(runs);
            Result published;
            try {
                published = PackagedJarIT.runJar(sync);
            } finally {
                writable(runs, immutable);
            }
            assertThat(published.code()).as(published.err()).isEqualTo(ConnectorsCli.EXIT_OK);
            assertThat(published.out()).contains("PROCESSED").doesNotContain("nothing published");
            assertThat(published.err()).contains("ended PROCESSED and is published, but its history could not be "
                    + "saved: Cannot write state document " + runs.resolve("history.json"));
            assertThat(publishedRuns(out.resolve("history"))).hasSize(publishedBefore.size() + 1);
            assertThat(Files.readString(cursors)).as("the cursor moved with the published run")
                    .isNotEqualTo(cursorsBefore);
            assertThat(Files.readString(runs.resolve("history.json"))).isEqualTo(runsBefore);
            List<?> transitions = JSON.readValue(state.resolve("transitions/history.json").toFile(), List.class);
            assertThat(((Map<?, ?>) transitions.get(transitions.size() - 1)).get("state")).as("the transitions end")
                    .isEqualTo("PROCESSED");
        }
    }

    /**
     * Makes {@code directory} unwritable for this process: immutable when running as root (whom
     * permissions do not stop), read-only otherwise; whether it was made immutable.
     */
    private static boolean unwritable(Path directory) throws Exception {
        boolean immutable = new ProcessBuilder("chattr", "+i", directory.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        if (!immutable) {
            Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString(
                    "r-x------"));
        }
        Path probe = directory.resolve("probe");
        try {
            Files.createFile(probe);
            Files.delete(probe);
            writable(directory, immutable);
            org.junit.jupiter.api.Assumptions.abort("cannot make " + directory + " unwritable here");
        } catch (IOException expected) {
            // unwritable, as wanted
        }
        return immutable;
    }

    private static void writable(Path directory, boolean immutable) throws Exception {
        if (immutable) {
            assertThat(new ProcessBuilder("chattr", "-i", directory.toString()).start().waitFor()).isZero();
        } else {
            Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString(
                    "rwx------"));
        }
    }

    private static List<Path> publishedRuns(Path instanceDir) throws IOException {
        try (Stream<Path> runs = Files.list(instanceDir)) {
            return runs.filter(p -> Files.exists(p.resolve("summary.json"))).sorted().toList();
        }
    }

    // ------------------------------------------------------------------ 5: the scheduler

    @Test
    void aScheduleOutOfRangeIsBadInputAndAFarOneBesideANearOneLeavesTheNearOneOnTime() throws Exception {
        Path absurd = instance("absurd", hostile.baseUrl(), "schedule-key-0123456789", null,
                Map.of("type", "recurring", "every", "P1D", "start", "+999999999-12-31T23:59", "zone", "UTC"));
        Result refused = PackagedJarIT.runJar("run", "--instance", absurd.toString(), "--out",
                dir.resolve("out").toString(), "--state", dir.resolve("state").toString());
        assertThat(refused.code()).as(refused.err()).isEqualTo(ConnectorsCli.EXIT_USAGE);
        assertThat(refused.err().lines()).singleElement().asString()
                .contains("schedule.start must fall in the years 1970 to 9999");

        try (CortexXdrSimulator tenant = CortexXdrSimulator.builder().endpoints(5).seed(5)
                .standardKey("1", "schedule-key-0123456789").start()) {
            String now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).toString();
            Path near = instance("near", tenant.baseUrl(), "schedule-key-0123456789", tenant.caCertificatePem(),
                    Map.of("type", "once", "start", now, "zone", "UTC"));
            Path far = instance("far", tenant.baseUrl(), "schedule-key-0123456789", tenant.caCertificatePem(),
                    Map.of("type", "once", "start", "9999-12-31T23:59", "zone", "UTC"));
            Path out = dir.resolve("run-out");
            Process run = new ProcessBuilder(java(), "-jar", "target/connectors.jar", "run", "--instance",
                    near.toString(), far.toString(), "--out", out.toString(), "--state", dir.resolve("run-state").toString())
                    .redirectOutput(dir.resolve("run.out").toFile()).redirectError(dir.resolve("run.err").toFile())
                    .start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                while (!published(out.resolve("near")) && System.nanoTime() < deadline) {
                    Thread.sleep(200); // polling a child process's output, not timing the code under test
                }
                assertThat(published(out.resolve("near"))).as(Files.readString(dir.resolve("run.err"))).isTrue();
            } finally {
                run.destroy(); // SIGTERM
                assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            String err = Files.readString(dir.resolve("run.err"));
            assertThat(run.exitValue()).as(err).isZero();
            assertThat(err).doesNotContain("Exception").contains("Stopped cleanly");
            assertThat(Files.exists(out.resolve("far"))).isFalse();
        }
    }

    private static boolean published(Path instanceDir) throws IOException {
        if (!Files.isDirectory(instanceDir)) {
            return false;
        }
        try (Stream<Path> runs = Files.list(instanceDir)) {
            return runs.anyMatch(p -> Files.exists(p.resolve("summary.json")));
        }
    }

    // ------------------------------------------------------------------ 6: fail before the work

    @Test
    void anUnusableOutOrStateDirectoryIsBadInputBeforeAnyRequest() throws Exception {
        hostile.reply("{\"reply\": {\"endpoints\": [], \"total_count\": 0}}");
        Path instance = instance("early", hostile.baseUrl(), "early-key-0123456789", null);
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        Result outIsFile = PackagedJarIT.runJar("sync", "--instance", instance.toString(), "--out", file.toString(),
                "--state", dir.resolve("state").toString());
        assertThat(outIsFile.code()).as(outIsFile.err()).isEqualTo(ConnectorsCli.EXIT_USAGE);
        assertThat(outIsFile.err().lines()).singleElement().asString().contains("--out " + file + " is not a directory");

        Result stateUnderFile = PackagedJarIT.runJar("sync", "--instance", instance.toString(), "--out",
                dir.resolve("out").toString(), "--state", file.resolve("state").toString());
        assertThat(stateUnderFile.code()).as(stateUnderFile.err()).isEqualTo(ConnectorsCli.EXIT_USAGE);
        assertThat(stateUnderFile.err().lines()).singleElement().asString()
                .contains("--state " + file.resolve("state") + " cannot be written");
        assertThat(hostile.requests()).as("no check ran").isZero();
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("out")))).isEqualTo("rwx------");
        }
    }

    // ------------------------------------------------------------------ 9: the small ones

    @Test
    void portsControlCharactersNamesDuplicateKeysAndPluginJarsAreBadInputSaidSafely() throws Exception {
        Path port = instance("port", "https://127.0.0.1:99999", "port-key-0123456789", null);
        Result badPort = PackagedJarIT.runJar("check", "--instance", port.toString());
        assertThat(badPort.code()).as(badPort.err()).isEqualTo(ConnectorsCli.EXIT_USAGE);
        assertThat(badPort.err()).contains("must have a port from 1 to 65535, got 99999").doesNotContain("defect");

        Path crlf = instance("crlf", hostile.baseUrl(), "crlf-key-01234\r\nX-Injected: 1", null);
        Result badKey = PackagedJarIT.runJar("check", "--instance", crlf.toString());
        assertThat(badKey.code()).as(badKey.err()).isEqualTo(ConnectorsCli.EXIT_USAGE);
        assertThat(badKey.err()).contains("must not contain control characters").doesNotContain("crlf-key")
                .doesNotContain("defect");

        Path escape = instance("esc\u001b[31mred\u0000" + "n".repeat(10_000), hostile.baseUrl(), "name-key-0123456789",
                null);
        Result badName = PackagedJarIT.runJar("sync", "--instance", escape.toString(), "--out",
                dir.resolve("out").toString(), "--state", dir.resolve("state").toString());
        assertThat(badName.code()).as(badName.err()).isEqualTo(ConnectorsCli.EXIT_USAGE);
        assertThat(badName.err()).doesNotContain("\u001b").doesNotContain("\u0000").contains("\\u001b[31mred\\u0000")
                .contains("(10012 characters)");
        assertThat(badName.err().length()).isLessThan(600);

        Path duplicate = Files.writeString(dir.resolve("duplicate.json"), "{\"connector\": \"cortex-xdr\", "
                + "\"name\": \"one\", \"name\": \"two\", \"config\": {}}");
        Result twice = PackagedJarIT.runJar("check", "--instance", duplicate.toString());
        assertThat(twice.code()).as(twice.err()).isEqualTo(ConnectorsCli.EXIT_USAGE);
        assertThat(twice.err()).contains("Duplicate field 'name'");

        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path garbage = Files.writeString(plugins.resolve("broken.jar"), "not a zip at all");
        Result onlyGarbage = PackagedJarIT.runJar("--plugin-dir", plugins.toString(), "list");
        assertThat(onlyGarbage.code()).as(onlyGarbage.err()).isEqualTo(ConnectorsCli.EXIT_USAGE);
        assertThat(onlyGarbage.err()).contains(garbage.toAbsolutePath() + " is not a readable jar");
    }

    @Test
    void transformStreamsALargeSingleReplyInASmallHeap() throws Exception {
        Path reply = dir.resolve("reply.json");
        int endpoints = 120_000;
        try (Writer w = Files.newBufferedWriter(reply, UTF_8)) {
            w.write("{\"reply\": {\"total_count\": " + endpoints + ", \"result_count\": " + endpoints
                    + ", \"endpoints\": [");
            for (int i = 0; i < endpoints; i++) {
                w.write((i == 0 ? "" : ",") + "{\"endpoint_id\": \"e" + i + "\", \"endpoint_name\": \"host-" + i
                        + "\", \"endpoint_type\": \"AGENT_TYPE_SERVER\", \"os_type\": \"AGENT_OS_LINUX\", "
                        + "\"ip\": [\"10.0." + i % 250 + ".1\"], \"padding\": \"" + "p".repeat(300) + "\"}");
            }
            w.write("]}}");
        }
        assertThat(Files.size(reply)).isGreaterThan(40L * 1024 * 1024);

        // 32 MB of heap cannot hold the reply whole: only a streamed read finishes
        Process transform = new ProcessBuilder(java(), "-Xmx32m", "-jar", "target/connectors.jar", "transform",
                "--connector", "cortex-xdr", "--map", "Cortex XDR Asset Transform Map", "--input", reply.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(dir.resolve("transform.err").toFile())
                .start();
        assertThat(transform.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String err = Files.readString(dir.resolve("transform.err"));
        assertThat(transform.exitValue()).as(err).isIn(ConnectorsCli.EXIT_OK, ConnectorsCli.EXIT_FAILURE);
        assertThat(err).contains("transform: " + endpoints + " records read").doesNotContain("OutOfMemoryError");
    }

    // ------------------------------------------------------------------ helpers

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Path instance(String name, String baseUrl, String key, String ca) throws IOException {
        return instance(name, baseUrl, key, ca, null);
    }

    private Path instance(String name, String baseUrl, String key, String ca, Map<String, String> schedule)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("connector", "cortex-xdr");
        root.put("name", name);
        ObjectNode config = root.putObject("config");
        config.put("baseUrl", baseUrl);
        config.put("apiKey", key);
        config.put("apiKeyId", "1");
        config.put("dataToSync", "assets");
        config.put("caCertificate", ca == null ? CortexXdrSimulator.bundledCaCertificatePem() : ca);
        if (schedule != null) {
            root.set("schedule", JSON.valueToTree(schedule));
        }
        Path file = dir.resolve("instance-" + Math.abs(name.hashCode()) + ".json");
        Files.writeString(file, root.toPrettyString());
        return file;
    }

    private static List<Path> files(Path... roots) throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path root : roots) {
            if (Files.exists(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile).forEach(all::add);
                }
            }
        }
        return all;
    }

    /** An HTTPS tenant on 127.0.0.1 with the simulator's test certificate that answers every request with one body. */
    private static final class HostileTenant implements AutoCloseable {
        private final HttpsServer server;
        private final AtomicReference<byte[]> body = new AtomicReference<>(new byte[0]);
        private final AtomicInteger requests = new AtomicInteger();

        HostileTenant() {
            try (InputStream keys = CortexXdrSimulator.class.getResourceAsStream("simulator.p12")) {
                char[] password = "simulator-test-only".toCharArray();
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(keys, password);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, password);
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(kmf.getKeyManagers(), null, null);
                server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
                server.setHttpsConfigurator(new HttpsConfigurator(tls));
                server.createContext("/", exchange -> {
                    requests.incrementAndGet();
                    exchange.getRequestBody().readAllBytes();
                    byte[] b = body.get();
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(b);
                    }
                });
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        void reply(String json) {
            body.set(json.getBytes(UTF_8));
        }

        int requests() {
            return requests.get();
        }

        String baseUrl() {
            return "https://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
