package org.connectorsdk.cortexxdr.simulator;

import java.time.Clock;

/**
 * The tenant's request budget: a bucket of {@code rate} tokens refilled continuously from the
 * simulator's clock, so a fixed test clock makes the limit exact (no refill at all).
 */
final class TokenBucket {

    private final Clock clock;
    private final double rate;
    private double tokens;
    private long lastMillis;

    TokenBucket(Clock clock, double requestsPerSecond) {
        this.clock = clock;
        this.rate = requestsPerSecond;
        this.tokens = Math.max(1.0, requestsPerSecond);
        this.lastMillis = clock.millis();
    }

    synchronized boolean tryAcquire() {
        long now = clock.millis();
        if (now > lastMillis) {
            tokens = Math.min(Math.max(1.0, rate), tokens + (now - lastMillis) * rate / 1000.0);
            lastMillis = now;
        }
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }
}
