package org.connectorsdk.cortexxdr.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.cortexxdr.CortexXdrConnector;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.cortexxdr.RuntimeContexts;
import org.connectorsdk.runtime.transform.TransformEngine;

/**
 * Bad input without the sync runtime: a thousand seeded mutations and truncations of recorded
 * Cortex XDR replies (and of a simulator page), each served over verified TLS to the plugin's
 * real reader through the runtime's real transport. Each must end in a page whose records the
 * transform maps accept or reject, or in a {@link ConnectorException} of kind
 * {@link ErrorKind#BAD_RESPONSE} (another kind only when the body carries the vendor's error
 * envelope): never another exception, never a hang.
 */
class MutatedRepliesTest {
    static final long SEED = 20_261_125L;
    static final int CASES = 1_000;
    static final String KEY = "bad-input-test-key-0123456789abcdef";
    static final Duration PER_CASE = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIXTURES = List.of(
            "demisto-content__CoreIRApiModule__get_endpoints.json",
            "demisto-content__CoreIRApiModule__get_endpoints_linux_response.json",
            "demisto-content__CoreIRApiModule__get_endpoints_mac_response.json",
            "demisto-content__CoreIRApiModule__get_endpoints_windows_response.json",
            "demisto-content__CortexCoreIR_test__error_500_public_api.json",
            "demisto-content__CortexXDRIR__get_alerts_by_filter_results.json",
            "demisto-content__CortexXDRIR__get_all_endpoints.json",
            "demisto-content__CortexXDRIR__get_incident_extra_data.json",
            "demisto-content__CortexXDRIR__get_incident_extra_data_host_id_array.json",
            "demisto-content__CortexXDRIR__get_incidents_list.json",
            "demisto-content__CortexXDRIR__get_incidents_list_dedup.json",
            "demisto-content__CortexXDRIR__get_multiple_incidents_extra_data.json",
            "rapid7-insightconnect__error_401_unauthorized.json",
            "rapid7-insightconnect__get_incidents.json",
            "rapid7-insightconnect__get_query_results.json",
            "rapid7-insightconnect__monitor_alerts.json",
            "rapid7-insightconnect__monitor_alerts_empty.json",
            "rapid7-insightconnect__start_xql_query.json");

    private static ReplyServer server;
    private static StreamReader reader;
    private static ExecutorService worker;
    private static List<CompiledMap> maps;

    @BeforeAll
    static void start() {
        server = new ReplyServer();
        ConnectorConfig config = Configs.config(server.baseUrl(), KEY);
        CortexXdrConnector connector = new CortexXdrConnector();
        reader = connector.open(config, RuntimeContexts.context("bad-input", List.of(KEY),
                new TickingClock(Instant.parse("2026-11-25T00:00:00Z"), Duration.ofSeconds(1))));
        worker = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "bad-input-reader");
            t.setDaemon(true);
            return t;
        });
        // the asset and vulnerability maps, as the connector declares them
        maps = connector.transformMaps().stream().filter(map -> map.sourceStream().equals("assets"))
                .map(TransformEngine::compile).toList();
    }

    @AfterAll
    static void stop() {
        reader.close();
        worker.shutdownNow();
        server.close();
    }

    /** What one served body led to. */
    record Outcome(String label, String failure) {
        static Outcome ok(String label) {
            return new Outcome(label, null);
        }
    }

    @Test
    void aThousandSeededMutationsEndInAPageOrABadResponse() {
        List<Seed> seeds = seeds();
        Random random = new Random(SEED);
        Map<String, Integer> tally = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Seed seed = seeds.get(random.nextInt(seeds.size()));
            Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
            byte[] body = mutation.apply(seed.body(), random);
            Outcome outcome = serve(body);
            tally.merge(outcome.label(), 1, Integer::sum);
            if (outcome.failure() != null && failures.size() < 20) {
                failures.add("case " + i + " (" + mutation + " of " + seed.name() + "): " + outcome.failure()
                        + "\n  body: " + preview(body));
            }
        }
        assertThat(failures).as("cases that ended badly; outcomes: %s", tally).isEmpty();
        // the mutations must bite both ways, or this test proves nothing
        assertThat(tally).containsKeys("page", "BAD_RESPONSE");
        assertThat(tally.get("BAD_RESPONSE")).isGreaterThan(CASES / 4);
        assertThat(server.requests()).isGreaterThanOrEqualTo(CASES);
    }

    @Test
    void deeplyNestedArraysAreABadResponseNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertBadResponse(deep);
        assertBadResponse("{\"reply\":{\"endpoints\":[{\"endpoint_id\":\"a\",\"x\":" + deep + "}],\"total_count\":1}}");
    }

    @Test
    void deeplyNestedObjectsAreABadResponseNotAStackOverflow() {
        String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertBadResponse(deep);
        assertBadResponse("{\"reply\":{\"endpoints\":[{\"endpoint_id\":\"a\",\"x\":" + deep + "}],\"total_count\":1}}");
    }

    @Test
    void aFiftyMegabyteStringIsABadResponseNotAnOutOfMemory() {
        String huge = "x".repeat(50 * 1024 * 1024);
        assertBadResponse("{\"reply\":{\"endpoints\":[{\"endpoint_id\":\"a\",\"host_name\":\"" + huge
                + "\"}],\"total_count\":1}}");
    }

    @Test
    void aNumberWithAHundredThousandDigitsIsABadResponse() {
        assertBadResponse("{\"reply\":{\"endpoints\":[],\"total_count\":" + "9".repeat(100_000) + "}}");
    }

    @Test
    void aBodyPastTheTransportLimitIsABadResponse() {
        // 70 MB of valid JSON: the transport refuses it before any parsing
        StringBuilder b = new StringBuilder(71 * 1024 * 1024).append("{\"reply\":{\"endpoints\":[");
        String endpoint = "{\"endpoint_id\":\"e\",\"pad\":\"" + "p".repeat(1000) + "\"}";
        while (b.length() < 70 * 1024 * 1024) {
            b.append(endpoint).append(',');
        }
        b.setLength(b.length() - 1);
        assertBadResponse(b.append("]}}").toString());
    }

    private void assertBadResponse(String body) {
        Outcome outcome = serve(body.getBytes(StandardCharsets.UTF_8));
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.label()).isEqualTo("BAD_RESPONSE");
    }

    /** Serves {@code body}, reads one page, and says how it ended. */
    private Outcome serve(byte[] body) {
        server.reply(body);
        Future<Page> future = worker.submit(() -> reader.read(PageRequest.first(CortexXdrConnector.ASSETS)));
        Page page;
        try {
            page = future.get(PER_CASE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome("hang", "no answer within " + PER_CASE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            return classify(e.getCause(), body);
        }
        return checkPage(page);
    }

    private static Outcome classify(Throwable t, byte[] body) {
        if (!(t instanceof ConnectorException ce)) {
            return new Outcome(t.getClass().getSimpleName(), "threw " + t);
        }
        if (ce.getMessage().contains(KEY)) {
            return new Outcome("leak", "the message carries the key: " + ce.getMessage());
        }
        if (ce.kind() == ErrorKind.BAD_RESPONSE) {
            return Outcome.ok("BAD_RESPONSE");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        boolean envelope = text.contains("err_code") || text.contains("err_msg");
        if (envelope && ce.kind() != ErrorKind.INTERNAL) {
            return Outcome.ok("envelope " + ce.kind());
        }
        return new Outcome(ce.kind().name(), "ended in " + ce.kind() + " without an error envelope: " + ce.getMessage());
    }

    private static Outcome checkPage(Page page) {
        for (Map<String, Object> record : page.records()) {
            if (!(record.get("endpoint_id") instanceof String id) || id.isBlank()) {
                return new Outcome("page", "a record without a string endpoint_id: " + record.keySet());
            }
            for (CompiledMap map : maps) {
                try {
                    map.apply(record);
                } catch (RuntimeException e) {
                    return new Outcome("transform", map.map().name() + " threw " + e);
                }
            }
        }
        return Outcome.ok("page");
    }

    private static String preview(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return s.replaceAll("\\s+", " ") + (body.length > 300 ? "... (" + body.length + " bytes)" : "");
    }

    record Seed(String name, byte[] body) {
    }

    static List<Seed> seeds() {
        List<Seed> seeds = new ArrayList<>();
        for (String name : FIXTURES) {
            try (InputStream in = MutatedRepliesTest.class.getResourceAsStream("replies/" + name)) {
                seeds.add(new Seed(name, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // a simulator page: the shape the plugin reads most, with total_count and result_count
        try (CortexXdrSimulator sim = CortexXdrSimulator.builder().endpoints(5).seed(11).start()) {
            List<Object> endpoints = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                endpoints.add(sim.endpoint(i));
            }
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("total_count", 5);
            reply.put("result_count", 5);
            reply.put("endpoints", endpoints);
            seeds.add(new Seed("simulator page", JSON.writeValueAsBytes(Map.of("reply", reply))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return seeds;
    }

    /** Ways to spoil a reply, byte-wise and JSON-wise. */
    enum Mutation {
        TRUNCATE {
            @Override
            byte[] apply(byte[] in, Random r) {
                return java.util.Arrays.copyOf(in, r.nextInt(in.length));
            }
        },
        REPLACE_BYTE {
            @Override
            byte[] apply(byte[] in, Random r) {
                byte[] out = in.clone();
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    out[r.nextInt(out.length)] = (byte) JUNK.charAt(r.nextInt(JUNK.length()));
                }
                return out;
            }
        },
        DELETE_RANGE {
            @Override
            byte[] apply(byte[] in, Random r) {
                int from = r.nextInt(in.length);
                int to = Math.min(in.length, from + 1 + r.nextInt(40));
                return concat(slice(in, 0, from), slice(in, to, in.length));
            }
        },
        DUPLICATE_RANGE {
            @Override
            byte[] apply(byte[] in, Random r) {
                int from = r.nextInt(in.length);
                int to = Math.min(in.length, from + 1 + r.nextInt(60));
                return concat(slice(in, 0, to), slice(in, from, in.length));
            }
        },
        INSERT_JUNK {
            @Override
            byte[] apply(byte[] in, Random r) {
                byte[][] junk = {{0}, {(byte) 0xC3, 0x28}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        {(byte) 0xFF, (byte) 0xFE}, "NaN".getBytes(StandardCharsets.US_ASCII),
                        "1e999999".getBytes(StandardCharsets.US_ASCII), "\"\\u12".getBytes(StandardCharsets.US_ASCII),
                        "/* c */".getBytes(StandardCharsets.US_ASCII), "<html>".getBytes(StandardCharsets.US_ASCII)};
                int at = r.nextInt(in.length + 1);
                return concat(slice(in, 0, at), junk[r.nextInt(junk.length)], slice(in, at, in.length));
            }
        },
        REPLACE_VALUE {
            @Override
            byte[] apply(byte[] in, Random r) {
                return json(in, r, (root, node, key) -> replace(node, key, value(r)));
            }
        },
        REMOVE_FIELD {
            @Override
            byte[] apply(byte[] in, Random r) {
                return json(in, r, (root, node, key) -> {
                    if (node instanceof ObjectNode o) {
                        o.remove(key);
                    } else if (node instanceof ArrayNode a) {
                        a.remove(Integer.parseInt(key));
                    }
                });
            }
        },
        RENAME_FIELD {
            @Override
            byte[] apply(byte[] in, Random r) {
                return json(in, r, (root, node, key) -> {
                    if (node instanceof ObjectNode o) {
                        JsonNode v = o.remove(key);
                        o.set(key.toUpperCase(java.util.Locale.ROOT) + "_", v);
                    }
                });
            }
        },
        RESHAPE_ROOT {
            @Override
            byte[] apply(byte[] in, Random r) {
                JsonNode root = parse(in);
                if (root == null) {
                    return TRUNCATE.apply(in, r);
                }
                JsonNodeFactory f = JsonNodeFactory.instance;
                JsonNode out = switch (r.nextInt(5)) {
                    case 0 -> f.arrayNode().add(root);
                    case 1 -> root.path("reply").isMissingNode() ? f.objectNode().set("reply", root) : root.get("reply");
                    case 2 -> f.objectNode().set("reply", f.objectNode().set("endpoints", root));
                    case 3 -> f.objectNode().set("reply", f.textNode(root.toString()));
                    default -> f.objectNode().set("reply", f.objectNode().put("endpoints", "none")
                            .put("total_count", -5));
                };
                return out.toString().getBytes(StandardCharsets.UTF_8);
            }
        },
        AS_IS {
            @Override
            byte[] apply(byte[] in, Random r) {
                return in;
            }
        };

        static final String JUNK = " {}[],:\"\\0123456789-+.eEtrufalsn\u0001\u007f";

        abstract byte[] apply(byte[] in, Random r);

        interface Edit {
            void edit(JsonNode root, JsonNode parent, String key);
        }

        static JsonNode parse(byte[] in) {
            try {
                return JSON.readTree(in);
            } catch (IOException e) {
                return null;
            }
        }

        /** Applies {@code edit} to one randomly chosen member of the tree. */
        static byte[] json(byte[] in, Random r, Edit edit) {
            JsonNode root = parse(in);
            if (root == null || !root.isContainerNode() || root.isEmpty()) {
                return REPLACE_BYTE.apply(in, r);
            }
            List<Map.Entry<JsonNode, String>> members = new ArrayList<>();
            collect(root, members);
            if (members.isEmpty()) {
                return REPLACE_BYTE.apply(in, r);
            }
            Map.Entry<JsonNode, String> m = members.get(r.nextInt(members.size()));
            edit.edit(root, m.getKey(), m.getValue());
            return root.toString().getBytes(StandardCharsets.UTF_8);
        }

        static void collect(JsonNode node, List<Map.Entry<JsonNode, String>> out) {
            if (node.isObject()) {
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    out.add(Map.entry(node, k));
                    collect(node.get(k), out);
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    out.add(Map.entry(node, Integer.toString(i)));
                    collect(node.get(i), out);
                }
            }
        }

        static void replace(JsonNode parent, String key, JsonNode value) {
            if (parent instanceof ObjectNode o) {
                o.set(key, value);
            } else if (parent instanceof ArrayNode a) {
                a.set(Integer.parseInt(key), value);
            }
        }

        static JsonNode value(Random r) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            return switch (r.nextInt(12)) {
                case 0 -> f.nullNode();
                case 1 -> f.numberNode(r.nextLong());
                case 2 -> f.numberNode(-1);
                case 3 -> f.numberNode(new java.math.BigDecimal("1e400"));
                case 4 -> f.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
                case 5 -> f.textNode("");
                case 6 -> f.textNode("x".repeat(r.nextInt(20_000)));
                case 7 -> f.arrayNode();
                case 8 -> f.objectNode();
                case 9 -> f.booleanNode(r.nextBoolean());
                case 10 -> nested(f, 1 + r.nextInt(300));
                default -> f.textNode("\u0000\ud800\u202e<script>");
            };
        }

        static JsonNode nested(JsonNodeFactory f, int depth) {
            JsonNode n = f.numberNode(1);
            for (int i = 0; i < depth; i++) {
                n = f.arrayNode().add(n);
            }
            return n;
        }

        static byte[] slice(byte[] in, int from, int to) {
            return java.util.Arrays.copyOfRange(in, from, to);
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
}
