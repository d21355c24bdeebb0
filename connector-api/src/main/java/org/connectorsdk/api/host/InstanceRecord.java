package org.connectorsdk.api.host;

import org.connectorsdk.api.ConnectorConfig;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A registered connector instance as stored. The config holds only storable values
 * ({@link ConnectorConfig#storableValues()}): secret references, never secret values.
 *
 * @param name         unique among instances
 * @param connectorId  which connector
 * @param description  at most 180 characters
 * @param config       storable config values
 * @param schedule     when it runs, if scheduled
 * @param state        its current state
 * @param registeredAt when it was registered
 */
public record InstanceRecord(String name, String connectorId, String description, Map<String, Object> config,
        Optional<ScheduleSpec> schedule, ConnectorState state, Instant registeredAt) {
    public InstanceRecord {
        requireNonNull(name, "name is null");
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(description, "description is null");
        config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(config, "config is null")));
        requireNonNull(schedule, "schedule is null");
        requireNonNull(state, "state is null");
        requireNonNull(registeredAt, "registeredAt is null");
    }

    public InstanceRecord withState(ConnectorState newState) {
        return new InstanceRecord(name, connectorId, description, config, schedule, newState, registeredAt);
    }
}
