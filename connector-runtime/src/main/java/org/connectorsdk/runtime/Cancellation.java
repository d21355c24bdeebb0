package org.connectorsdk.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.connectorsdk.api.CancellationSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cancellation signal the runtime raises once; hooks registered with {@link #onCancel} run
 * when it is raised (at once if it already was), so blocked work can be abandoned.
 */
final class Cancellation implements CancellationSignal {
    private static final Logger LOG = LoggerFactory.getLogger(Cancellation.class);

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

    /** Raises the signal; idempotent. */
    void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            hooks.forEach(Cancellation::runQuietly);
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Runs {@code hook} when the signal is raised. The returned handle unregisters it, for
     * hooks that only matter while some operation is in flight.
     */
    AutoCloseable onCancel(Runnable hook) {
        hooks.add(hook);
        if (cancelled.get() && hooks.remove(hook)) {
            runQuietly(hook);
        }
        return () -> hooks.remove(hook);
    }

    private static void runQuietly(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            // a failing hook must not stop the others from abandoning their work
            LOG.debug("A cancellation hook failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "Cancellation[" + (isCancelled() ? "cancelled" : "active") + "]";
    }
}
