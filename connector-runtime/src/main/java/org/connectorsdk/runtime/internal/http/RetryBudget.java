package org.connectorsdk.runtime.internal.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The retries one run may spend across all its requests, so a tenant that keeps failing
 * cannot hold a run in backoff for hours: once spent, failures go straight to the caller.
 */
public final class RetryBudget {
    /** Retries a run may spend unless told otherwise. */
    public static final int DEFAULT_PER_RUN = 100;

    private final int limit;
    private final AtomicInteger used = new AtomicInteger();

    public RetryBudget(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("retry budget must not be negative, got " + limit);
        }
        this.limit = limit;
    }

    /** Takes one retry; false when the budget is spent. */
    boolean tryTake() {
        while (true) {
            int current = used.get();
            if (current >= limit) {
                return false;
            }
            if (used.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    int used() {
        return used.get();
    }

    int limit() {
        return limit;
    }
}
