package org.connectorsdk.runtime;

import java.time.Duration;

/**
 * Waits for a while. The runtime waits through this interface (backoff, rate limits, the
 * scheduler), so tests can substitute fake time that advances a clock instead of sleeping.
 */
@FunctionalInterface
interface Sleeper {
    /** Blocks for {@code duration}; a zero or negative duration returns at once. */
    void sleep(Duration duration) throws InterruptedException;

    /** Real time: {@link Thread#sleep(long, int)}. */
    Sleeper SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        }
    };
}
