package org.connectorsdk.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.connectorsdk.cli.ConnectorsCli;

/**
 * Bad instance files: a thousand seeded mutations of a valid file, each fed to
 * {@code connectors sync} in process. Every one is answered with exit code 2 and exactly one
 * line on stderr naming the problem: never a stack trace, never a hang, never the API key.
 *
 * <p>The valid file points at {@code https://127.0.0.1:1} (nothing listens there), so a
 * mutation that stayed valid would show as exit code 1, not slip through.
 */
class MutatedInstanceFilesTest {
    static final long SEED = 20_261_125L;
    static final int CASES = 1_000;
    static final String KEY = "inline-instance-key-5b7d1e9f3a2c";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    static Path dir;
    private static ExecutorService worker;

    @BeforeAll
    static void start() {
        worker = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "cli-under-test");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stop() {
        worker.shutdownNow();
    }

    static ObjectNode valid() {
        ObjectNode root = F.objectNode();
        root.put("connector", "cortex-xdr");
        root.put("name", "tenant-eu");
        root.put("description", "EU production tenant");
        ObjectNode config = root.putObject("config");
        config.put("baseUrl", "https://127.0.0.1:1");
        config.put("apiKey", KEY);
        config.put("apiKeyId", "2");
        config.put("securityLevel", "standard");
        config.put("dataToSync", "assets-and-findings");
        config.putArray("events");
        config.put("maxRequestsPerSecond", 5);
        config.put("batchSize", 100);
        ObjectNode schedule = root.putObject("schedule");
        schedule.put("type", "recurring");
        schedule.put("every", "P1D");
        schedule.put("start", "2026-05-13T16:37");
        schedule.put("zone", "Asia/Calcutta");
        return root;
    }

    /** One outcome: exit code and what was printed. */
    record Outcome(int code, String out, String err) {
    }

    static Outcome sync(Path instance, int i) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = {"sync", "--instance", instance.toString(), "--out", dir.resolve("out-" + i).toString(),
                "--state", dir.resolve("state-" + i).toString()};
        int code = ConnectorsCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void theValidFileItselfGetsPastValidation() throws IOException {
        // the control: without a mutation the file is valid and the run fails on the network
        Path file = dir.resolve("valid.json");
        Files.writeString(file, valid().toPrettyString());
        Outcome o = sync(file, -1);
        assertThat(o.code()).as(o.err()).isEqualTo(1);
        assertThat(o.out() + o.err()).doesNotContain(KEY);
    }

    /**
     * Problems the config spec cannot see, because the value is only resolved or parsed when a
     * connection is made: still one line naming the field, before any request, and exit 2 like
     * every other bad input: the check result that reports them carries the CONFIGURATION kind.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '=', value = {
        "apiKey=env:NO_SUCH_VARIABLE_FOR_RELIABILITY_TESTS",
        "apiKey=file:/no/such/dir/key",
        "caCertificate=file:/no/such/ca.pem",
        "caCertificate=env:NO_SUCH_CA_VARIABLE_FOR_RELIABILITY_TESTS",
        "caCertificate=-----BEGIN CERTIFICATE-----AAAA-----END CERTIFICATE-----",
        "lastSeenAfter=2026-13-01T00:00Z",
    })
    void aProblemFoundOnlyWhenTheConfigIsUsedIsOneLineNamingTheField(String field, String value) throws IOException {
        ObjectNode root = valid();
        ((ObjectNode) root.get("config")).put(field, value);
        Path file = dir.resolve("late-" + field + "-" + Math.abs(value.hashCode()) + ".json");
        Files.writeString(file, root.toPrettyString());
        Outcome o = sync(file, Math.abs(value.hashCode()));
        String err = o.err().strip();
        assertThat(o.code()).as(err).isEqualTo(ConnectorsCli.EXIT_USAGE);
        assertThat(err.lines()).hasSize(1);
        // a file: reference is read before any check; the rest surface through the first check
        String start = value.startsWith("file:") ? "connectors: Config field '" + field + "' refers to file "
                : "connectors: Instance 'tenant-eu' was not registered: the NETWORK_REACHABILITY check (Network"
                        + " Reachability) failed: ";
        assertThat(err).startsWith(start).contains(field).doesNotContain(KEY).doesNotContain("\tat ");
    }

    @Test
    void aThousandSeededMutationsAreEachOneLineAndExitCode2() throws Exception {
        Random random = new Random(SEED);
        String original = valid().toPrettyString();
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Mutant m = mutate(original, random);
            kinds.merge(m.kind(), 1, Integer::sum);
            Path file = dir.resolve("instance-" + i + ".json");
            Files.write(file, m.bytes());
            int n = i;
            Future<Outcome> run = worker.submit(() -> sync(file, n));
            Outcome o;
            try {
                o = run.get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                run.cancel(true);
                failures.add("case " + i + " (" + m.kind() + "): no answer within 30 s");
                continue;
            } catch (ExecutionException e) {
                failures.add("case " + i + " (" + m.kind() + "): threw " + e.getCause());
                continue;
            }
            String problem = check(o, m);
            if (problem != null && failures.size() < 20) {
                failures.add("case " + i + " (" + m.kind() + "): " + problem + "\n  file: "
                        + new String(m.bytes(), StandardCharsets.UTF_8).replaceAll("\\s+", " ")
                                .substring(0, Math.min(400, m.bytes().length)));
            }
        }
        assertThat(failures).as("mutations by kind: %s", kinds).isEmpty();
        assertThat(kinds).hasSizeGreaterThan(20);
    }

    private static String check(Outcome o, Mutant m) {
        String err = o.err().strip();
        if (o.code() != ConnectorsCli.EXIT_USAGE) {
            return "exit code " + o.code() + ", stderr: " + err;
        }
        if (err.isEmpty() || err.lines().count() != 1) {
            return "not one line on stderr: " + err;
        }
        if (!err.startsWith("connectors: ") || err.contains("\tat ") || err.contains("Exception:")) {
            return "not a clean problem line: " + err;
        }
        if ((o.out() + o.err()).contains(KEY)) {
            return "the output carries the API key: " + err;
        }
        if (m.names() != null && !err.contains(m.names())) {
            return "the line does not name '" + m.names() + "': " + err;
        }
        return null;
    }

    /** A mutated file, what was done, and what its problem line must name (null: not checked). */
    record Mutant(String kind, byte[] bytes, String names) {
    }

    static Mutant mutate(String original, Random r) throws IOException {
        int pick = r.nextInt(10);
        if (pick < 3) {
            return syntax(original, r);
        }
        ObjectNode root = (ObjectNode) JSON.readTree(original);
        Mutant m = semantic(root, r);
        if (r.nextInt(4) == 0) {
            // a second problem on top: the line must still be one line
            Mutant again = semantic((ObjectNode) JSON.readTree(m.bytes()), r);
            return new Mutant(m.kind() + "+" + again.kind(), again.bytes(), null);
        }
        return m;
    }

    /** Byte-level damage that no JSON parser can accept. */
    static Mutant syntax(String original, Random r) {
        String s = original;
        int last = s.lastIndexOf('}');
        return switch (r.nextInt(6)) {
            case 0 -> new Mutant("truncated", bytes(s.substring(0, r.nextInt(last))), null);
            case 1 -> {
                List<Integer> between = outsideStrings(s);
                int at = between.get(r.nextInt(between.size()));
                String junk = List.of("{", "[", ",", ":", "}", "]", "@", "\u0000").get(r.nextInt(8));
                yield new Mutant("stray " + (junk.equals("\u0000") ? "NUL" : junk), bytes(s.substring(0, at) + junk
                        + s.substring(at)), null);
            }
            case 2 -> new Mutant("trailing garbage", bytes(s + "\n{\"more\": 1}"), null);
            case 3 -> new Mutant("invalid UTF-8", concat(bytes(s.substring(0, last)),
                    new byte[] {(byte) 0xC3, 0x28}, bytes(s.substring(last))), null);
            case 4 -> new Mutant("not an object", bytes(List.of("[]", "\"tenant\"", "42", "null", "true", "  ", "")
                    .get(r.nextInt(7))), null);
            default -> new Mutant("deep nesting", bytes("{\"connector\": " + "[".repeat(5_000) + "]".repeat(5_000)
                    + "}"), null);
        };
    }

    /** A well-formed file with one thing wrong, and the name its problem line must carry. */
    static Mutant semantic(ObjectNode root, Random r) {
        ObjectNode config = root.path("config") instanceof ObjectNode c ? c : root.putObject("config");
        ObjectNode schedule = root.path("schedule") instanceof ObjectNode s ? s : root.putObject("schedule");
        String kind;
        String names;
        switch (r.nextInt(24)) {
            case 0 -> {
                String f = pickOf(r, "connector", "name");
                root.remove(f);
                kind = "missing " + f;
                names = f;
            }
            case 1 -> {
                String f = pickOf(r, "baseUrl", "apiKey", "apiKeyId");
                config.remove(f);
                kind = "missing config." + f;
                names = f;
            }
            case 2 -> {
                String f = pickOf(r, "connector", "name", "description", "config", "schedule", "transformMaps");
                root.set(f, pickOf(r, F.numberNode(7), F.arrayNode().add(1), F.booleanNode(true)));
                kind = "wrong type of " + f;
                names = f;
            }
            case 3 -> {
                String f = pickOf(r, "baseUrl", "apiKey", "apiKeyId", "securityLevel", "dataToSync", "events",
                        "maxRequestsPerSecond", "batchSize");
                config.set(f, pickOf(r, F.objectNode().put("a", 1), F.booleanNode(false),
                        F.arrayNode().add(F.objectNode())));
                kind = "wrong type of config." + f;
                names = f;
            }
            case 4 -> {
                root.put(pickOf(r, "conector", "Name", "apiKey", "tenant"), "x");
                kind = "unknown field";
                names = "unknown field";
            }
            case 5 -> {
                String f = pickOf(r, "apikey", "api_key", "baseURL", "proxy", "password");
                config.put(f, "x");
                kind = "unknown config field";
                names = f;
            }
            case 6 -> {
                config.put("baseUrl", pickOf(r, "http://api-acme.xdr.eu.paloaltonetworks.com", "ftp://h",
                        "https://admin:pw@api-acme.example", "https://api-acme.example/?token=t", "https://h#f",
                        "", "not a url", "https://", "https://exa mple.com", "javascript:alert(1)"));
                kind = "bad baseUrl";
                names = "baseUrl";
            }
            case 7 -> {
                config.put("securityLevel", pickOf(r, "medium", "STANDARD ", "advanced;"));
                kind = "bad securityLevel";
                names = "securityLevel";
            }
            case 8 -> {
                config.put("dataToSync", pickOf(r, "all", "assets,findings", "assets "));
                kind = "bad dataToSync";
                names = "dataToSync";
            }
            case 9 -> {
                config.putArray("events").add(pickOf(r, "logs", "incident", ""));
                kind = "bad events";
                names = "events";
            }
            case 10 -> {
                config.set("maxRequestsPerSecond", pickOf(r, F.numberNode(0), F.numberNode(11), F.numberNode(-1),
                        F.textNode("fast"), F.numberNode(2.5), F.numberNode(new java.math.BigInteger(
                                "99999999999999999999999"))));
                kind = "bad maxRequestsPerSecond";
                names = "maxRequestsPerSecond";
            }
            case 11 -> {
                config.set("batchSize", pickOf(r, F.numberNode(0), F.numberNode(101), F.textNode("lots")));
                kind = "bad batchSize";
                names = "batchSize";
            }
            case 12 -> {
                config.put("apiKeyId", pickOf(r, "abc", "-1", "", "2 ", "0x2"));
                kind = "bad apiKeyId";
                names = "apiKeyId";
            }
            case 13 -> {
                root.put("description", "d".repeat(181 + r.nextInt(100_000)));
                kind = "long description";
                names = "description";
            }
            case 14 -> {
                root.put("name", pickOf(r, "", "../../etc", "a/b", "tenant eu", ".hidden", "x".repeat(300)));
                kind = "bad name";
                names = "name";
            }
            case 15 -> {
                root.put("connector", pickOf(r, "cortex-xdr2", "", "CORTEX-XDR", "qualys"));
                kind = "unknown connector";
                names = "connector";
            }
            case 16 -> {
                config.put("apiKey", pickOf(r, "", "   "));
                kind = "blank apiKey";
                names = "apiKey";
            }
            case 17 -> {
                root.put("name", pickOf(r, "tenant\neu", "tenant\u0000eu", "tenant\r\n\tat x.y(Z.java:1)"));
                kind = "control characters in name";
                names = "name";
            }
            case 18 -> {
                config.put(pickOf(r, "lastSeenAfter", "lastSeenBefore"), pickOf(r, "yesterday", "2026-05-01",
                        "1714521600000"));
                kind = "bad lastSeen";
                names = "lastSeen";
            }
            case 19 -> {
                schedule.put("type", pickOf(r, "sometimes", "", "ONCE "));
                kind = "bad schedule type";
                names = "schedule";
            }
            case 20 -> {
                schedule.put("every", pickOf(r, "P0D", "-P1D", "PT0S", "P1D2"));
                kind = "bad schedule every";
                names = "schedule";
            }
            case 21 -> {
                schedule.put(pickOf(r, "zone", "start"), pickOf(r, "Mars/Olympus", "13:00", "", "2026-02-30T10:00"));
                kind = "bad schedule zone or start";
                names = "schedule";
            }
            case 22 -> {
                root.putObject("transformMaps").put(pickOf(r, "No Such Map", "Cortex XDR Asset Transform Map"),
                        pickOf(r, "x", "[]", "{\"fields\": 3}"));
                kind = "bad transformMaps";
                names = null;
            }
            default -> {
                config.set("events", pickOf(r, F.textNode("incidents"), F.arrayNode().add(F.arrayNode())));
                kind = "events not a list of names";
                names = "events";
            }
        }
        return new Mutant(kind, bytes(root.toPrettyString()), names);
    }

    @SafeVarargs
    static <T> T pickOf(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    /** Offsets between tokens (not inside a string literal), where a stray character breaks the JSON. */
    static List<Integer> outsideStrings(String s) {
        List<Integer> out = new ArrayList<>();
        boolean inString = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                out.add(i);
                inString = true;
            } else if (c == ',' || c == ':' || c == '{' || c == '[') {
                out.add(i + 1);
            }
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
