package org.connectorsdk.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

/**
 * Exports a {@link ConfigSpec} as JSON Schema (draft 2020-12), so a platform UI can draw the
 * setup form and validate it before submitting.
 *
 * <pre>{@code
 * String schema = ConfigSchemas.toJson(connector.configSpec(), "Cortex XDR");
 * }</pre>
 *
 * <p>Secrets are {@code "format": "password"} and {@code "writeOnly": true}: a form masks them
 * and never reads them back. {@code required} lists the fields a user must fill in: a required
 * field with a default is pre-filled, so it is not listed. Patterns are anchored, because
 * {@link ConfigSpec#validate} matches them against the whole value and JSON Schema does not.
 */
public final class ConfigSchemas {
    /** The {@code $schema} of every exported schema. */
    public static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ConfigSchemas() {
    }

    /** The schema as a tree of plain values (maps keep form order). */
    public static Map<String, Object> toJsonSchema(ConfigSpec spec, String title) {
        requireNonNull(spec, "spec is null");
        requireNonNull(title, "title is null");
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", DRAFT_2020_12);
        schema.put("title", title);
        schema.put("type", "object");
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (ConfigField field : spec.fields()) {
            properties.put(field.name(), property(field));
            if (field.required() && field.defaultValue().isEmpty()) {
                required.add(field.name());
            }
        }
        schema.put("properties", properties);
        schema.put("required", required);
        // validate() rejects unknown fields, so the schema does too
        schema.put("additionalProperties", false);
        return schema;
    }

    /** The schema as indented JSON text. */
    public static String toJson(ConfigSpec spec, String title) {
        try {
            return JSON.writeValueAsString(toJsonSchema(spec, title));
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ErrorKind.INTERNAL, "Cannot write the JSON Schema of '" + title + "': "
                    + e.getOriginalMessage(), "Report this as a defect", e);
        }
    }

    private static Map<String, Object> property(ConfigField field) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("title", field.label());
        if (!field.description().isEmpty()) {
            p.put("description", field.description());
        }
        switch (field.type()) {
            case STRING -> p.put("type", "string");
            case URL -> {
                p.put("type", "string");
                p.put("format", "uri");
                p.put("pattern", "^https://");
            }
            case SECRET -> {
                p.put("type", "string");
                p.put("format", "password");
                p.put("writeOnly", true);
            }
            case PEM -> {
                p.put("type", "string");
                p.put("contentMediaType", "application/x-pem-file");
            }
            case INTEGER -> p.put("type", "integer");
            case BOOLEAN -> p.put("type", "boolean");
            case DURATION -> {
                p.put("type", "string");
                p.put("format", "duration");
            }
            case ENUM -> {
                p.put("type", "string");
                p.put("enum", field.allowedValues());
            }
            case ENUM_LIST -> {
                p.put("type", "array");
                Map<String, Object> items = new LinkedHashMap<>();
                items.put("type", "string");
                items.put("enum", field.allowedValues());
                p.put("items", items);
                p.put("uniqueItems", true);
            }
            default -> throw new IllegalStateException("unhandled field type " + field.type());
        }
        field.maxLength().ifPresent(n -> p.put("maxLength", n));
        field.pattern().ifPresent(regex -> p.put("pattern", "^(?:" + regex + ")$"));
        field.min().ifPresent(n -> p.put("minimum", n));
        field.max().ifPresent(n -> p.put("maximum", n));
        field.defaultValue().ifPresent(v -> p.put("default", plain(v)));
        field.example().ifPresent(v -> p.put("examples", List.of(v)));
        return p;
    }

    /** JSON-native values stay as they are; others (a Duration default) as their text form. */
    private static Object plain(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof List ? value : value.toString();
    }
}
