package org.connectorsdk.api;

import java.util.List;
import java.util.Optional;

/**
 * Where the runtime keeps what must survive a restart: instances, run history, checkpoints and
 * watermarks. Implementations write atomically (a crash leaves the previous version readable)
 * and never store a secret value.
 */
public interface StateStore {
    void saveInstance(InstanceRecord instance);

    Optional<InstanceRecord> instance(String name);

    List<InstanceRecord> instances();

    /** Removes the instance with its history, checkpoints and cursors. */
    void removeInstance(String name);

    void appendTransition(String instance, StateTransition transition);

    /** The instance's transitions, oldest first. */
    List<StateTransition> transitions(String instance);

    void saveRun(RunSummary summary);

    /** The instance's run summaries, oldest first. */
    List<RunSummary> runs(String instance);

    /** The checkpoint of {@code stream}/{@code partition} saved during the current or last run. */
    Optional<Checkpoint> checkpoint(String instance, String stream, String partition);

    void saveCheckpoint(String instance, String stream, String partition, Checkpoint checkpoint);

    /** Drops the instance's page checkpoints (after a run commits or aborts). */
    void clearCheckpoints(String instance);

    /** The committed cursor (watermark and ids at it) of {@code stream}, for delta runs. */
    Optional<Checkpoint> cursor(String instance, String stream);

    void saveCursor(String instance, String stream, Checkpoint cursor);

    /**
     * The instance's schedule state, as last saved by {@link #saveScheduleState}.
     *
     * <p>The default keeps nothing: a store that does not override this pair forgets the
     * schedule on restart, so the runtime then plans each instance from its registration (a
     * single occurrence counts as done when the instance has a run that started after it).
     */
    default Optional<ScheduleState> scheduleState(String instance) {
        return Optional.empty();
    }

    /**
     * Saves the instance's schedule state; {@link #removeInstance} removes it too.
     */
    default void saveScheduleState(String instance, ScheduleState state) {
    }
}
