package org.connectorsdk.api.host;

import java.util.Optional;

/**
 * Where the runtime keeps what must survive a restart: instances, run history, checkpoints,
 * cursors and schedules. Implementations write atomically (a crash leaves the previous version
 * readable) and never store a secret value. A runtime that only tests connections needs none.
 *
 * <p>Call order of one run: {@link #appendTransition} (PROCESSING), page checkpoints while it
 * reads, then, after the sink's commit, {@link #saveCursor} for each time-tracked stream,
 * {@link #clearCheckpoints}, {@link #saveRun} and {@link #appendTransition} (PROCESSED or
 * ERRORED). At startup the runtime compares {@link #runs} with the sink's last commit and saves
 * that run and its cursors when they are missing, so a crash between the sink's commit and these
 * calls never leaves a published run recorded as failed. Implementations are called from several
 * threads at once and must be thread-safe.
 */
public interface StateStore extends InstanceStore, RunHistory, CursorStore {
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
