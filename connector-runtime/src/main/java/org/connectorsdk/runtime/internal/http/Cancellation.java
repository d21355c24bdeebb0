package org.connectorsdk.runtime.internal.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cancellation signal the runtime raises once; hooks registered with {@link #onCancel} run
 * when it is raised (at once if it already was), so blocked work can be abandoned.
 */
public final class Cancellation implements CancellationSignal {
    private static final Logger LOG = LoggerFactory.getLogger(Cancellation.class);

    private final String subject;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile String by = "";
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

    /** A signal for a connection test or a lone transport: its error says "The run was cancelled". */
    public Cancellation() {
        this("The run");
    }

    /** A signal whose error names {@code subject}, e.g. "The run of instance 'tenant-eu'". */
    public Cancellation(String subject) {
        this.subject = requireNonNull(subject, "subject is null");
    }

    /** Raises the signal; idempotent. */
    public void cancel() {
        cancel("");
    }

    /**
     * Raises the signal, saying who raised it ("by the operator (cancel)"); idempotent, the
     * first caller is the one named.
     */
    public void cancel(String by) {
        requireNonNull(by, "by is null");
        if (cancelled.compareAndSet(false, true)) {
            this.by = by;
            hooks.forEach(Cancellation::runQuietly);
        }
    }

    /** Who raised the signal, as given to {@link #cancel(String)}; empty when not said or not raised. */
    public String cancelledBy() {
        return by;
    }

    /**
     * @throws ConnectorException of kind {@link ErrorKind#CANCELLED} naming the subject and who
     *                            cancelled it
     */
    @Override
    public void throwIfCancelled() {
        if (isCancelled()) {
            String who = by.isEmpty() ? "" : " " + by;
            throw new ConnectorException(ErrorKind.CANCELLED, subject + " was cancelled" + who, null);
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
    public AutoCloseable onCancel(Runnable hook) {
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
