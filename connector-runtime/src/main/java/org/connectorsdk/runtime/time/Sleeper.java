package org.connectorsdk.runtime.time;

import java.time.Duration;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

/**
 * Waits for a while. The runtime waits through this interface (retry backoff, {@code Retry-After},
 * rate-limit spacing), so a test or an embedder gives fake time that advances its clock instead
 * of sleeping, as Micrometer's {@code MockClock} does:
 *
 * <pre>{@code
 * MutableClock time = MutableClock.start();          // connector-testkit: a Clock and a Sleeper
 * ConnectorRuntime runtime = ConnectorRuntime.builder().clock(time).sleeper(time)...build();
 * }</pre>
 */
@FunctionalInterface
public interface Sleeper {
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
