package org.connectorsdk.api.host;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Which run a sink writer belongs to.
 *
 * @param instance    the instance's name
 * @param connectorId the connector's id
 * @param runId       unique per instance
 * @param startedAt   when the run started
 */
public record RunInfo(String instance, String connectorId, String runId, Instant startedAt) {
    public RunInfo {
        requireNonNull(instance, "instance is null");
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(startedAt, "startedAt is null");
    }
}
