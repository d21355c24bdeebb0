package org.connectorsdk.runtime;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.Capability;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.DeltaWindow;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.runtime.internal.store.InstanceNames;
import org.connectorsdk.runtime.internal.sync.SyncRun;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.runtime.transform.TransformMapJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds instances to their connectors: validates a definition into a config, applies its map
 * overrides and compiles its maps once, and keeps every bound instance ready to run (and, for
 * one restored from the state store that cannot run, why not).
 */
final class InstanceBindings {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceBindings.class);

    /** Where an instance's transform map overrides are kept inside its stored config. */
    static final String OVERRIDES_KEY = "$transformMaps";
    /** Where an instance's poll interval overrides are kept inside its stored config. */
    static final String POLL_INTERVALS_KEY = "$pollIntervals";
    /** Where an instance's delta window override is kept inside its stored config. */
    static final String DELTA_WINDOW_KEY = "$deltaWindow";
    /** Where an instance's run deadline is kept inside its stored config. */
    static final String RUN_DEADLINE_KEY = "$runDeadline";

    /**
     * An instance's connector with its validated config and its active maps, compiled once when
     * the instance was bound and reused by every run.
     */
    record Bound(Connector connector, ConnectorConfig config, Map<String, List<CompiledMap>> maps,
            Map<String, Object> overrides, Map<String, Duration> pollIntervals, Optional<DeltaWindow> deltaWindow,
            Optional<Duration> runDeadline) {
        Bound withPollIntervals(Map<String, Duration> intervals) {
            // in the order given, which is the order the state store keeps them in
            Map<String, Duration> ordered = Collections.unmodifiableMap(new LinkedHashMap<>(intervals));
            return new Bound(connector, config, maps, overrides, ordered, deltaWindow, runDeadline);
        }

        Bound withDeltaWindow(Optional<DeltaWindow> window) {
            return new Bound(connector, config, maps, overrides, pollIntervals, window, runDeadline);
        }

        Bound withRunDeadline(Optional<Duration> deadline) {
            return new Bound(connector, config, maps, overrides, pollIntervals, deltaWindow, deadline);
        }

        /** What the state store keeps of the instance's config: never a secret value. */
        Map<String, Object> storedConfig() {
            Map<String, Object> stored = new LinkedHashMap<>(config.storableValues());
            if (!overrides.isEmpty()) {
                stored.put(OVERRIDES_KEY, overrides);
            }
            if (!pollIntervals.isEmpty()) {
                Map<String, Object> intervals = new LinkedHashMap<>();
                pollIntervals.forEach((stream, d) -> intervals.put(stream, d.toString()));
                stored.put(POLL_INTERVALS_KEY, intervals);
            }
            deltaWindow.ifPresent(w -> stored.put(DELTA_WINDOW_KEY, Map.of("overlap", w.overlap().toString(),
                    "settle", w.settle().toString())));
            runDeadline.ifPresent(d -> stored.put(RUN_DEADLINE_KEY, d.toString()));
            return stored;
        }
    }

    private final ConnectorRegistry registry;
    // guarded by this
    private final Map<String, Bound> bound = new HashMap<>();
    private final Map<String, String> unavailable = new HashMap<>();

    InstanceBindings(ConnectorRegistry registry) {
        this.registry = registry;
    }

    /** Validates {@code definition} and binds it with {@code transformMaps} overrides; saves nothing. */
    Bound bind(InstanceDefinition definition, Map<String, ?> transformMaps) {
        String name = InstanceNames.check(definition.name());
        if (definition.description().length() > InstanceNames.MAX_DESCRIPTION) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "The description of instance '" + name + "' is "
                    + definition.description().length() + " characters long; at most "
                    + InstanceNames.MAX_DESCRIPTION + " are allowed", "Shorten the description");
        }
        Connector connector = registry.get(definition.connectorId());
        Map<String, Object> raw = new LinkedHashMap<>(definition.configWithIdentity());
        // name and description are setup fields of most connectors; one that does not declare
        // them still gets them checked above, not rejected as unknown fields
        for (String identity : List.of("name", "description")) {
            if (connector.configSpec().field(identity).isEmpty() && !definition.config().containsKey(identity)) {
                raw.remove(identity);
            }
        }
        ConnectorConfig config = connector.configSpec().bind(raw);
        requireDeclaredIncrementalSync(connector, config);
        for (String stream : definition.pollIntervals().keySet()) {
            if (connector.streams().stream().noneMatch(s -> s.name().equals(stream))) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, "Instance '" + name + "' sets a poll interval for "
                        + "stream '" + stream + "', which connector '" + definition.connectorId() + "' does not have",
                        "Use one of its streams: " + connector.streams().stream().map(s -> s.name()).toList());
            }
        }
        return bound(connector, config, transformMaps).withPollIntervals(definition.pollIntervals())
                .withDeltaWindow(definition.deltaWindow()).withRunDeadline(definition.runDeadline());
    }

    /**
     * Refuses to bind an instance whose selected streams would be read incrementally although
     * the connector does not declare {@link Capability#INCREMENTAL_SYNC}: the runtime runs no
     * incremental read a connector did not promise.
     */
    private static void requireDeclaredIncrementalSync(Connector connector, ConnectorConfig config) {
        if (connector.descriptor().supports(Capability.INCREMENTAL_SYNC)) {
            return;
        }
        List<String> incremental = connector.selectedStreams(config).stream()
                .filter(s -> s.supports(SyncMode.INCREMENTAL)).map(StreamSpec::name).toList();
        if (!incremental.isEmpty()) {
            throw new ConnectorException(ErrorKind.UNSUPPORTED, "Connector '" + connector.descriptor().id()
                    + "' offers incremental reads of " + incremental + " but does not declare the INCREMENTAL_SYNC"
                    + " capability, so the runtime will not read them incrementally",
                    "Add Capability.INCREMENTAL_SYNC to the connector's descriptor, or declare those streams"
                            + " with SyncMode.FULL only (StreamSpec.full)");
        }
    }

    /** The maps active under {@code config} with the instance's overrides applied (each override checked). */
    private static Bound bound(Connector connector, ConnectorConfig config, Map<String, ?> overrides) {
        Map<String, Object> copy = new LinkedHashMap<>(overrides);
        List<TransformMap> maps = TransformMapJson.activeMaps(connector, config, copy);
        // compiled here, once: a map that cannot compile fails the registration, not every run
        return new Bound(connector, config, SyncRun.byStream(connector, maps), copy, Map.of(), Optional.empty(),
                Optional.empty());
    }

    /** Makes {@code b} the instance's binding. */
    synchronized void put(String name, Bound b) {
        bound.put(name, b);
        unavailable.remove(name);
    }

    synchronized void remove(String name) {
        bound.remove(name);
        unavailable.remove(name);
    }

    /**
     * The instance's binding.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} saying why it cannot run
     */
    synchronized Bound require(String name) {
        Bound b = bound.get(name);
        if (b == null) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "Instance '" + name + "' cannot run: "
                    + unavailable.get(name), "Register the instance again with its full config (update)");
        }
        return b;
    }

    /** Why the instance cannot run, when it cannot. */
    synchronized Optional<String> problem(String name) {
        return Optional.ofNullable(unavailable.get(name));
    }

    /**
     * The instance's selected streams and each one's poll interval: the instance's override, else
     * the stream's default; none when the instance cannot run (then the scheduler runs it as a whole).
     */
    synchronized Map<String, Optional<Duration>> pollIntervals(String name) {
        Bound b = bound.get(name);
        if (b == null) {
            return Map.of();
        }
        Map<String, Optional<Duration>> out = new LinkedHashMap<>();
        b.connector().selectedStreams(b.config()).forEach(s -> out.put(s.name(),
                Optional.ofNullable(b.pollIntervals().get(s.name())).or(s::defaultPollInterval)));
        return out;
    }

    /** Binds a stored instance whose config is complete; remembers why when it cannot run. */
    synchronized void restore(InstanceRecord r) {
        Optional<Connector> connector = registry.find(r.connectorId());
        if (connector.isEmpty()) {
            unavailable.put(r.name(), "its connector '" + r.connectorId() + "' is not installed");
            return;
        }
        Map<String, Object> stored = new LinkedHashMap<>(r.config());
        Object overrides = stored.remove(OVERRIDES_KEY);
        Object intervals = stored.remove(POLL_INTERVALS_KEY);
        Object window = stored.remove(DELTA_WINDOW_KEY);
        Object deadline = stored.remove(RUN_DEADLINE_KEY);
        try {
            ConnectorConfig config = connector.get().configSpec().bind(stored);
            bound.put(r.name(), bound(connector.get(), config,
                    overrides instanceof Map<?, ?> m ? stringKeys(m) : Map.of())
                    .withPollIntervals(durations(intervals))
                    .withDeltaWindow(window instanceof Map<?, ?> w ? Optional.of(new DeltaWindow(
                            Duration.parse(String.valueOf(w.get("overlap"))),
                            Duration.parse(String.valueOf(w.get("settle"))))) : Optional.empty())
                    .withRunDeadline(deadline == null ? Optional.empty()
                            : Optional.of(Duration.parse(String.valueOf(deadline)))));
        } catch (ConnectorException e) {
            List<String> secrets = connector.get().configSpec().secretFieldNames().stream()
                    .filter(f -> !r.config().containsKey(f)).toList();
            unavailable.put(r.name(), secrets.isEmpty() ? "its stored config is invalid: " + e.getMessage()
                    : "its secret " + String.join(", ", secrets) + " was given inline and is never stored; update the"
                            + " instance with it again (no connection check runs, the vendor need not be up), or give"
                            + " it as env:NAME or file:PATH so a restart keeps it");
            LOG.warn("{}: restored but cannot run until registered again: {}", r.name(), unavailable.get(r.name()));
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** The stored poll interval overrides, as {@link #POLL_INTERVALS_KEY} keeps them. */
    private static Map<String, Duration> durations(Object stored) {
        Map<String, Duration> out = new LinkedHashMap<>();
        if (stored instanceof Map<?, ?> m) {
            m.forEach((stream, d) -> out.put(String.valueOf(stream), Duration.parse(String.valueOf(d))));
        }
        return out;
    }
}
