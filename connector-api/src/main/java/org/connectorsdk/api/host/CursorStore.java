package org.connectorsdk.api.host;

import java.util.Optional;
import org.connectorsdk.api.Checkpoint;

/**
 * Where a stream's committed cursor (for delta runs) and the current run's page checkpoints live.
 *
 * <p>Cursors here are a copy: the runtime saves them after {@link SinkWriter#commit} made them
 * durable with the records, and repairs them from {@link RecordSink#lastCommit} at startup. With
 * a sink that keeps no cursors this copy is the only one, saved after the commit (at-least-once).
 * Calls for one instance come from one thread at a time; several instances' runs call at once.
 */
public interface CursorStore {
    /** The checkpoint of {@code stream}/{@code partition} saved during the current or last run. */
    Optional<Checkpoint> checkpoint(String instance, String stream, String partition);

    /** Saves the page checkpoint of a running run, after its page's records were written. */
    void saveCheckpoint(String instance, String stream, String partition, Checkpoint checkpoint);

    /** Drops the instance's page checkpoints (after a run commits or aborts). */
    void clearCheckpoints(String instance);

    /** The committed cursor of {@code stream}, for delta runs; opaque to the store. */
    Optional<Checkpoint> cursor(String instance, String stream);

    /**
     * Saves the cursor {@code stream} committed with its records; called once per time-tracked
     * stream after each commit, and at startup when the sink's last commit is newer than the copy.
     */
    void saveCursor(String instance, String stream, Checkpoint cursor);
}
