package org.connectorsdk.kafka;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;

/**
 * What a task keeps in memory for the runtime: its one instance, the recent history, and the
 * page checkpoints of the run in progress. Nothing here must survive the task: the cursors are
 * Connect's source offsets, read back through {@link TopicSink#lastCommit}, and a run that did
 * not commit is read again from them. The task learns of failed runs here.
 */
final class TaskStateStore implements StateStore {
    /** Runs and transitions kept for {@code ConnectorRuntime.history}; older ones are dropped. */
    private static final int KEPT = 50;

    private final Map<String, InstanceRecord> instances = new ConcurrentHashMap<>();
    private final Deque<StateTransition> transitions = new ArrayDeque<>();
    private final Deque<RunSummary> runs = new ArrayDeque<>();
    private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, Checkpoint> cursors = new ConcurrentHashMap<>();
    private final AtomicReference<RunSummary> failedRun = new AtomicReference<>();

    /** The last run that ended {@code ERRORED} since the previous call, if any. */
    Optional<RunSummary> takeFailedRun() {
        return Optional.ofNullable(failedRun.getAndSet(null));
    }

    @Override
    public void saveInstance(InstanceRecord instance) {
        instances.put(instance.name(), instance);
    }

    @Override
    public Optional<InstanceRecord> instance(String name) {
        return Optional.ofNullable(instances.get(name));
    }

    @Override
    public List<InstanceRecord> instances() {
        return List.copyOf(instances.values());
    }

    @Override
    public void removeInstance(String name) {
        instances.remove(name);
    }

    @Override
    public synchronized void appendTransition(String instance, StateTransition transition) {
        keep(transitions, transition);
    }

    @Override
    public synchronized List<StateTransition> transitions(String instance) {
        return List.copyOf(transitions);
    }

    @Override
    public synchronized void saveRun(RunSummary summary) {
        keep(runs, summary);
        if (summary.state() == ConnectorState.ERRORED) {
            failedRun.set(summary);
        }
    }

    @Override
    public synchronized List<RunSummary> runs(String instance) {
        return List.copyOf(runs);
    }

    private static <T> void keep(Deque<T> deque, T item) {
        deque.addLast(item);
        if (deque.size() > KEPT) {
            deque.removeFirst();
        }
    }

    @Override
    public Optional<Checkpoint> checkpoint(String instance, String stream, String partition) {
        return Optional.ofNullable(checkpoints.get(stream + "/" + partition));
    }

    @Override
    public void saveCheckpoint(String instance, String stream, String partition, Checkpoint checkpoint) {
        checkpoints.put(stream + "/" + partition, checkpoint);
    }

    @Override
    public void clearCheckpoints(String instance) {
        checkpoints.clear();
    }

    /** The runtime's copy of the cursors; the sink's {@code lastCommit} (Connect's offsets) wins. */
    @Override
    public Optional<Checkpoint> cursor(String instance, String stream) {
        return Optional.ofNullable(cursors.get(stream));
    }

    @Override
    public void saveCursor(String instance, String stream, Checkpoint cursor) {
        cursors.put(stream, cursor);
    }
}
