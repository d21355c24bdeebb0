package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of one {@link ConnectionCheck}: a value, never an exception.
 *
 * <p>A failure carries the {@link ErrorKind} of what went wrong, so an embedding platform tells
 * a configuration problem ({@link ErrorKind#CONFIGURATION}: an unset {@code env:} reference, an
 * unreadable file, an unparsable certificate) from a vendor or network failure without reading
 * the message. A failure built without one gets the kind its check stands for
 * ({@link #defaultErrorKind(CheckKind)}).
 *
 * @param kind        which step
 * @param status      passed, failed or skipped
 * @param message     what was found, for the user; never a secret
 * @param remediation how to fix a failure
 * @param duration    how long the check took (set by the runtime)
 * @param errorKind   what kind of error a failure is; empty unless {@code status} is FAILED
 */
public record CheckResult(CheckKind kind, CheckStatus status, String message, Optional<String> remediation,
        Duration duration, Optional<ErrorKind> errorKind) {

    public CheckResult {
        requireNonNull(kind, "kind is null");
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
        requireNonNull(remediation, "remediation is null");
        requireNonNull(duration, "duration is null");
        requireNonNull(errorKind, "errorKind is null");
        if (status == CheckStatus.FAILED && errorKind.isEmpty()) {
            errorKind = Optional.of(defaultErrorKind(kind));
        } else if (status != CheckStatus.FAILED && errorKind.isPresent()) {
            throw new IllegalArgumentException("A " + status + " check result has no error kind, got "
                    + errorKind.get());
        }
    }

    /** A result whose error kind, when it failed, is the one its check stands for. */
    public CheckResult(CheckKind kind, CheckStatus status, String message, Optional<String> remediation,
            Duration duration) {
        this(kind, status, message, remediation, duration, Optional.empty());
    }

    public static CheckResult passed(CheckKind kind, String message) {
        return new CheckResult(kind, CheckStatus.PASSED, message, Optional.empty(), Duration.ZERO);
    }

    /** A failure of the error kind {@code kind} stands for ({@link #defaultErrorKind(CheckKind)}). */
    public static CheckResult failed(CheckKind kind, String message, String remediation) {
        return new CheckResult(kind, CheckStatus.FAILED, message, Optional.ofNullable(remediation), Duration.ZERO);
    }

    /** A failure of the given error kind, e.g. {@link ErrorKind#LICENSE} from an authorization check. */
    public static CheckResult failed(CheckKind kind, ErrorKind errorKind, String message, String remediation) {
        return new CheckResult(kind, CheckStatus.FAILED, message, Optional.ofNullable(remediation), Duration.ZERO,
                Optional.of(requireNonNull(errorKind, "errorKind is null")));
    }

    /** A failure built from the exception's kind, message and remediation. */
    public static CheckResult failed(CheckKind kind, ConnectorException e) {
        return new CheckResult(kind, CheckStatus.FAILED, e.getMessage(), e.remediation(), Duration.ZERO,
                Optional.of(e.kind()));
    }

    public static CheckResult skipped(CheckKind kind, String reason) {
        return new CheckResult(kind, CheckStatus.SKIPPED, reason, Optional.empty(), Duration.ZERO);
    }

    /**
     * The error kind a failure of {@code kind} stands for when its check names none: network
     * {@link ErrorKind#UNREACHABLE}, TLS {@link ErrorKind#TLS}, authentication and authorization
     * their own kinds, data fetch {@link ErrorKind#BAD_RESPONSE}.
     */
    public static ErrorKind defaultErrorKind(CheckKind kind) {
        return switch (requireNonNull(kind, "kind is null")) {
            case NETWORK_REACHABILITY -> ErrorKind.UNREACHABLE;
            case TLS_HANDSHAKE -> ErrorKind.TLS;
            case AUTHENTICATION -> ErrorKind.AUTHENTICATION;
            case AUTHORIZATION_SCOPE -> ErrorKind.AUTHORIZATION;
            case DATA_FETCH -> ErrorKind.BAD_RESPONSE;
        };
    }

    public boolean passed() {
        return status == CheckStatus.PASSED;
    }

    /** Whether this failure is a configuration problem (fix the config, not the vendor side). */
    public boolean isConfigurationProblem() {
        return errorKind.filter(k -> k == ErrorKind.CONFIGURATION).isPresent();
    }

    public CheckResult withDuration(Duration duration) {
        return new CheckResult(kind, status, message, remediation, duration, errorKind);
    }
}
