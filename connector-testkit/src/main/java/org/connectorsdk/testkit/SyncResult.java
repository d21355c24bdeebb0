package org.connectorsdk.testkit;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.connectorsdk.api.host.RunSummary;

/**
 * What one sync run through the harness produced: the run summary, the records the sink
 * published (per stream, empty when the run was not committed), and the log lines captured
 * while it ran.
 *
 * @param summary   the runtime's summary of the run
 * @param published whether the sink committed the run (nothing is visible otherwise)
 * @param records   the published target records per stream, in write order
 * @param logs      every log event of the run, at every level (closed when the run ended)
 * @param faults    the requests an injected fault of the kit's {@link FixtureServer} answered
 *                  since the instance was registered (its checks included), oldest first, each
 *                  marked as before or during this run; empty without a fixture server
 */
public record SyncResult(RunSummary summary, boolean published, Map<String, List<Map<String, Object>>> records,
        CapturedLogs logs, List<String> faults) {

    /** A result with no fixture-server faults. */
    public SyncResult(RunSummary summary, boolean published, Map<String, List<Map<String, Object>>> records,
            CapturedLogs logs) {
        this(summary, published, records, logs, List.of());
    }

    public SyncResult {
        requireNonNull(summary, "summary is null");
        Map<String, List<Map<String, Object>>> copy = new LinkedHashMap<>();
        requireNonNull(records, "records is null").forEach((k, v) -> copy.put(k, List.copyOf(v)));
        records = java.util.Collections.unmodifiableMap(copy);
        requireNonNull(logs, "logs is null");
        faults = List.copyOf(requireNonNull(faults, "faults is null"));
    }

    /** The published records of {@code stream}; empty when none. */
    public List<Map<String, Object>> records(String stream) {
        return records.getOrDefault(stream, List.of());
    }

    /** Every published record, stream after stream. */
    public List<Map<String, Object>> allRecords() {
        return records.values().stream().flatMap(List::stream).toList();
    }

    @Override
    public String toString() {
        return "SyncResult[" + summary.state() + ", published=" + published + ", records="
                + records.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size()).toList() + "]";
    }
}
