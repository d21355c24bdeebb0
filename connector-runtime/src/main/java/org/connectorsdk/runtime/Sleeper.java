package org.connectorsdk.runtime;

import java.time.Duration;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

/**
 * Waits for a while. The runtime waits through this interface (backoff, rate limits, the
 * scheduler), so tests can substitute fake time that advances a clock instead of sleeping.
 */
@FunctionalInterface
interface Sleeper {
    /** Blocks for {@code duration}; a zero or negative duration returns at once. */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Blocks for {@code duration} unless {@code cancellation} is raised first; real sleeps are
     * cut into slices of at most {@code slice} so a cancellation ends the wait quickly.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CANCELLED} once cancelled
     */
    default void sleep(Duration duration, CancellationSignal cancellation, Duration slice) throws InterruptedException {
        Duration left = duration;
        while (left.compareTo(Duration.ZERO) > 0) {
            cancellation.throwIfCancelled();
            Duration step = left.compareTo(slice) > 0 ? slice : left;
            sleep(step);
            left = left.minus(step);
        }
        cancellation.throwIfCancelled();
    }

    /** Real time: {@link Thread#sleep(long, int)}. */
    Sleeper SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        }
    };
}
