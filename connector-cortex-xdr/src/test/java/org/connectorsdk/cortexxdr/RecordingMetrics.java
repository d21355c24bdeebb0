package org.connectorsdk.cortexxdr;

import java.util.Map;
import java.util.TreeMap;
import org.connectorsdk.api.Metrics;

/** Metrics kept in a map, for asserting what a run counted. */
final class RecordingMetrics implements Metrics {
    final Map<String, Long> counts = new TreeMap<>();

    @Override
    public synchronized void count(String name, long delta) {
        counts.merge(name, delta, Long::sum);
    }

    long get(String name) {
        return counts.getOrDefault(name, 0L);
    }
}
