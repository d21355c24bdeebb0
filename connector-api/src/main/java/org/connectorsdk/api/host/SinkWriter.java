package org.connectorsdk.api.host;

import java.util.Map;

/**
 * One run's transactional output: nothing written is visible until {@link #commit}; after
 * {@link #abort} nothing of the run is published.
 */
public interface SinkWriter extends AutoCloseable {
    /** Adds one target record of {@code stream}. */
    void write(String stream, Map<String, Object> record);

    /** Publishes everything written, with the run's summary, atomically. */
    void commit(RunSummary summary);

    /** Discards everything written. Safe to call more than once, and after a failed commit. */
    void abort();

    /** Aborts unless committed. */
    @Override
    void close();
}
