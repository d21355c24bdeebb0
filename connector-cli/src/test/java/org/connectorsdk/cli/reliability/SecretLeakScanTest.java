package org.connectorsdk.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.connectorsdk.cli.ConnectorsCli;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;

/**
 * The secret leak scan over the command line: list, describe, transform, check and sync (with
 * inline, file and advanced keys, a wrong key, verbose), status, and the demo. Their stdout,
 * stderr, the log lines they emit, and every file under the output and state directories are
 * searched for the keys and their SHA-256: zero hits. Output and state are owner-only.
 */
class SecretLeakScanTest {
    static final String STANDARD_KEY = "leak-scan-standard-key-4f1e2d3c4b5a69788796";
    static final String ADVANCED_KEY = "leak-scan-advanced-key-a1b2c3d4e5f60718293a";
    static final String WRONG_KEY = "leak-scan-wrong-key-0f0e0d0c0b0a09080706";
    static final List<String> SECRETS = List.of(STANDARD_KEY, ADVANCED_KEY, WRONG_KEY);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private CortexXdrSimulator tenant;
    private final StringBuilder printed = new StringBuilder();
    private PrintStream originalErr;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void start() {
        tenant = CortexXdrSimulator.builder().endpoints(120).seed(3).standardKey("1", STANDARD_KEY)
                .advancedKey("2", ADVANCED_KEY).start();
        // slf4j-simple looks System.err up on every write in these tests (simplelogger.properties)
        originalErr = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(originalErr);
        tenant.close();
    }

    private int cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ConnectorsCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        printed.append(String.join(" ", args)).append('\n').append(out).append(err);
        return code;
    }

    private Path instance(String name, String keyId, String key, String level) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("connector", "cortex-xdr");
        root.put("name", name);
        ObjectNode config = root.putObject("config");
        config.put("baseUrl", tenant.baseUrl());
        config.put("apiKey", key);
        config.put("apiKeyId", keyId);
        config.put("securityLevel", level);
        config.put("dataToSync", "assets");
        config.put("maxRequestsPerSecond", 10);
        config.put("caCertificate", tenant.caCertificatePem());
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, root.toPrettyString());
        return file;
    }

    @Test
    void noCommandPrintsLogsOrWritesAKeyOrItsHash() throws IOException {
        Path out = dir.resolve("out");
        Path state = dir.resolve("state");
        Files.writeString(dir.resolve("key"), STANDARD_KEY);

        assertThat(cli("list")).isZero();
        assertThat(cli("describe", "cortex-xdr")).isZero();
        assertThat(cli("describe", "cortex-xdr", "--json")).isZero();
        Path raw = dir.resolve("raw.json");
        Files.writeString(raw, JSON.writeValueAsString(List.of(tenant.endpoint(0), tenant.endpoint(1))));
        assertThat(cli("transform", "--connector", "cortex-xdr", "--map", "Cortex XDR Asset Transform Map",
                "--input", raw.toString())).isZero();

        Path inline = instance("inline-key", "1", STANDARD_KEY, "standard");
        assertThat(cli("sync", "--instance", inline.toString(), "--out", out.toString(), "--state", state.toString()))
                .as(printed.toString()).isZero();
        Path fromFile = instance("file-key", "1", "file:" + dir.resolve("key"), "standard");
        assertThat(cli("sync", "--instance", fromFile.toString(), "--out", out.toString(), "--state",
                state.toString(), "--verbose")).as(printed.toString()).isZero();
        Path advanced = instance("advanced-key", "2", ADVANCED_KEY, "advanced");
        assertThat(cli("sync", "--instance", advanced.toString(), "--out", out.toString(), "--state",
                state.toString(), "--verbose")).as(printed.toString()).isZero();
        Path wrong = instance("wrong-key", "1", WRONG_KEY, "standard");
        assertThat(cli("sync", "--instance", wrong.toString(), "--out", out.toString(), "--state", state.toString(),
                "--verbose")).isEqualTo(ConnectorsCli.EXIT_FAILURE);

        assertThat(cli("check", "--instance", inline.toString())).as(printed.toString()).isZero();
        assertThat(cli("check", "--instance", advanced.toString(), "--verbose")).as(printed.toString()).isZero();
        assertThat(cli("check", "--instance", wrong.toString(), "--verbose")).isEqualTo(ConnectorsCli.EXIT_FAILURE);
        assertThat(cli("status", "--state", state.toString())).as(printed.toString()).isZero();

        String everything = printed + logs.toString(StandardCharsets.UTF_8);
        assertThat(everything).contains("inline-key", "advanced-key", "AUTHENTICATION");
        assertNoSecret("the commands' output and logs", everything);
        List<Path> files = files(out, state);
        assertThat(files).hasSizeGreaterThan(6);
        for (Path f : files) {
            assertNoSecret(f.toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
        }
        assertOwnerOnly(out);
        assertOwnerOnly(state);
    }

    @Test
    void theDemoNeverShowsItsKey() throws IOException {
        Path out = dir.resolve("demo-out");
        assertThat(cli("demo", "--endpoints", "40", "--out", out.toString())).as(printed.toString()).isZero();
        // the demo's key is 24 random bytes in hex, known only inside the command: no such token
        // may appear anywhere it printed, logged or wrote
        Pattern key = Pattern.compile("(?<![0-9a-fA-F])[0-9a-f]{48}(?![0-9a-fA-F])");
        List<String> hits = new ArrayList<>();
        collect(key, "output", printed + logs.toString(StandardCharsets.UTF_8), hits);
        for (Path f : files(out)) {
            collect(key, f.toString(), Files.readString(f, StandardCharsets.ISO_8859_1), hits);
        }
        assertThat(hits).isEmpty();
        assertOwnerOnly(out);
    }

    private static void collect(Pattern p, String where, String text, List<String> hits) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            hits.add(where + ": " + m.group());
        }
    }

    private static List<Path> files(Path... roots) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> all = Files.walk(root)) {
                all.filter(Files::isRegularFile).forEach(out::add);
            }
        }
        return out;
    }

    static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertThat(text).as(where + " carries a key").doesNotContain(secret);
            assertThat(text).as(where + " carries a key's SHA-256").doesNotContain(sha256(secret));
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertOwnerOnly(Path root) throws IOException {
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
}
