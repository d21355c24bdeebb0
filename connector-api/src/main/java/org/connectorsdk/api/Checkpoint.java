package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a stream's reading stands: plain values (strings, numbers, booleans, lists, maps) that
 * the runtime hands back for the next page. For a stream declared {@link StreamSpec#resumable},
 * the runtime also saves it with the page's records on a resumable sink, and a run that died is
 * continued from it: the values alone must then say where the next page starts (they come back
 * through JSON: a whole number may come back as another {@link Number} type).
 *
 * @param values the plugin's own position fields, e.g. {@code {"searchFrom": 200}}
 */
public record Checkpoint(Map<String, Object> values) {
    /** The position before the first page. */
    public static final Checkpoint START = new Checkpoint(Map.of());

    public Checkpoint {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(values, "values is null")));
    }

    public static Checkpoint of(String key, Object value) {
        return new Checkpoint(Map.of(key, value));
    }

    public boolean isStart() {
        return values.isEmpty();
    }

    public Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public long getLong(String key, long orElse) {
        Object v = values.get(key);
        return v instanceof Number n ? n.longValue() : orElse;
    }

    /** A copy with {@code key} set to {@code value}. */
    public Checkpoint with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new Checkpoint(copy);
    }
}
