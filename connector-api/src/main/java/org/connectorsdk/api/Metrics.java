package org.connectorsdk.api;

/** Counters a plugin may add to the run summary, e.g. {@code xql.queries}. */
public interface Metrics {
    void count(String name, long delta);

    /** Metrics that go nowhere. */
    Metrics NONE = (name, delta) -> { };
}
