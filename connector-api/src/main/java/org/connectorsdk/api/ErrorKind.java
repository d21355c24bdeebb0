package org.connectorsdk.api;

/** What went wrong, in the terms an operator acts on. Decides retrying and the final state. */
public enum ErrorKind {
    /** The instance's configuration is invalid; fix the config. */
    CONFIGURATION,
    /** The host could not be resolved or reached. */
    UNREACHABLE,
    /** The TLS handshake failed (untrusted issuer, host name mismatch, expiry, protocol). */
    TLS,
    /** The vendor rejected the credentials (HTTP 401). */
    AUTHENTICATION,
    /** The credentials are valid but lack a permission (HTTP 403). */
    AUTHORIZATION,
    /** The vendor licence does not cover the API (HTTP 402). */
    LICENSE,
    /** The vendor kept answering 429 past the retry budget. */
    RATE_LIMITED,
    /** The vendor refused the request itself (HTTP 400, 404, or a business error). */
    BAD_REQUEST,
    /** The vendor answered with something that is not what its API promises. */
    BAD_RESPONSE,
    /** A failure that may pass on its own (5xx, reset, timeout) and outlived the retries. */
    TRANSIENT,
    /** The connector does not offer what was asked of it (a capability it does not declare). */
    UNSUPPORTED,
    /** The run was cancelled. */
    CANCELLED,
    /** A defect in a connector or the runtime. */
    INTERNAL;

    /** Whether an operation failing with this kind may succeed when simply tried again. */
    public boolean isTransient() {
        return this == TRANSIENT || this == RATE_LIMITED || this == UNREACHABLE;
    }
}
