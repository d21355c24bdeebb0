package org.connectorsdk.api.host;

import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.DeltaWindow;
import org.connectorsdk.api.StreamSpec;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An instance as a user defines it (the instance file): which connector, its name, and its raw
 * config, not yet validated.
 *
 * @param connectorId which connector, e.g. {@code cortex-xdr}
 * @param name        unique among instances
 * @param description at most 180 characters
 * @param config      raw config values as read (secrets inline or as {@code env:}/{@code file:})
 * @param schedule    when it runs, if scheduled
 * @param pollIntervals per stream, how often a recurring instance polls it, overriding the
 *                    stream's {@link StreamSpec#defaultPollInterval}; empty for the defaults
 * @param deltaWindow the overlap and settle of every delta read of the instance, overriding each
 *                    stream's {@link StreamSpec#deltaWindow}; empty for the streams' own
 * @param runDeadline how long one run may take before it is stopped (nothing published, no cursor
 *                    moved, {@code ERRORED}); empty for no deadline
 */
public record InstanceDefinition(String connectorId, String name, String description, Map<String, Object> config,
        Optional<ScheduleSpec> schedule, Map<String, Duration> pollIntervals, Optional<DeltaWindow> deltaWindow,
        Optional<Duration> runDeadline) {
    public InstanceDefinition {
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(config, "config is null")));
        requireNonNull(schedule, "schedule is null");
        pollIntervals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(
                requireNonNull(pollIntervals, "pollIntervals is null")));
        pollIntervals.forEach((stream, interval) -> {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("The poll interval of stream '" + stream + "' must be positive, not "
                        + interval);
            }
        });
        requireNonNull(deltaWindow, "deltaWindow is null");
        requireNonNull(runDeadline, "runDeadline is null");
        runDeadline.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("The run deadline of instance '" + name + "' must be positive, not "
                        + d);
            }
        });
    }

    /** An instance without a run deadline. */
    public InstanceDefinition(String connectorId, String name, String description, Map<String, Object> config,
            Optional<ScheduleSpec> schedule, Map<String, Duration> pollIntervals, Optional<DeltaWindow> deltaWindow) {
        this(connectorId, name, description, config, schedule, pollIntervals, deltaWindow, Optional.empty());
    }

    /** An instance with the streams' own delta windows. */
    public InstanceDefinition(String connectorId, String name, String description, Map<String, Object> config,
            Optional<ScheduleSpec> schedule, Map<String, Duration> pollIntervals) {
        this(connectorId, name, description, config, schedule, pollIntervals, Optional.empty());
    }

    /** An instance polling every stream on its default interval. */
    public InstanceDefinition(String connectorId, String name, String description, Map<String, Object> config,
            Optional<ScheduleSpec> schedule) {
        this(connectorId, name, description, config, schedule, Map.of());
    }

    /**
     * The config with the instance's name and description added, as a connector's
     * {@link ConfigSpec} validates them (name and description are setup fields too).
     */
    public Map<String, Object> configWithIdentity() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("name", name);
        if (!description.isEmpty()) {
            all.put("description", description);
        }
        all.putAll(config);
        return all;
    }

    @Override
    public String toString() {
        return "InstanceDefinition[" + connectorId + "/" + name + "]";
    }
}
