package org.connectorsdk.api;

/** Optional behaviours a connector declares, for a platform to show and a test suite to check. */
public enum Capability {
    /** Emits vulnerability findings with assets. */
    FINDINGS,
    /** Supports delta runs from a stored watermark (required for streams offering {@link SyncMode#INCREMENTAL}). */
    INCREMENTAL_SYNC,
    /** Imports installed software per asset. */
    INSTALLED_SOFTWARE,
    /** Maps the vendor's own tags. */
    SOURCE_TAGS,
    /** Accepts filters that narrow what is read. */
    FILTERS,
    /** Emits security events (incidents, alerts). */
    EVENTS
}
