package org.connectorsdk.runtime.internal.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket holding a single token, refilled at the key's rate: requests are spaced at
 * least {@code 1 / rate} apart, whoever sends them. A bucket of one never lets a burst through,
 * which matters because vendors such as Cortex XDR count requests per second across all of a
 * tenant's APIs and answer 429 to a burst even when the average is within the limit.
 *
 * <p>Callers {@link #reserve()} a slot and wait the returned time themselves, so the waiting
 * honours their cancellation signal and fake time in tests.
 */
final class RateLimiter {
    private final Clock clock;
    private long intervalNanos;
    /** When the next request may go, in nanoseconds on {@link #clock}'s time line. */
    private long nextFreeNanos = Long.MIN_VALUE;

    RateLimiter(Clock clock, double requestsPerSecond) {
        this.clock = clock;
        setRate(requestsPerSecond);
    }

    /** Changes the rate, for an instance whose configured budget changed. */
    synchronized void setRate(double requestsPerSecond) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requests per second must be positive and finite, got "
                    + requestsPerSecond);
        }
        this.intervalNanos = Math.max(1, Math.round(1_000_000_000d / requestsPerSecond));
    }

    synchronized double rate() {
        return 1_000_000_000d / intervalNanos;
    }

    /** Takes the next free slot and says how long to wait until it comes (zero if now). */
    synchronized Duration reserve() {
        long now = nanos(clock.instant());
        long start = nextFreeNanos == Long.MIN_VALUE ? now : Math.max(now, nextFreeNanos);
        nextFreeNanos = start + intervalNanos;
        return Duration.ofNanos(start - now);
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
