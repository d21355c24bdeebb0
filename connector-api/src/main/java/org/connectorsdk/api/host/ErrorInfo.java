package org.connectorsdk.api.host;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Why a run or check failed, as stored and shown.
 *
 * @param kind        the error kind
 * @param message     what happened; never a secret
 * @param remediation how to fix it
 */
public record ErrorInfo(ErrorKind kind, String message, Optional<String> remediation) {
    public ErrorInfo {
        requireNonNull(kind, "kind is null");
        requireNonNull(message, "message is null");
        requireNonNull(remediation, "remediation is null");
    }

    public static ErrorInfo of(ConnectorException e) {
        return new ErrorInfo(e.kind(), e.getMessage(), e.remediation());
    }
}
