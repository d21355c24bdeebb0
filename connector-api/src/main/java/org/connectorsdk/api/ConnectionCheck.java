package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

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

    /**
     * A check that passes with {@code title} as its message when {@code step} returns, and fails
     * with the message and remediation of the {@link ConnectorException} it throws:
     *
     * <pre>{@code
     * ConnectionCheck.of(CheckKind.AUTHENTICATION, "Acme accepted the API token",
     *         (config, context) -> new AcmeApi(config, context).whoAmI());
     * }</pre>
     *
     * @param title what a pass means, for the user, e.g. "Read one page of findings"
     */
    static ConnectionCheck of(CheckKind kind, String title, Step step) {
        requireNonNull(kind, "kind is null");
        requireNonNull(title, "title is null");
        requireNonNull(step, "step is null");
        return new ConnectionCheck() {
            @Override
            public CheckKind kind() {
                return kind;
            }

            @Override
            public CheckResult run(ConnectorConfig config, ConnectorContext context) {
                try {
                    step.run(config, context);
                    return CheckResult.passed(kind, title);
                } catch (ConnectorException e) {
                    return CheckResult.failed(kind, e);
                }
            }

            @Override
            public String toString() {
                return "ConnectionCheck[" + kind + ": " + title + "]";
            }
        };
    }

    /** What a check made with {@link #of} does; it throws a {@link ConnectorException} to fail. */
    @FunctionalInterface
    interface Step {
        /** Performs the check; returning normally passes it. */
        void run(ConnectorConfig config, ConnectorContext context);
    }
}
