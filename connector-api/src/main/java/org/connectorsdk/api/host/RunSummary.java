package org.connectorsdk.api.host;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one run.
 *
 * @param runId        unique per instance, sortable by time
 * @param instance     the instance's name
 * @param connectorId  the connector's id
 * @param state        {@link ConnectorState#PROCESSED} or {@link ConnectorState#ERRORED}
 * @param startedAt    when the run started
 * @param finishedAt   when it ended
 * @param streams      per-stream figures, in read order
 * @param counters     transport and plugin counters (requests, retries, bytes, ...)
 * @param error        why it failed, for an errored run
 */
public record RunSummary(String runId, String instance, String connectorId, ConnectorState state, Instant startedAt,
        Instant finishedAt, Map<String, StreamStats> streams, Map<String, Long> counters, Optional<ErrorInfo> error) {

    public RunSummary {
        requireNonNull(runId, "runId is null");
        requireNonNull(instance, "instance is null");
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(state, "state is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        streams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(streams, "streams is null")));
        counters = Map.copyOf(requireNonNull(counters, "counters is null"));
        requireNonNull(error, "error is null");
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /**
     * This summary with the change counts a sink reported ({@link SinkWriter#changes}): a stream
     * the run read gets its counts; a part the sink derived from one (the findings of an asset
     * stream) gets an entry of its own with only the counts.
     *
     * @since 1.1
     */
    public RunSummary withChanges(Map<String, StreamChanges> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        Map<String, StreamStats> counted = new LinkedHashMap<>(streams);
        changes.forEach((name, c) -> counted.put(name, counted.getOrDefault(name,
                new StreamStats(0, 0, 0, 0, java.util.List.of())).withChanges(c)));
        return new RunSummary(runId, instance, connectorId, state, startedAt, finishedAt, counted, counters, error);
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
