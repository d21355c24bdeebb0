package org.connectorsdk.api.host;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which run a sink writer belongs to, and how it reads each stream.
 *
 * @param instance    the instance's name
 * @param connectorId the connector's id
 * @param runId       unique per instance, sortable by time
 * @param startedAt   when the run started
 * @param streams     the streams the run reads, in read order, each with its mode and window
 */
public record RunInfo(String instance, String connectorId, String runId, Instant startedAt,
        Map<String, StreamRead> streams) {
    public RunInfo {
        requireNonNull(instance, "instance is null");
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(startedAt, "startedAt is null");
        streams = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(streams, "streams is null")));
    }

    /** A run whose streams are not said (tests of a sink alone). */
    public RunInfo(String instance, String connectorId, String runId, Instant startedAt) {
        this(instance, connectorId, runId, startedAt, Map.of());
    }
}
