package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The input of one page step. The runtime calls {@link StreamReader#read} with one request at a
 * time per reader (the next page may be fetched on another thread while the previous one is
 * written, never two at once).
 *
 * <p>In a {@link SyncMode#FULL} read the reader returns every record; in an
 * {@link SyncMode#INCREMENTAL} read, only those whose cursor field lies in {@link #window()} (see
 * {@link TimeWindow} for its ends and where they come from). The runtime reads a stream that
 * supports both modes in full the first time, and incrementally once a run has committed its
 * watermark. Records the previous run delivered inside the overlap, with the same primary key
 * and the same cursor value, are dropped by the runtime; a record that changed again (a new
 * cursor value) is delivered again.
 *
 * @param stream     which stream
 * @param partition  which slice of it
 * @param checkpoint where the previous page left off ({@link Checkpoint#START} for the first, or
 *                   the last page checkpoint of a run that is being resumed)
 * @param mode       full or incremental
 * @param window     the frozen window of the read: always present for an incremental read, and
 *                   for a full read of a time-tracked stream ({@link StreamSpec#timeTracked}),
 *                   whose reader must then leave out records at or after its {@code to}; empty
 *                   for a full read of a stream without a cursor
 */
public record PageRequest(StreamSpec stream, Partition partition, Checkpoint checkpoint, SyncMode mode,
        Optional<TimeWindow> window) {
    public PageRequest {
        requireNonNull(stream, "stream is null");
        requireNonNull(partition, "partition is null");
        requireNonNull(checkpoint, "checkpoint is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(window, "window is null");
        if (mode == SyncMode.INCREMENTAL && window.isEmpty()) {
            throw new IllegalArgumentException("An incremental read of '" + stream.name() + "' needs a time window");
        }
    }

    /** The first page of a full read of the whole stream. */
    public static PageRequest first(StreamSpec stream) {
        return new PageRequest(stream, Partition.WHOLE, Checkpoint.START, SyncMode.FULL, Optional.empty());
    }

    /** The request for the page after {@code page}. */
    public PageRequest next(Page page) {
        return new PageRequest(stream, partition, page.next(), mode, window);
    }
}
