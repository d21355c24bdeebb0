package org.connectorsdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small validator of records against the target model's JSON Schemas, which the runtime reads
 * and publishes ({@link org.connectorsdk.runtime.transform.TargetModel}): it understands the parts
 * of JSON Schema they use: {@code type}, {@code required}, {@code properties},
 * {@code additionalProperties: false}, {@code items}, {@code enum}, {@code const},
 * {@code minimum}/{@code maximum}, {@code minLength}, {@code pattern}, {@code format: date-time},
 * and {@code $ref} to {@code #/$defs/...} or to a sibling schema file. It answers with every
 * violation, each naming the path, so a failure shows what was found.
 */
final class TargetModel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TargetModel() {
    }

    /** Whether the runtime publishes a schema for {@code kind}. */
    static boolean exists(String kind) {
        return org.connectorsdk.runtime.transform.TargetModel.exists(kind);
    }

    /** The schema of {@code kind} (e.g. {@code asset}), as the runtime publishes it. */
    static JsonNode schema(String kind) {
        return load(kind + ".schema.json");
    }

    private static JsonNode load(String file) {
        return org.connectorsdk.runtime.transform.TargetModel.schemaFile(file);
    }

    /** Every way {@code record} breaks the schema of {@code kind}; empty when it conforms. */
    static List<String> violations(String kind, Object record) {
        JsonNode schema = schema(kind);
        return violations(schema, schema, record);
    }

    /** Every way {@code value} breaks {@code schema} (whose {@code $defs} live in {@code root}). */
    static List<String> violations(JsonNode root, JsonNode schema, Object value) {
        List<String> out = new ArrayList<>();
        check(root, schema, value, "$", out);
        return out;
    }

    private static void check(JsonNode root, JsonNode schema, Object value, String at, List<String> out) {
        if (schema == null || schema.isBoolean() && schema.booleanValue()) {
            return;
        }
        if (schema.isBoolean()) {
            out.add(at + " is not allowed");
            return;
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            JsonNode target;
            JsonNode targetRoot = root;
            if (ref.startsWith("#")) {
                target = root.at(ref.substring(1));
            } else {
                int hash = ref.indexOf('#');
                targetRoot = load(hash < 0 ? ref : ref.substring(0, hash));
                target = hash < 0 ? targetRoot : targetRoot.at(ref.substring(hash + 1));
            }
            if (target.isMissingNode()) {
                throw new IllegalArgumentException("Schema reference " + ref + " does not resolve");
            }
            check(targetRoot, target, value, at, out);
        }
        for (String combiner : List.of("allOf")) {
            if (schema.has(combiner)) {
                for (JsonNode sub : schema.get(combiner)) {
                    check(root, sub, value, at, out);
                }
            }
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
            out.add(at + " must be " + schema.get("type").toString().replace("\"", "") + ", found "
                    + describe(value));
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode option : schema.get("enum")) {
                found |= RecordPaths.sameValue(plain(option), value);
            }
            if (!found) {
                out.add(at + " must be one of " + schema.get("enum") + ", found " + RecordPaths.show(value));
            }
        }
        if (schema.has("const") && !RecordPaths.sameValue(plain(schema.get("const")), value)) {
            out.add(at + " must be " + schema.get("const") + ", found " + RecordPaths.show(value));
        }
        if (value instanceof Number n) {
            if (schema.has("minimum") && n.doubleValue() < schema.get("minimum").asDouble()) {
                out.add(at + " must be at least " + schema.get("minimum") + ", found " + n);
            }
            if (schema.has("maximum") && n.doubleValue() > schema.get("maximum").asDouble()) {
                out.add(at + " must be at most " + schema.get("maximum") + ", found " + n);
            }
        }
        if (value instanceof String s) {
            if (schema.has("minLength") && s.length() < schema.get("minLength").asInt()) {
                out.add(at + " must have at least " + schema.get("minLength") + " characters, found "
                        + RecordPaths.show(s));
            }
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
                out.add(at + " must match " + schema.get("pattern").asText() + ", found " + RecordPaths.show(s));
            }
            if (schema.has("format") && schema.get("format").asText().equals("date-time")) {
                try {
                    OffsetDateTime.parse(s);
                } catch (DateTimeParseException e) {
                    out.add(at + " must be an ISO-8601 date-time, found " + RecordPaths.show(s));
                }
            }
        }
        if (value instanceof Map<?, ?> map) {
            if (schema.has("required")) {
                for (JsonNode name : schema.get("required")) {
                    if (map.get(name.asText()) == null) {
                        out.add(at + "." + name.asText() + " is required but absent (fields found: "
                                + map.keySet() + ")");
                    }
                }
            }
            JsonNode properties = schema.path("properties");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (properties.has(key)) {
                    if (e.getValue() != null) {
                        check(root, properties.get(key), e.getValue(), at + "." + key, out);
                    }
                } else if (schema.has("additionalProperties")) {
                    JsonNode extra = schema.get("additionalProperties");
                    if (extra.isBoolean() && !extra.booleanValue()) {
                        out.add(at + "." + key + " is not in the model (known fields: " + names(properties) + ")");
                    } else if (extra.isObject() && e.getValue() != null) {
                        check(root, extra, e.getValue(), at + "." + key, out);
                    }
                }
            }
        }
        if (value instanceof List<?> list && schema.has("items")) {
            for (int i = 0; i < list.size(); i++) {
                check(root, schema.get("items"), list.get(i), at + "[" + i + "]", out);
            }
        }
    }

    private static List<String> names(JsonNode properties) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static boolean typeMatches(JsonNode type, Object value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "null" -> value == null;
            case "number" -> value instanceof Number;
            case "integer" -> value instanceof Number n && isWhole(n);
            default -> true;
        };
    }

    private static boolean isWhole(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof java.math.BigInteger) {
            return true;
        }
        double d = n.doubleValue();
        return d == Math.rint(d) && !Double.isInfinite(d);
    }

    private static Object plain(JsonNode node) {
        return JSON.convertValue(node, Object.class);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String type = value instanceof Map ? "an object" : value instanceof List ? "an array"
                : value instanceof String ? "a string" : value instanceof Boolean ? "a boolean"
                : value instanceof Number ? "a number" : value.getClass().getSimpleName();
        return type + " " + RecordPaths.show(value);
    }
}
