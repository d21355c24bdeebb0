package org.connectorsdk.api.host;

/** Where a connector instance stands, as the operator's list shows it. */
public enum ConnectorState {
    /** Saved, waiting for its first run. */
    REGISTERED,
    /** Due, waiting for processing resources to become available. */
    SCHEDULED,
    /** A run is fetching and writing records. */
    PROCESSING,
    /** The last run completed successfully. */
    PROCESSED,
    /** The last run failed; see its error. */
    ERRORED
}
