package org.connectorsdk.runtime.transform;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vendor-neutral target model (asset, finding; incident and detection for events), read
 * from the JSON Schema resources the runtime publishes ({@code org/connectorsdk/runtime/model/}),
 * so the schemas a platform validates against and the paths the engine accepts can never drift
 * apart. Only the schema subset the model uses is understood: {@code type},
 * {@code properties}, {@code required}, {@code additionalProperties}, {@code items} and a
 * {@code $ref} to a sibling schema file.
 *
 * <p>Public only for its two readers of the published schemas ({@link #exists}, {@link #schemaFile}),
 * which the testkit validates records with; the model tree itself is the engine's.
 */
public final class TargetModel {
    /** The schemas stay where they were published: beside the runtime's root package. */
    static final String RESOURCE_DIR = "/org/connectorsdk/runtime/model/";
    /** The target kinds the runtime ships a schema for. */
    static final List<String> KINDS = List.of("asset", "finding", "incident", "detection", "software");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, TargetModel> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, JsonNode> FILES = new ConcurrentHashMap<>();

    /** A node of the model tree. */
    sealed interface Node permits ObjectNode, ArrayNode, LeafNode {
    }

    /** An object; {@code open} objects accept any field below them. */
    record ObjectNode(Map<String, Node> fields, Set<String> required, boolean open) implements Node {
    }

    record ArrayNode(Node items) implements Node {
    }

    record LeafNode(String type) implements Node {
    }

    /** One parsed path segment: a field name and whether {@code []} follows it. */
    record Segment(String name, boolean array) {
        @Override
        public String toString() {
            return array ? name + "[]" : name;
        }
    }

    private final String kind;
    private final String version;
    private final ObjectNode root;

    private TargetModel(String kind, String version, ObjectNode root) {
        this.kind = kind;
        this.version = version;
        this.root = root;
    }

    /** The model for {@code kind}, or empty when the runtime has no schema for it. */
    static Optional<TargetModel> forKind(String kind) {
        requireNonNull(kind, "kind is null");
        if (!KINDS.contains(kind)) {
            return Optional.empty();
        }
        return Optional.of(CACHE.computeIfAbsent(kind, TargetModel::load));
    }

    String kind() {
        return kind;
    }

    String version() {
        return version;
    }

    ObjectNode root() {
        return root;
    }

    /** The schema resource's path on the class path, for validators and docs. */
    static String resourcePath(String kind) {
        return RESOURCE_DIR.substring(1) + kind + ".schema.json";
    }

    /**
     * Checks that {@code path} names a writable field of this model.
     *
     * @return a description of the problem, or empty when the path is valid
     */
    Optional<String> check(List<Segment> path) {
        Node current = root;
        StringBuilder walked = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            Segment seg = path.get(i);
            if (!(current instanceof ObjectNode obj)) {
                return Optional.of("'" + walked + "' holds values, not fields");
            }
            if (walked.length() > 0) {
                walked.append('.');
            }
            walked.append(seg.name());
            if (seg.name().equals("_meta")) {
                return Optional.of("'" + walked + "' is written by the engine and cannot be mapped");
            }
            Node field = obj.fields().get(seg.name());
            if (field == null) {
                if (obj.open()) {
                    return seg.array() ? Optional.of("'" + walked + "' is not declared as an array") : Optional.empty();
                }
                return Optional.of("'" + walked + "' is not a field of the " + kind + " model " + version
                        + " (fields there: " + fieldNames(obj) + ")");
            }
            boolean last = i == path.size() - 1;
            if (field instanceof ArrayNode arr) {
                boolean ofObjects = arr.items() instanceof ObjectNode;
                if (ofObjects && !seg.array()) {
                    return Optional.of("'" + walked + "' is an array of objects: write '" + walked + "[]' and a field");
                }
                if (!ofObjects && seg.array()) {
                    return Optional.of("'" + walked + "' is an array of values: write '" + walked
                            + "' without [] (it takes the whole array)");
                }
                if (ofObjects && last) {
                    return Optional.of("'" + walked + "[]' needs a field of its elements after it");
                }
                current = ofObjects ? arr.items() : arr;
                if (ofObjects) {
                    walked.append("[]");
                }
            } else {
                if (seg.array()) {
                    return Optional.of("'" + walked + "' is not an array in the " + kind + " model");
                }
                if (last && field instanceof ObjectNode o && !o.open()) {
                    return Optional.of("'" + walked + "' is an object: map its fields ("
                            + String.join(", ", o.fields().keySet()) + ")");
                }
                current = field;
            }
        }
        return Optional.empty();
    }

    private static String fieldNames(ObjectNode obj) {
        return String.join(", ", obj.fields().keySet().stream().filter(f -> !f.equals("_meta")).toList());
    }

    /**
     * The required fields of the object that {@code arrayPrefix} leads to ({@code []} included),
     * e.g. {@code [finding]} gives {@code externalFindingId}; for the empty prefix, the record's own.
     */
    Set<String> requiredFields(List<Segment> arrayPrefix) {
        Node current = root;
        for (Segment seg : arrayPrefix) {
            Node field = current instanceof ObjectNode obj ? obj.fields().get(seg.name()) : null;
            if (field == null) {
                return Set.of();
            }
            current = field instanceof ArrayNode arr ? arr.items() : field;
        }
        if (!(current instanceof ObjectNode obj)) {
            return Set.of();
        }
        Set<String> required = new LinkedHashSet<>(obj.required());
        required.remove("_meta");
        return required;
    }

    /** Every mappable path, e.g. {@code networkInterfaces[].macAddress}; open objects end in {@code .*}. */
    List<String> paths() {
        List<String> out = new ArrayList<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Node node, String prefix, List<String> out) {
        if (node instanceof ObjectNode obj) {
            for (Map.Entry<String, Node> e : obj.fields().entrySet()) {
                if (e.getKey().equals("_meta")) {
                    continue;
                }
                Node child = e.getValue();
                String path = prefix + e.getKey();
                if (child instanceof ArrayNode arr && arr.items() instanceof ObjectNode) {
                    collect(arr.items(), path + "[].", out);
                } else if (child instanceof ObjectNode) {
                    collect(child, path + ".", out);
                } else {
                    out.add(path);
                }
            }
            if (obj.open()) {
                out.add(prefix + "*");
            }
        }
    }

    private static TargetModel load(String kind) {
        JsonNode schema = schemaFile(kind + ".schema.json");
        Node root = parse(schema, new HashSet<>(Set.of(kind + ".schema.json")));
        if (!(root instanceof ObjectNode obj)) {
            throw new IllegalStateException("The " + kind + " schema does not describe an object");
        }
        String version = schema.path("properties").path("_meta").path("properties").path("modelVersion")
                .path("const").asText("");
        if (version.isEmpty()) {
            throw new IllegalStateException("The " + kind + " schema has no _meta.modelVersion const");
        }
        return new TargetModel(kind, version, obj);
    }

    private static Node parse(JsonNode schema, Set<String> resolving) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!resolving.add(ref)) {
                throw new IllegalStateException("Recursive $ref in the target model: " + ref);
            }
            Node node = parse(schemaFile(ref), resolving);
            resolving.remove(ref);
            return node;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object": {
                Map<String, Node> fields = new LinkedHashMap<>();
                schema.path("properties").properties().forEach(e -> fields.put(e.getKey(), parse(e.getValue(), resolving)));
                Set<String> required = new LinkedHashSet<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                boolean open = !schema.path("additionalProperties").isBoolean()
                        || schema.path("additionalProperties").asBoolean();
                return new ObjectNode(Collections.unmodifiableMap(fields), Collections.unmodifiableSet(required), open);
            }
            case "array":
                return new ArrayNode(schema.has("items") ? parse(schema.get("items"), resolving) : new LeafNode("any"));
            default:
                return new LeafNode(type.isEmpty() ? "any" : type);
        }
    }

    /** Whether the runtime ships a schema for {@code kind} (e.g. {@code asset}). */
    public static boolean exists(String kind) {
        return KINDS.contains(requireNonNull(kind, "kind is null"));
    }

    /**
     * The published JSON Schema file {@code file}: {@code <kind>.schema.json}, or a sibling file
     * one of them refers to with {@code $ref}. Read once; do not modify it.
     *
     * @throws IllegalArgumentException naming the resource when the runtime publishes no such file
     */
    public static JsonNode schemaFile(String file) {
        requireNonNull(file, "file is null");
        return FILES.computeIfAbsent(file, TargetModel::read);
    }

    private static JsonNode read(String file) {
        String resource = RESOURCE_DIR + file;
        try (InputStream in = TargetModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No target model schema " + resource.substring(1) + " on the class "
                        + "path; the target kind must be one the runtime publishes");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read target model resource " + resource, e);
        }
    }

    @Override
    public String toString() {
        return "TargetModel[" + kind + " " + version + "]";
    }
}
