package org.connectorsdk.runtime.transform;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.FieldMapping;
import org.connectorsdk.api.TransformMap;

/**
 * Transform maps as JSON: shown by {@code describe}, and overridden per instance from the
 * instance file's {@code transformMaps} object.
 *
 * <p>A map:
 * <pre>{@code
 * {"name": "Cortex XDR Asset Transform Map", "sourceStream": "assets", "targetKind": "asset",
 *  "activeByDefault": false,
 *  "rows": [{"source": "endpoint_id", "target": "externalAssetId", "required": true},
 *           {"source": "first_seen", "target": "firstFoundDate", "converter": "epochMillisToIso"}]}
 * }</pre>
 * {@code required} defaults to false and {@code converter} to none.
 *
 * <p>Overrides, keyed by map name:
 * <pre>{@code
 * "transformMaps": {
 *   "Cortex XDR Asset Transform Map": {
 *     "mode": "merge",
 *     "rows": [{"source": "alias", "target": "customAttributes.alias", "converter": "trimEmptyToNull"},
 *              {"target": "domain", "remove": true}]}}
 * }</pre>
 * {@code merge} (the default) replaces the rows writing each given row's target, in place,
 * appends rows for new targets, and drops the rows of targets marked {@code "remove": true};
 * {@code replace-rows} makes the given rows the whole table. The result is compiled at once,
 * so a bad path or converter fails when the instance is loaded, not during a run.
 */
public final class TransformMapJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> MAP_KEYS = Set.of("name", "sourceStream", "targetKind", "activeByDefault", "rows");
    private static final Set<String> ROW_KEYS = Set.of("source", "target", "required", "converter");
    private static final Set<String> OVERRIDE_KEYS = Set.of("mode", "rows");
    private static final Set<String> OVERRIDE_ROW_KEYS = Set.of("source", "target", "required", "converter", "remove");

    private TransformMapJson() {
    }

    /** {@code map} as plain values in the documented JSON shape, keys in a fixed order. */
    public static Map<String, Object> toPlain(TransformMap map) {
        requireNonNull(map, "map is null");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", map.name());
        out.put("sourceStream", map.sourceStream());
        out.put("targetKind", map.targetKind());
        out.put("activeByDefault", map.activeByDefault());
        List<Object> rows = new ArrayList<>();
        for (FieldMapping m : map.mappings()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("source", m.sourcePath());
            row.put("target", m.targetPath());
            row.put("required", m.required());
            m.converter().ifPresent(c -> row.put("converter", c));
            rows.add(row);
        }
        out.put("rows", rows);
        return out;
    }

    /** {@code map} as indented JSON. */
    public static String toJson(TransformMap map) {
        try {
            return JSON.writeValueAsString(toPlain(map));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A transform map did not serialise", e);
        }
    }

    /**
     * Reads a whole map from JSON and compiles it.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} naming the bad key or row
     */
    public static TransformMap fromJson(String json) {
        return fromPlain(readObject(json, "transform map"));
    }

    /** Reads a whole map from plain values (as {@link #toPlain} writes them) and compiles it. */
    public static TransformMap fromPlain(Map<String, ?> plain) {
        requireNonNull(plain, "plain is null");
        checkKeys(plain, MAP_KEYS, "transform map");
        String name = string(plain, "name", "transform map", true);
        String where = "transform map '" + name + "'";
        String sourceStream = string(plain, "sourceStream", where, true);
        String targetKind = string(plain, "targetKind", where, true);
        boolean active = bool(plain, "activeByDefault", where, true);
        List<FieldMapping> rows = new ArrayList<>();
        List<Map<String, ?>> rawRows = rows(plain.get("rows"), where);
        for (int i = 0; i < rawRows.size(); i++) {
            rows.add(row(rawRows.get(i), where + " rows[" + i + "]", ROW_KEYS));
        }
        TransformMap map = build(name, sourceStream, targetKind, active, rows, where);
        TransformEngine.compile(map);
        return map;
    }

    /** Applies an instance file's {@code transformMaps} object (as a Jackson tree); see the class doc. */
    public static List<TransformMap> applyOverrides(List<TransformMap> maps, JsonNode transformMaps) {
        requireNonNull(transformMaps, "transformMaps is null");
        if (transformMaps.isNull() || transformMaps.isMissingNode()) {
            return List.copyOf(maps);
        }
        if (!transformMaps.isObject()) {
            throw error("'transformMaps' must be an object keyed by map name, not " + transformMaps.getNodeType());
        }
        return applyOverrides(maps, JSON.convertValue(transformMaps, new TypeReference<Map<String, Object>>() { }));
    }

    /**
     * Applies an instance file's {@code transformMaps} object (as plain values) to a connector's
     * maps; maps not named keep their rows. Every changed map is compiled before this returns, with
     * the built-in converters ({@link #activeMaps} adds the connector's own).
     *
     * @return the maps in their original order, overridden where the object says so
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} naming the map, the
     *                            row and the problem
     */
    public static List<TransformMap> applyOverrides(List<TransformMap> maps, Map<String, ?> transformMaps) {
        return applyOverrides(maps, transformMaps, null);
    }

    /** As {@link #applyOverrides(List, Map)}, compiling with {@code connector}'s converters when it is not null. */
    private static List<TransformMap> applyOverrides(List<TransformMap> maps, Map<String, ?> transformMaps,
            Connector connector) {
        requireNonNull(maps, "maps is null");
        requireNonNull(transformMaps, "transformMaps is null");
        Map<String, TransformMap> byName = new LinkedHashMap<>();
        maps.forEach(m -> byName.put(m.name(), m));
        for (Map.Entry<String, ?> e : transformMaps.entrySet()) {
            String where = "transformMaps.'" + e.getKey() + "'";
            TransformMap base = byName.get(e.getKey());
            if (base == null) {
                throw error(where + " names no map of this connector (maps: " + String.join(", ", byName.keySet()) + ")");
            }
            Map<String, ?> override = object(e.getValue(), where);
            checkKeys(override, OVERRIDE_KEYS, where);
            String mode = Optional.ofNullable(string(override, "mode", where, false)).orElse("merge");
            if (!mode.equals("merge") && !mode.equals("replace-rows")) {
                throw error(where + ".mode is '" + mode + "' (expected merge or replace-rows)");
            }
            List<Map<String, ?>> rawRows = rows(override.get("rows"), where);
            List<FieldMapping> rows = mode.equals("merge") ? new ArrayList<>(base.mappings()) : new ArrayList<>();
            for (int i = 0; i < rawRows.size(); i++) {
                String rowWhere = where + ".rows[" + i + "]";
                Map<String, ?> raw = rawRows.get(i);
                if (Boolean.TRUE.equals(raw.get("remove"))) {
                    if (mode.equals("replace-rows")) {
                        throw error(rowWhere + ": 'remove' only applies in merge mode");
                    }
                    checkKeys(raw, Set.of("target", "remove"), rowWhere);
                    String target = string(raw, "target", rowWhere, true);
                    if (!rows.removeIf(r -> r.targetPath().equals(target))) {
                        throw error(rowWhere + ": no row writes '" + target + "', nothing to remove");
                    }
                    continue;
                }
                FieldMapping row = row(raw, rowWhere, OVERRIDE_ROW_KEYS);
                if (mode.equals("merge")) {
                    merge(rows, row);
                } else {
                    rows.add(row);
                }
            }
            TransformMap overridden = build(base.name(), base.sourceStream(), base.targetKind(), base.activeByDefault(),
                    rows, where);
            try {
                if (connector == null) {
                    TransformEngine.compile(overridden);
                } else {
                    TransformEngine.compile(overridden, connector);
                }
            } catch (ConnectorException ex) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, where + " (" + mode + "): " + ex.getMessage(),
                        ex.remediation().orElse(null), ex);
            }
            byName.put(base.name(), overridden);
        }
        return List.copyOf(byName.values());
    }

    /**
     * The maps that apply to one instance: the connector's {@link Connector#activeMaps active maps}
     * for {@code config}, with the instance file's overrides applied. Overrides may name any map
     * the connector ships, active or not, and are validated either way.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} as {@link #applyOverrides}
     */
    public static List<TransformMap> activeMaps(Connector connector, ConnectorConfig config, Map<String, ?> overrides) {
        requireNonNull(connector, "connector is null");
        List<TransformMap> active = connector.activeMaps(config);
        if (overrides == null || overrides.isEmpty()) {
            return active;
        }
        Map<String, TransformMap> overridden = new LinkedHashMap<>();
        applyOverrides(connector.transformMaps(), overrides, connector).forEach(m -> overridden.put(m.name(), m));
        return active.stream().map(m -> overridden.getOrDefault(m.name(), m)).toList();
    }

    private static void merge(List<FieldMapping> rows, FieldMapping row) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).targetPath().equals(row.targetPath())) {
                rows.set(i, row);
                return;
            }
        }
        rows.add(row);
    }

    private static TransformMap build(String name, String stream, String kind, boolean active, List<FieldMapping> rows,
            String where) {
        try {
            return new TransformMap(name, stream, kind, active, rows);
        } catch (IllegalArgumentException e) {
            throw error(where + ": " + e.getMessage());
        }
    }

    private static FieldMapping row(Map<String, ?> raw, String where, Set<String> allowed) {
        checkKeys(raw, allowed, where);
        String source = string(raw, "source", where, true);
        String target = string(raw, "target", where, true);
        boolean required = bool(raw, "required", where, false);
        String converter = string(raw, "converter", where, false);
        try {
            return new FieldMapping(source, target, required, Optional.ofNullable(converter));
        } catch (IllegalArgumentException e) {
            throw error(where + ": " + e.getMessage());
        }
    }

    private static Map<String, ?> readObject(String json, String what) {
        try {
            JsonNode node = JSON.readTree(requireNonNull(json, "json is null"));
            return object(JSON.convertValue(node, Object.class), what);
        } catch (JsonProcessingException e) {
            throw error("The " + what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> object(Object value, String where) {
        if (!(value instanceof Map)) {
            throw error(where + " must be a JSON object");
        }
        return (Map<String, ?>) value;
    }

    private static List<Map<String, ?>> rows(Object value, String where) {
        if (!(value instanceof List<?> list)) {
            throw error(where + ".rows must be an array of rows");
        }
        List<Map<String, ?>> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(object(list.get(i), where + ".rows[" + i + "]"));
        }
        return out;
    }

    private static void checkKeys(Map<String, ?> object, Set<String> allowed, String where) {
        for (String key : object.keySet()) {
            if (!allowed.contains(key)) {
                throw error(where + " has an unknown key '" + key + "' (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String string(Map<String, ?> object, String key, String where, boolean required) {
        Object v = object.get(key);
        if (v == null) {
            if (required) {
                throw error(where + " is missing '" + key + "'");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw error(where + "." + key + " must be a string, not " + v);
        }
        return s;
    }

    private static boolean bool(Map<String, ?> object, String key, String where, boolean required) {
        Object v = object.get(key);
        if (v == null) {
            if (required) {
                throw error(where + " is missing '" + key + "'");
            }
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw error(where + "." + key + " must be true or false, not " + v);
        }
        return b;
    }

    private static ConnectorException error(String message) {
        return new ConnectorException(ErrorKind.CONFIGURATION, message,
                "Fix the transform map JSON; rows look like {\"source\": \"a.b\", \"target\": \"x.y\", \"required\": true,"
                        + " \"converter\": \"toArray\"}");
    }
}
