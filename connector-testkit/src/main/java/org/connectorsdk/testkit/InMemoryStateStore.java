package org.connectorsdk.testkit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleState;
import org.connectorsdk.api.Secret;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;

/**
 * A {@link StateStore} in memory, for tests. It holds the same contract as a durable store: a
 * saved instance whose config contains a {@link Secret} is refused, because no store may keep a
 * secret value.
 *
 * <pre>{@code
 * InMemoryStateStore store = new InMemoryStateStore();
 * ConnectorRuntime runtime = ConnectorRuntime.builder().sink(new InMemoryRecordSink()).stateStore(store).build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class InMemoryStateStore implements StateStore {
    private final Map<String, InstanceRecord> instances = new HashMap<>();
    private final Map<String, List<StateTransition>> transitions = new HashMap<>();
    private final Map<String, List<RunSummary>> runs = new HashMap<>();
    private final Map<String, Map<String, Checkpoint>> checkpoints = new HashMap<>();
    private final Map<String, Map<String, Checkpoint>> cursors = new HashMap<>();
    private final Map<String, ScheduleState> schedules = new HashMap<>();

    /**
     * @throws IllegalArgumentException when the config holds a {@link Secret}: stores keep
     *                                  references ({@code env:}, {@code file:}) only
     */
    @Override
    public synchronized void saveInstance(InstanceRecord instance) {
        requireNonNull(instance, "instance is null");
        instance.config().forEach((k, v) -> {
            if (v instanceof Secret) {
                throw new IllegalArgumentException("Instance '" + instance.name() + "' config field '" + k
                        + "' holds a secret value; store ConnectorConfig.storableValues() instead");
            }
        });
        instances.put(instance.name(), instance);
    }

    @Override
    public synchronized Optional<InstanceRecord> instance(String name) {
        return Optional.ofNullable(instances.get(name));
    }

    @Override
    public synchronized List<InstanceRecord> instances() {
        List<InstanceRecord> all = new ArrayList<>(instances.values());
        all.sort(Comparator.comparing(InstanceRecord::name));
        return all;
    }

    @Override
    public synchronized void removeInstance(String name) {
        instances.remove(name);
        transitions.remove(name);
        runs.remove(name);
        checkpoints.remove(name);
        cursors.remove(name);
        schedules.remove(name);
    }

    @Override
    public synchronized void appendTransition(String instance, StateTransition transition) {
        transitions.computeIfAbsent(instance, n -> new ArrayList<>()).add(requireNonNull(transition));
    }

    @Override
    public synchronized List<StateTransition> transitions(String instance) {
        return List.copyOf(transitions.getOrDefault(instance, List.of()));
    }

    @Override
    public synchronized void saveRun(RunSummary summary) {
        runs.computeIfAbsent(summary.instance(), n -> new ArrayList<>()).add(summary);
    }

    @Override
    public synchronized List<RunSummary> runs(String instance) {
        return List.copyOf(runs.getOrDefault(instance, List.of()));
    }

    @Override
    public synchronized Optional<Checkpoint> checkpoint(String instance, String stream, String partition) {
        return Optional.ofNullable(checkpoints.getOrDefault(instance, Map.of()).get(stream + "/" + partition));
    }

    @Override
    public synchronized void saveCheckpoint(String instance, String stream, String partition, Checkpoint checkpoint) {
        checkpoints.computeIfAbsent(instance, n -> new HashMap<>()).put(stream + "/" + partition,
                requireNonNull(checkpoint, "checkpoint is null"));
    }

    @Override
    public synchronized void clearCheckpoints(String instance) {
        checkpoints.remove(instance);
    }

    @Override
    public synchronized Optional<Checkpoint> cursor(String instance, String stream) {
        return Optional.ofNullable(cursors.getOrDefault(instance, Map.of()).get(stream));
    }

    @Override
    public synchronized void saveCursor(String instance, String stream, Checkpoint cursor) {
        cursors.computeIfAbsent(instance, n -> new HashMap<>()).put(stream, requireNonNull(cursor, "cursor is null"));
    }

    @Override
    public synchronized Optional<ScheduleState> scheduleState(String instance) {
        return Optional.ofNullable(schedules.get(instance));
    }

    @Override
    public synchronized void saveScheduleState(String instance, ScheduleState state) {
        schedules.put(instance, requireNonNull(state, "state is null"));
    }
}
