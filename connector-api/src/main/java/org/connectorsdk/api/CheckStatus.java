package org.connectorsdk.api;

/** The outcome of one connection check. */
public enum CheckStatus {
    PASSED,
    FAILED,
    /** Not run because an earlier check failed. */
    SKIPPED
}
