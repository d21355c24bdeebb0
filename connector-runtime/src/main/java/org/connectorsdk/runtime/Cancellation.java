package org.connectorsdk.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

import org.connectorsdk.api.CancellationSignal;

/** TEMPORARY stand-in for H2's cancellation (issue 3), deleted when the real one lands on main. */
final class Cancellation implements CancellationSignal {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    void cancel() {
        cancelled.set(true);
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }
}
