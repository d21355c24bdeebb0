package org.connectorsdk.kafka;

import java.util.function.Supplier;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.host.ErrorInfo;

/**
 * SDK errors as Connect sees them: a transient kind (rate limited, unreachable, transient)
 * becomes a {@link RetriableException}, anything else a {@link ConnectException} that fails the
 * task. The text is the SDK's kind, message and remediation, which never hold a secret.
 */
final class ConnectErrors {
    private ConnectErrors() {
    }

    static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (ConnectorException e) {
            throw toConnect(ErrorInfo.of(e));
        }
    }

    static ConnectException toConnect(ErrorInfo error) {
        String text = describe(error);
        return error.kind().isTransient() ? new RetriableException(text) : new ConnectException(text);
    }

    static String describe(ConnectorException e) {
        return describe(ErrorInfo.of(e));
    }

    static String describe(ErrorInfo error) {
        return error.kind() + ": " + error.message() + error.remediation().map(r -> " Remediation: " + r).orElse("");
    }

}
