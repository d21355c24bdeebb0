package org.connectorsdk.api;

/** Tells a plugin its run was cancelled; the runtime's transport abandons in-flight requests. */
public interface CancellationSignal {
    boolean isCancelled();

    /**
     * @throws ConnectorException of kind {@link ErrorKind#CANCELLED} when cancelled
     */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new ConnectorException(ErrorKind.CANCELLED, "The run was cancelled", null);
        }
    }

    /** A signal that is never raised. */
    CancellationSignal NONE = () -> false;
}
