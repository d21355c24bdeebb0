package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a config selects of one stream: where the records come from and which filters narrow
 * them. The runtime keeps it with the stream's cursor; when an update makes a stream select
 * records it did not select before ({@link Connector#widens}), the stream's cursor is reset so
 * the next read is full.
 *
 * @param source  where the records come from, e.g. a base URL and key id; never a secret
 * @param filters the filters that narrow the stream, by name, with plain values; empty when the
 *                read covers everything the source holds
 */
public record StreamSelection(String source, Map<String, Object> filters) {
    /** Everything the only source holds: what a connector that says nothing selects. */
    public static final StreamSelection EVERYTHING = new StreamSelection("", Map.of());

    public StreamSelection {
        requireNonNull(source, "source is null");
        filters = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(filters, "filters is null")));
    }

    /** Whether the filters leave out some of what the source holds. */
    public boolean narrowed() {
        return !filters.isEmpty();
    }
}
