package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of a network or TLS probe.
 *
 * @param failure what went wrong, or {@link Failure#NONE}
 * @param detail  a short description of what was seen (address, peer certificate subject, cause)
 */
public record ProbeResult(Failure failure, String detail) {
    public ProbeResult {
        requireNonNull(failure, "failure is null");
        requireNonNull(detail, "detail is null");
    }

    public static ProbeResult ok(String detail) {
        return new ProbeResult(Failure.NONE, detail);
    }

    public boolean ok() {
        return failure == Failure.NONE;
    }

    /** Why a probe failed. */
    public enum Failure {
        NONE,
        /** The host name does not resolve. */
        DNS,
        /** The host actively refused the connection. */
        REFUSED,
        /** No answer within the timeout. */
        TIMEOUT,
        /** The peer's certificate chain does not lead to a trusted issuer. */
        UNTRUSTED_ISSUER,
        /** The certificate does not name the host. */
        HOSTNAME_MISMATCH,
        /** The certificate has expired or is not yet valid. */
        EXPIRED_CERTIFICATE,
        /** No common protocol or cipher, or the peer does not speak TLS. */
        PROTOCOL,
        /** Anything else. */
        OTHER
    }
}
