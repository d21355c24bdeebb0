package org.connectorsdk.api;

import java.util.List;
import java.util.Optional;

/**
 * Reads a connector's streams one page at a time for one run. The plugin holds no threads,
 * sleeps or schedules: the runtime drives the loop, stores checkpoints after the sink has the
 * records, and guards against endless paging.
 */
public interface StreamReader extends AutoCloseable {

    /** The slices of {@code stream} to read in this run; the whole stream by default. */
    default List<Partition> partitions(StreamSpec stream, SyncMode mode, Optional<TimeWindow> window) {
        return List.of(Partition.WHOLE);
    }

    /**
     * Fetches one page.
     *
     * @throws ConnectorException with the kind and remediation of whatever went wrong
     */
    Page read(PageRequest request);

    /** Releases what the reader holds; called once at the end of a run. */
    @Override
    default void close() {
    }
}
