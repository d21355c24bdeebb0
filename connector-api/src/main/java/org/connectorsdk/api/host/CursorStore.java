package org.connectorsdk.api.host;

import java.util.Optional;
import org.connectorsdk.api.Checkpoint;

/** Where a stream's committed cursor (for delta runs) and the current run's page checkpoints live. */
public interface CursorStore {
    /** The checkpoint of {@code stream}/{@code partition} saved during the current or last run. */
    Optional<Checkpoint> checkpoint(String instance, String stream, String partition);

    void saveCheckpoint(String instance, String stream, String partition, Checkpoint checkpoint);

    /** Drops the instance's page checkpoints (after a run commits or aborts). */
    void clearCheckpoints(String instance);

    /** The committed cursor (watermark and ids at it) of {@code stream}, for delta runs. */
    Optional<Checkpoint> cursor(String instance, String stream);

    void saveCursor(String instance, String stream, Checkpoint cursor);
}
