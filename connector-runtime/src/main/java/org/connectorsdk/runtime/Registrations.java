package org.connectorsdk.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Metrics;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.runtime.internal.http.Cancellation;
import org.connectorsdk.runtime.internal.http.HttpTransportFactory;
import org.connectorsdk.runtime.internal.store.InstanceNames;
import org.connectorsdk.runtime.internal.sync.ConnectionTester;
import org.connectorsdk.runtime.internal.sync.DefaultConnectorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers and updates instances: binds the definition, runs its connection checks, and saves
 * and binds it only when every check passed. One registration per instance name at a time.
 */
final class Registrations {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRuntime.class);

    private final InstanceBindings bindings;
    private final StateStore store;
    private final RecordSink sink;
    private final TransitionRecorder transitions;
    private final HttpTransportFactory http;
    private final Clock clock;
    /** The runtime's lock, which also guards removing an instance. */
    private final Object lock;
    // guarded by lock
    private final Set<String> registering = new HashSet<>();

    /** Without {@code store} and {@code sink} (both null), it only checks connections. */
    Registrations(InstanceBindings bindings, StateStore store, RecordSink sink, TransitionRecorder transitions,
            HttpTransportFactory http, Clock clock, Object lock) {
        this.bindings = bindings;
        this.store = store;
        this.sink = sink;
        this.transitions = transitions;
        this.http = http;
        this.clock = clock;
        this.lock = lock;
    }

    /**
     * Binds {@code definition}, runs its connection checks and saves it only when every check
     * passed; {@code replace} updates an existing instance instead of registering a new one.
     */
    InstanceRecord save(InstanceDefinition definition, Map<String, ?> transformMaps, boolean replace) {
        requireNonNull(definition, "definition is null");
        requireNonNull(transformMaps, "transformMaps is null");
        String name = InstanceNames.check(definition.name());
        synchronized (lock) {
            boolean exists = store.instance(name).isPresent();
            if (!replace && exists) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, "An instance named '" + name
                        + "' is already registered", "Choose another name, or update the existing instance");
            }
            if (replace && !exists) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, "No instance named '" + name
                        + "' is registered, so it cannot be updated", "Register it first");
            }
            if (!registering.add(name)) {
                throw new ConnectorException(ErrorKind.TRANSIENT, "Instance '" + name + "' is being registered "
                        + "or updated by another request", "Try again when that request has finished");
            }
        }
        InstanceRecord saved;
        try {
            InstanceBindings.Bound b = bindings.bind(definition, transformMaps);
            boolean rearm = replace && unchangedSinceChecked(store.instance(name).orElseThrow(), definition, b,
                    bindings.problem(name).isPresent());
            CheckReport report = rearm ? null : check(name, b);
            CheckResult failed = rearm ? null : report.firstFailure().orElse(null);
            if (!rearm && (failed != null || !report.allPassed())) {
                throw refused(name, replace, report, failed);
            }
            synchronized (lock) {
                Optional<InstanceRecord> old = store.instance(name);
                InstanceRecord record = new InstanceRecord(name, definition.connectorId(), definition.description(),
                        b.storedConfig(), definition.schedule(),
                        old.map(InstanceRecord::state).orElse(ConnectorState.REGISTERED),
                        old.map(InstanceRecord::registeredAt).orElse(clock.instant()));
                store.saveInstance(record);
                bindings.put(name, b);
                if (old.isEmpty()) {
                    transitions.registered(name, report.results().size());
                    LOG.info("{}: registered ({})", name, definition.connectorId());
                } else if (rearm) {
                    LOG.info("{}: re-armed; its config is unchanged since its connection checks passed, so they"
                            + " are not run again (the vendor need not be up)", name);
                } else {
                    LOG.info("{}: config updated; all connection checks passed", name);
                }
                saved = record;
            }
        } finally {
            synchronized (lock) {
                registering.remove(name);
            }
        }
        return saved;
    }

    /**
     * Whether an update re-arms {@code stored}'s instance as it was when its checks passed, so
     * they need not run again (nor the vendor be up): the same connector, schedule and stored
     * config, secret references as written. An inline secret is never stored, so one given again
     * re-arms only an instance restored without it ({@code restoredWithoutSecret}); any other
     * inline secret may be a new key, and is checked.
     */
    private static boolean unchangedSinceChecked(InstanceRecord stored, InstanceDefinition definition,
            InstanceBindings.Bound b, boolean restoredWithoutSecret) {
        Map<String, Object> now = b.storedConfig();
        boolean inlineSecret = b.connector().configSpec().secretFieldNames().stream()
                .anyMatch(f -> b.config().has(f) && !now.containsKey(f));
        return (restoredWithoutSecret || !inlineSecret) && stored.connectorId().equals(definition.connectorId())
                && stored.schedule().equals(definition.schedule()) && plain(stored.config()).equals(plain(now));
    }

    /** {@code value} with every whole number as a long and maps ordered by key: as the state file reads back. */
    private static Object plain(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Registrations::plain).toList();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        return value;
    }

    CheckReport check(String name, InstanceBindings.Bound b) {
        return check(name, b, result -> { });
    }

    /** Runs the checks, telling {@code each} of every result as soon as it is known. */
    CheckReport check(String name, InstanceBindings.Bound b, Consumer<CheckResult> each) {
        var context = new DefaultConnectorContext(name, DefaultConnectorContext.secretValues(b.config()), http, clock,
                new Cancellation("The connection test of instance '" + name + "'"), Metrics.NONE);
        return new ConnectionTester().run(b.connector(), b.config(), context, each);
    }

    private static ConnectorException refused(String name, boolean replace, CheckReport report, CheckResult failed) {
        String verb = replace ? "updated (the previous config stays in force)" : "registered";
        if (failed == null) {
            return new ConnectorException(ErrorKind.INTERNAL, "Instance '" + name + "' was not " + verb
                    + ": the connector declares no connection checks", "Report this to the connector's maintainers");
        }
        // the check's own error kind: a configuration problem stays one, whichever check found it
        return new ConnectorException(failed.errorKind().orElseThrow(), "Instance '" + name + "' was not " + verb
                + ": the " + failed.kind() + " check (" + failed.kind().title() + ") failed: " + failed.message(),
                failed.remediation().orElse("Correct the config and try again"));
    }


    /**
     * The state store, when the runtime has one and a sink.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} naming what is missing
     */
    StateStore requireStorage(String action, String name) {
        if (store != null && sink != null) {
            return store;
        }
        List<String> missing = new ArrayList<>();
        if (store == null) {
            missing.add("a state store");
        }
        if (sink == null) {
            missing.add("a record sink");
        }
        throw new ConnectorException(ErrorKind.CONFIGURATION, "This runtime cannot " + action
                + (name == null ? " its instances" : " instance '" + name + "'") + ": it was built without "
                + String.join(" and ", missing) + ", so it only tests connections",
                "Build the runtime with ConnectorRuntime.builder().stateStore(...).sink(...), e.g. "
                        + "FileStateStore.open(dir) and new JsonLinesSink(dir)");
    }

    /** @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when no instance has that name */
    void requireKnown(String action, String name) {
        StateStore s = requireStorage(action, name);
        if (s.instance(InstanceNames.check(name)).isEmpty()) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "No instance named '" + name + "' is registered",
                    "Register it first, or pick one of: " + s.instances().stream().map(InstanceRecord::name)
                            .toList());
        }
    }

    /**
     * Loads the stored instances and binds those whose config is complete. A run the sink
     * committed but the store did not record (the process stopped between the two) is recorded
     * now, with its cursors, from the sink's last commit.
     */
    void restore() {
        for (InstanceRecord r : store.instances()) {
            Optional<RunCommit> last = sink.lastCommit(r.name());
            boolean repaired = last.isPresent() && store.runs(r.name()).stream()
                    .noneMatch(run -> run.runId().equals(last.get().summary().runId()));
            if (repaired) {
                RunSummary published = last.get().summary();
                last.get().cursors().forEach((stream, cursor) -> store.saveCursor(r.name(), stream, cursor));
                store.saveRun(published);
                LOG.info("{}: run {} was published but not recorded when the runtime stopped; recorded it from the "
                        + "sink", r.name(), published.runId());
            }
            if (repaired && (r.state() == ConnectorState.PROCESSING || r.state() == ConnectorState.SCHEDULED)) {
                transitions.transition(r.name(), ConnectorState.PROCESSED, last.get().summary().runId(),
                        "the runtime stopped after the run was published; recorded from the sink's commit");
            } else if (r.state() == ConnectorState.PROCESSING || r.state() == ConnectorState.SCHEDULED) {
                // the process stopped mid-run: that run published nothing, say so in the history
                transitions.transition(r.name(), ConnectorState.ERRORED, null,
                        "the runtime stopped while the instance was " + r.state() + "; that run published nothing");
            }
            bindings.restore(r);
        }
    }
}
