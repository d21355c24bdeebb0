package org.connectorsdk.api.host;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;

/**
 * How one run reads one stream, fixed when the run starts, before anything is read.
 *
 * @param stream the stream's name
 * @param mode   {@link SyncMode#FULL}: the whole stream as the instance selects it (a sink may
 *               reconcile deletions once {@link RunCommit#completeSnapshots} names it);
 *               {@link SyncMode#INCREMENTAL}: only what changed in {@code window}
 * @param window {@code [from, to)}, from inclusive, to exclusive: present for every read of a
 *               time-tracked stream (a full one starts at the epoch), empty for a stream without
 *               a cursor
 */
public record StreamRead(String stream, SyncMode mode, Optional<TimeWindow> window) {
    public StreamRead {
        requireNonNull(stream, "stream is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(window, "window is null");
        if (mode == SyncMode.INCREMENTAL && window.isEmpty()) {
            throw new IllegalArgumentException("An incremental read of '" + stream + "' needs a time window");
        }
    }
}
