package org.connectorsdk.api;

/**
 * One step of the connection test. A check reports problems as a failed {@link CheckResult},
 * with a message and remediation; the runtime times it, runs the checks in order and skips the
 * rest after a failure.
 */
public interface ConnectionCheck {
    /** Which of the five steps this is. */
    CheckKind kind();

    /** Runs the check against the configured system. */
    CheckResult run(ConnectorConfig config, ConnectorContext context);
}
