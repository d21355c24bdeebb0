package org.connectorsdk.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.runtime.ConfigSchemas;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.runtime.transform.TransformMapJson;

/**
 * A connector's declarations as JSON-ready values: what {@code GET /api/v1/connectors/{id}}
 * answers and {@code connectors describe --json} prints. Declarations only, never an
 * instance's values, so no secret can appear; a secret field is marked as such.
 */
public final class ConnectorDocument {
    private ConnectorDocument() {
    }

    /**
     * The connector as plain values: descriptor, config fields and their JSON Schema, checks,
     * streams, and every row of every transform map (in the form an instance's
     * {@code "transformMaps"} overrides use, so rows can be copied over), and the converters
     * those rows may name with what each does.
     */
    public static Map<String, Object> describe(Connector connector) {
        ConnectorDescriptor d = connector.descriptor();
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("id", d.id());
        descriptor.put("version", d.version());
        descriptor.put("vendor", d.vendor());
        descriptor.put("product", d.product());
        descriptor.put("category", d.category());
        descriptor.put("assetTypes", d.assetTypes());
        descriptor.put("integrationType", d.integrationType());
        descriptor.put("direction", d.direction());
        descriptor.put("capabilities", d.capabilities().stream().map(Enum::name).sorted().toList());

        List<Map<String, Object>> fields = new ArrayList<>();
        for (ConfigField f : connector.configSpec().fields()) {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("name", f.name());
            field.put("label", f.label());
            field.put("type", typeName(f));
            field.put("required", f.required());
            field.put("secret", f.secret());
            f.defaultValue().ifPresent(v -> field.put("default", plain(v)));
            if (!f.description().isEmpty()) {
                field.put("description", f.description());
            }
            f.maxLength().ifPresent(n -> field.put("maxLength", n));
            f.pattern().ifPresent(p -> field.put("pattern", p));
            f.min().ifPresent(n -> field.put("min", n));
            f.max().ifPresent(n -> field.put("max", n));
            if (!f.allowedValues().isEmpty()) {
                field.put("allowedValues", f.allowedValues());
            }
            f.example().ifPresent(e -> field.put("example", e));
            fields.add(field);
        }

        List<Map<String, Object>> checks = new ArrayList<>();
        for (ConnectionCheck check : connector.connectionChecks()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("kind", check.kind().name());
            c.put("title", check.kind().title());
            checks.add(c);
        }

        List<Map<String, Object>> streams = new ArrayList<>();
        for (StreamSpec s : connector.streams()) {
            Map<String, Object> stream = new LinkedHashMap<>();
            stream.put("name", s.name());
            stream.put("description", s.description());
            stream.put("primaryKey", s.primaryKey());
            s.cursorField().ifPresent(c -> stream.put("cursorField", c));
            stream.put("syncModes", s.syncModes().stream().map(Enum::name).sorted().toList());
            s.defaultPollInterval().ifPresent(p -> stream.put("defaultPollInterval", p.toString()));
            streams.add(stream);
        }

        // the same JSON an instance file's "transformMaps" overrides use, so rows can be copied over
        List<Map<String, Object>> maps = new ArrayList<>();
        for (TransformMap m : connector.transformMaps()) {
            maps.add(TransformMapJson.toPlain(m));
        }

        Map<String, Object> model = new LinkedHashMap<>();
        model.put("descriptor", descriptor);
        model.put("configFields", fields);
        model.put("checks", checks);
        model.put("streams", streams);
        model.put("transformMaps", maps);
        model.put("converters", TransformEngine.converters(connector));
        model.put("configSchema", ConfigSchemas.toJsonSchema(connector.configSpec(), d.product()));
        return model;
    }

    static String typeName(ConfigField field) {
        return field.type().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** JSON-native values as they are; others (a Duration default) as text. */
    static Object plain(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof List ? value : value.toString();
    }
}
