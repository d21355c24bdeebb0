package org.connectorsdk.cortexxdr.simulator;

import java.time.Clock;
import java.util.ArrayDeque;

/**
 * The tenant's request limit, counted per key-independent tenant on the simulator's clock: at
 * most {@code limit} requests per window of one second ({@code 1 / rate} seconds below one request
 * per second), sliding or fixed. A fixed test clock makes the limit exact (no window ever ends).
 */
final class RequestWindow {
    private final Clock clock;
    private final RateWindow kind;
    private final int limit;
    private final long windowMillis;
    /** Arrival times (millis) of the admitted requests still inside the sliding window. */
    private final ArrayDeque<Long> admitted = new ArrayDeque<>();
    private long fixedWindowStart = Long.MIN_VALUE;
    private int fixedWindowCount;

    RequestWindow(Clock clock, double requestsPerSecond, RateWindow kind) {
        this.clock = clock;
        this.kind = kind;
        this.limit = requestsPerSecond >= 1 ? (int) Math.floor(requestsPerSecond) : 1;
        this.windowMillis = requestsPerSecond >= 1 ? 1_000 : Math.round(1_000 / requestsPerSecond);
    }

    /** Admits one request now, or says it is one too many. */
    synchronized boolean tryAcquire() {
        long now = clock.millis();
        return kind == RateWindow.SLIDING ? sliding(now) : fixed(now);
    }

    private boolean sliding(long now) {
        // a request stays counted for exactly one window: one at t and one at t + window are in
        // different windows
        while (!admitted.isEmpty() && admitted.peekFirst() <= now - windowMillis) {
            admitted.pollFirst();
        }
        if (admitted.size() >= limit) {
            return false;
        }
        admitted.addLast(now);
        return true;
    }

    private boolean fixed(long now) {
        long start = Math.floorDiv(now, windowMillis) * windowMillis;
        if (start != fixedWindowStart) {
            fixedWindowStart = start;
            fixedWindowCount = 0;
        }
        if (fixedWindowCount >= limit) {
            return false;
        }
        fixedWindowCount++;
        return true;
    }
}
