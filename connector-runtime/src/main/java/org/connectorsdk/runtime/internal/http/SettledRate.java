package org.connectorsdk.runtime.internal.http;

import java.util.concurrent.atomic.AtomicLong;

import org.connectorsdk.api.Metrics;

/**
 * The tenant rate a run last sent at, kept in the run's counter {@value #COUNTER} (requests per
 * minute). Counters only add, so each change is counted as the difference to what the run's
 * counter holds; one per run, shared by all its transports.
 */
public final class SettledRate {
    /** The counter holding the rate, in requests per minute. */
    public static final String COUNTER = "http.settledRequestsPerMinute";

    private final AtomicLong reported = new AtomicLong();

    void report(Metrics metrics, double requestsPerSecond) {
        long perMinute = Math.round(requestsPerSecond * 60);
        long previous = reported.getAndSet(perMinute);
        if (previous != perMinute) {
            metrics.count(COUNTER, perMinute - previous);
        }
    }
}
