package org.connectorsdk.api.host;

import java.util.Map;

import org.connectorsdk.api.Checkpoint;

/**
 * One run's transactional output: nothing written is visible until {@link #commit}; after
 * {@link #abort} nothing of the run is published.
 *
 * <p>Call order, for one writer: {@link #write} any number of times (with {@link #savePosition} between
 * them on a resumable sink), then exactly one of
 * {@link #commit}, {@link #abort} or {@link #suspend}, then {@link #close}. A writer is used by one thread at a time
 * (the run's), but different runs (other instances) write through their own writers at once.
 *
 * <p>Each record carries its identity in {@code _meta}: {@code instance}, {@code stream},
 * {@code key} (the list of the stream's primary-key values) and {@code version} (the record's
 * cursor value for a time-tracked stream, else {@code sha256:} and the hex digest of the record's
 * content). The same identity means the same record version: a sink that is not transactional
 * de-duplicates on it.
 */
public interface SinkWriter extends AutoCloseable {
    /** Adds one target record of {@code stream}. */
    void write(String stream, Map<String, Object> record);

    /**
     * Makes every record written, the summary and the new cursors durable in one atomic step:
     * after a crash at any instant, {@link RecordSink#lastCommit} returns either the previous
     * commit (and none of this run's records is visible) or this one (and all of them are).
     * A sink that cannot make it atomic is at-least-once: it must store the records before the
     * cursors.
     *
     * @throws RuntimeException when nothing was published; the runtime then aborts the writer
     */
    void commit(RunCommit commit);

    /**
     * What the last {@link #commit} changed in the sink, by stream: for a sink that keeps each
     * stream's current state (a database) and counts new, updated, unchanged and gone records. A key
     * may also name a part the sink derives from a stream ({@code findings}, from the assets that
     * carry them). The runtime adds them to the run's summary ({@link RunSummary#withChanges}) that
     * it saves and returns. Empty by default: the sink does not count.
     *
     * @since 1.1
     */
    default Map<String, StreamChanges> changes() {
        return Map.of();
    }

    /**
     * Makes the records written so far durable together with {@code position}, the runtime's own
     * values saying where the run stands; {@link RecordSink#partialRun} returns the last position
     * saved, and {@link RecordSink#resume} keeps exactly the records written before it. Called
     * only on a {@link RecordSink#resumable} sink, between writes, after a page's records. A no-op
     * by default.
     *
     * @since 1.2
     */
    default void savePosition(Checkpoint position) {
    }

    /** Discards everything written. Safe to call more than once, and after a failed commit. */
    void abort();

    /**
     * Ends the run unpublished but keeps what was written up to the last {@link #savePosition}, as
     * a crash would, for the instance's next run to {@link RecordSink#resume}. The runtime calls it
     * instead of {@link #abort} on a {@link RecordSink#resumable} sink when the run failed with an
     * error that may pass ({@link org.connectorsdk.api.ErrorKind#isTransient}) after a position was
     * saved. Aborts by default: a sink that cannot keep a run starts the next one over.
     *
     * @since 1.3
     */
    default void suspend() {
        abort();
    }

    /** Aborts unless committed. */
    @Override
    void close();
}
