package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of one {@link ConnectionCheck}: a value, never an exception.
 *
 * @param kind        which step
 * @param status      passed, failed or skipped
 * @param message     what was found, for the user; never a secret
 * @param remediation how to fix a failure
 * @param duration    how long the check took (set by the runtime)
 */
public record CheckResult(CheckKind kind, CheckStatus status, String message, Optional<String> remediation,
        Duration duration) {

    public CheckResult {
        requireNonNull(kind, "kind is null");
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
        requireNonNull(remediation, "remediation is null");
        requireNonNull(duration, "duration is null");
    }

    public static CheckResult passed(CheckKind kind, String message) {
        return new CheckResult(kind, CheckStatus.PASSED, message, Optional.empty(), Duration.ZERO);
    }

    public static CheckResult failed(CheckKind kind, String message, String remediation) {
        return new CheckResult(kind, CheckStatus.FAILED, message, Optional.ofNullable(remediation), Duration.ZERO);
    }

    /** A failure built from the exception's message and remediation. */
    public static CheckResult failed(CheckKind kind, ConnectorException e) {
        return new CheckResult(kind, CheckStatus.FAILED, e.getMessage(), e.remediation(), Duration.ZERO);
    }

    public static CheckResult skipped(CheckKind kind, String reason) {
        return new CheckResult(kind, CheckStatus.SKIPPED, reason, Optional.empty(), Duration.ZERO);
    }

    public boolean passed() {
        return status == CheckStatus.PASSED;
    }

    public CheckResult withDuration(Duration duration) {
        return new CheckResult(kind, status, message, remediation, duration);
    }
}
