package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * An independent slice of a stream (a tenant, a time window) read with its own checkpoints.
 *
 * @param id     unique within the stream
 * @param values plain values describing the slice
 */
public record Partition(String id, Map<String, Object> values) {
    /** The whole stream as one slice. */
    public static final Partition WHOLE = new Partition("all", Map.of());

    public Partition {
        requireNonNull(id, "id is null");
        values = Map.copyOf(requireNonNull(values, "values is null"));
    }
}
