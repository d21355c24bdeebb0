package org.connectorsdk.runtime.internal.http;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLException;

import org.connectorsdk.api.ProbeResult.Failure;

/**
 * Tells apart why a TLS handshake failed, by walking the exception's cause chain: the JDK
 * reports an untrusted issuer, a host name mismatch and an expired certificate all as an
 * {@code SSLHandshakeException}, and only the causes and their messages differ.
 */
final class TlsFailures {

    /** A handshake failure explained for a user. */
    record Explained(Failure failure, String message, String remediation) {
    }

    private TlsFailures() {
    }

    /**
     * Explains {@code error} if it is a TLS failure; empty for anything else (a refused or reset
     * connection is a network problem, not a TLS one).
     */
    static Optional<Explained> explain(Throwable error, String hostAndPort) {
        String detail = rootMessage(error);
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException v
                            && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                                    || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                return Optional.of(new Explained(Failure.EXPIRED_CERTIFICATE,
                        "The TLS certificate of " + hostAndPort + " has expired or is not yet valid (" + detail + ")",
                        "Renew the server's certificate, and check that this machine's clock is correct"));
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = lower(t.getMessage());
            if (message.contains("no subject alternative") || message.contains("no name matching")) {
                return Optional.of(new Explained(Failure.HOSTNAME_MISMATCH,
                        "The TLS certificate of " + hostAndPort + " is not issued for that host name (" + detail + ")",
                        "Use the host name the certificate names in the base URL (for Cortex XDR: "
                                + "api-<tenant>.xdr.<region>.paloaltonetworks.com), or have the certificate reissued"));
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = lower(t.getMessage());
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
                    || message.contains("unable to find valid certification path")
                    || message.contains("pkix path")) {
                return Optional.of(new Explained(Failure.UNTRUSTED_ISSUER,
                        "The TLS certificate of " + hostAndPort + " is not issued by a trusted certificate authority ("
                                + detail + ")",
                        "If the endpoint uses a private or self-signed CA, set caCertificate to that CA's certificate "
                                + "in PEM form; otherwise check for a proxy that intercepts TLS"));
            }
        }
        if (!hasTls(error)) {
            return Optional.empty();
        }
        if (isTimeout(error)) {
            return Optional.of(new Explained(Failure.TIMEOUT,
                    "The TLS handshake with " + hostAndPort + " timed out (" + detail + ")",
                    "Check that the port of the base URL serves HTTPS and that no firewall holds the connection"));
        }
        return Optional.of(new Explained(Failure.PROTOCOL,
                "The TLS handshake with " + hostAndPort + " failed: the server does not speak TLS 1.2 or later on "
                        + "this port, or offers no common cipher (" + detail + ")",
                "Check the scheme and port of the base URL, and that the server supports TLS 1.2 or TLS 1.3"));
    }

    /** Whether a handshake failure is the peer hanging up rather than a TLS disagreement. */
    static boolean isConnectionLoss(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof SocketException) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasTls(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message, which carries the JDK's specific reason. */
    static String rootMessage(Throwable error) {
        Throwable root = error;
        String message = error.getMessage();
        for (Throwable t = error; t != null; t = t.getCause()) {
            root = t;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message == null ? root.getClass().getSimpleName() : message;
    }

    private static String lower(String message) {
        return message == null ? "" : message.toLowerCase(Locale.ROOT);
    }
}
