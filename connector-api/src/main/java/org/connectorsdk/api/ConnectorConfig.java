package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated, typed configuration, made by {@link ConfigSpec#bind}. Secret fields hold
 * {@link Secret}s, so {@link #toString()} and {@link #storableValues()} never show them.
 */
public final class ConnectorConfig {
    private final ConfigSpec spec;
    private final Map<String, Object> values;

    ConnectorConfig(ConfigSpec spec, Map<String, Object> values) {
        this.spec = requireNonNull(spec, "spec is null");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public ConfigSpec spec() {
        return spec;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A required value of type string, url, enum or PEM. */
    public String string(String name) {
        return optionalString(name).orElseThrow(() -> missing(name));
    }

    public Optional<String> optionalString(String name) {
        Object v = values.get(name);
        return v == null ? Optional.empty() : Optional.of(v.toString());
    }

    public Secret secret(String name) {
        return get(name, Secret.class).orElseThrow(() -> missing(name));
    }

    public long integer(String name) {
        return get(name, Long.class).orElseThrow(() -> missing(name));
    }

    public Optional<Long> optionalInteger(String name) {
        return get(name, Long.class);
    }

    public boolean bool(String name) {
        return get(name, Boolean.class).orElse(false);
    }

    public Optional<Duration> duration(String name) {
        return get(name, Duration.class);
    }

    /** An {@link FieldType#ENUM_LIST} value; empty when not given. */
    @SuppressWarnings("unchecked")
    public List<String> stringList(String name) {
        return get(name, List.class).map(l -> (List<String>) l).orElse(List.of());
    }

    /** Every value, typed; secrets as {@link Secret}. */
    public Map<String, Object> values() {
        return values;
    }

    /**
     * The values safe to write to disk: secrets given as {@code env:}/{@code file:} references
     * are kept as the reference; inline secrets are left out.
     */
    public Map<String, Object> storableValues() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v instanceof Secret s) {
                s.reference().ifPresent(ref -> out.put(k, ref));
            } else if (v instanceof Duration d) {
                out.put(k, d.toString());
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    private <T> Optional<T> get(String name, Class<T> type) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("Config field '" + name + "' is a " + v.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return Optional.of(type.cast(v));
    }

    private static ConnectorException missing(String name) {
        return new ConnectorException(ErrorKind.CONFIGURATION, "Config field '" + name + "' has no value",
                "Set '" + name + "' in the instance's config");
    }

    @Override
    public String toString() {
        return "ConnectorConfig" + values;
    }
}
