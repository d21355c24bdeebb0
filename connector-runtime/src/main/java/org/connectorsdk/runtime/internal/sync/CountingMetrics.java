package org.connectorsdk.runtime.internal.sync;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.connectorsdk.api.Metrics;

/** Thread-safe named counters, read as a sorted snapshot for a run summary. */
public final class CountingMetrics implements Metrics {
    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();

    @Override
    public void count(String name, long delta) {
        requireNonNull(name, "name is null");
        counters.computeIfAbsent(name, n -> new LongAdder()).add(delta);
    }

    /** The current value of {@code name}, 0 if never counted. */
    public long get(String name) {
        LongAdder adder = counters.get(name);
        return adder == null ? 0 : adder.sum();
    }

    /** Every counter, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((name, adder) -> out.put(name, adder.sum()));
        return out;
    }

    @Override
    public String toString() {
        return "CountingMetrics" + snapshot();
    }
}
