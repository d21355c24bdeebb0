package org.connectorsdk.api;

/** How a stream is read in one run. */
public enum SyncMode {
    /** Everything the source holds. */
    FULL,
    /** Only what changed inside the run's frozen time window. */
    INCREMENTAL
}
