package org.connectorsdk.api.host;

/** Where target records go: the platform's store. Each run writes through its own writer. */
public interface RecordSink {
    /** Opens a transactional writer for one run. */
    SinkWriter open(RunInfo run);
}
