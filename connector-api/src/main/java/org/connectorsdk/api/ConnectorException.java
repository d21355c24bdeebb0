package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The one exception type of the SDK: a {@link ErrorKind kind}, a message a user can act on,
 * and a remediation hint. Messages never contain a secret.
 */
public class ConnectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String remediation;

    public ConnectorException(ErrorKind kind, String message, String remediation) {
        this(kind, message, remediation, null);
    }

    public ConnectorException(ErrorKind kind, String message, String remediation, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.kind = requireNonNull(kind, "kind is null");
        this.remediation = remediation;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** What the user can do about it, when known. */
    public Optional<String> remediation() {
        return Optional.ofNullable(remediation);
    }

    @Override
    public String toString() {
        return "ConnectorException[" + kind + "]: " + getMessage();
    }
}
