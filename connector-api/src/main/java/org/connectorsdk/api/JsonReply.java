package org.connectorsdk.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON reply as plain values (maps, lists, strings, numbers, booleans, nulls), parsed by the
 * runtime's transport ({@link HttpTransport#parseJson}), with typed reads of a top-level object's
 * fields. A field of the wrong type is a {@link ErrorKind#BAD_RESPONSE} naming the field and
 * what it held; a missing or null field reads as empty.
 *
 * <pre>{@code
 * JsonReply reply = http.getJson(request, errors);
 * List<Map<String, Object>> findings = reply.objects("data");
 * Optional<String> next = reply.text("next_cursor");
 * }</pre>
 *
 * @param body the parsed body: a {@code Map<String, Object>} for a JSON object
 */
public record JsonReply(Object body) {

    /** The body as an object's fields. */
    public Map<String, Object> object() {
        if (body instanceof Map<?, ?> map) {
            return fields(map, "the body");
        }
        throw wrongType("the body", "an object", body);
    }

    /** The array of objects in {@code field}; empty when the field is missing or null. */
    public List<Map<String, Object>> objects(String field) {
        Object value = object().get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw wrongType("field '" + field + "'", "an array of objects", value);
        }
        List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (Object element : list) {
            if (!(element instanceof Map<?, ?> map)) {
                throw wrongType("an element of field '" + field + "'", "an object", element);
            }
            out.add(fields(map, "field '" + field + "'"));
        }
        return out;
    }

    /** The string or number in {@code field} as text; empty when missing, null or blank. */
    public Optional<String> text(String field) {
        Object value = object().get(field);
        if (value == null || value instanceof String s && s.isBlank()) {
            return Optional.empty();
        }
        if (value instanceof String || value instanceof Number) {
            return Optional.of(value.toString());
        }
        throw wrongType("field '" + field + "'", "a string", value);
    }

    /** The value in {@code field} as the parser gave it; empty when missing or null. */
    public Optional<Object> get(String field) {
        return Optional.ofNullable(object().get(field));
    }

    private static Map<String, Object> fields(Map<?, ?> map, String where) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw wrongType("a key of " + where, "a string", key);
            }
        }
        @SuppressWarnings("unchecked") // every key checked above; values are plain JSON values
        Map<String, Object> fields = (Map<String, Object>) map;
        return fields;
    }

    private static ConnectorException wrongType(String what, String expected, Object found) {
        String kind = found == null ? "null" : found instanceof Map ? "an object" : found instanceof List ? "an array"
                : found instanceof String ? "a string" : found instanceof Number ? "a number"
                : found instanceof Boolean ? "a boolean" : found.getClass().getSimpleName();
        return new ConnectorException(ErrorKind.BAD_RESPONSE, "In the JSON reply, " + what + " is " + kind
                + ", expected " + expected, "Check that the base URL points at the vendor's API and that the API"
                + " version matches the connector's");
    }
}
