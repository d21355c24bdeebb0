package org.connectorsdk.server;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.ConnectorRuntime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The runtime's figures as Micrometer meters, fed by its transitions and page progress: records
 * read and pages counted live after every page; records written and rejected, HTTP requests,
 * retries and 429s, run durations and final states counted when a run ends (from its summary);
 * instances by state and the scheduler's queue read at each scrape.
 *
 * <p>Names (Prometheus adds {@code _total} to counters): {@code connector.records.read},
 * {@code connector.records.written}, {@code connector.records.rejected}, {@code connector.pages}
 * (tags instance, stream); {@code connector.http.requests}, {@code connector.http.retries},
 * {@code connector.http.rate.limited} (tag tenant, the host of the instance's base URL);
 * {@code connector.runs} and the timer {@code connector.run.duration} (tags instance, state);
 * the gauges {@code connector.instances} (tag state) and {@code connector.scheduler.queue}.
 */
final class RunMeters {
    private final MeterRegistry registry;
    private final StateStore store;
    /** Per instance and stream, the records and pages of its current run already counted. */
    private final Map<String, Map<String, long[]>> counted = new ConcurrentHashMap<>();

    RunMeters(MeterRegistry registry, StateStore store) {
        this.registry = registry;
        this.store = store;
        for (ConnectorState state : ConnectorState.values()) {
            Gauge.builder("connector.instances", store, s -> count(s, state))
                    .tag("state", state.name()).description("Instances in each state").register(registry);
        }
        Gauge.builder("connector.scheduler.queue", store, s -> count(s, ConnectorState.SCHEDULED))
                .description("Runs that are due and wait for a worker").register(registry);
    }

    private static long count(StateStore store, ConnectorState state) {
        return store.instances().stream().filter(i -> i.state() == state).count();
    }

    void progress(ConnectorRuntime.Progress p) {
        long[] seen = counted.computeIfAbsent(p.instance(), i -> new ConcurrentHashMap<>())
                .computeIfAbsent(p.stream(), s -> new long[2]);
        synchronized (seen) {
            count(p.instance(), p.stream(), p.records() - seen[0], p.pages() - seen[1]);
            seen[0] = p.records();
            seen[1] = p.pages();
        }
    }

    void transition(String instance, StateTransition t) {
        if (t.state() == ConnectorState.PROCESSING) {
            counted.remove(instance);
        }
        if ((t.state() != ConnectorState.PROCESSED && t.state() != ConnectorState.ERRORED) || t.runId().isEmpty()) {
            return;
        }
        Map<String, long[]> live = Optional.ofNullable(counted.remove(instance)).orElse(Map.of());
        store.runs(instance).stream().filter(r -> r.runId().equals(t.runId().get())).findFirst()
                .ifPresent(summary -> runEnded(summary, live));
    }

    private void runEnded(RunSummary summary, Map<String, long[]> live) {
        String instance = summary.instance();
        summary.streams().forEach((stream, st) -> {
            long[] seen = live.getOrDefault(stream, new long[2]);
            // what the live count missed (a run the scheduler started reports no page progress)
            count(instance, stream, st.read() - seen[0], st.pages() - seen[1]);
            counter("connector.records.written", "instance", instance, "stream", stream).increment(st.written());
            counter("connector.records.rejected", "instance", instance, "stream", stream).increment(st.rejected());
        });
        String tenant = tenant(instance);
        counter("connector.http.requests", "tenant", tenant).increment(summary.counter("http.requests"));
        counter("connector.http.retries", "tenant", tenant).increment(summary.counter("http.retries"));
        counter("connector.http.rate.limited", "tenant", tenant).increment(summary.counter("http.throttled"));
        counter("connector.runs", "instance", instance, "state", summary.state().name()).increment();
        Timer.builder("connector.run.duration").tags("instance", instance, "state", summary.state().name())
                .description("How long runs took").register(registry).record(summary.duration());
    }

    private void count(String instance, String stream, long records, long pages) {
        if (records > 0) {
            counter("connector.records.read", "instance", instance, "stream", stream).increment(records);
        }
        if (pages > 0) {
            counter("connector.pages", "instance", instance, "stream", stream).increment(pages);
        }
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(name).tags(tags).register(registry);
    }

    /** The host of the instance's base URL: the tenant whose rate budget its requests spend. */
    private String tenant(String instance) {
        return store.instance(instance).map(InstanceRecord::config).map(c -> c.get("baseUrl"))
                .map(String::valueOf).map(RunMeters::host).orElse("unknown");
    }

    private static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "unknown" : host;
        } catch (IllegalArgumentException e) {
            return "unknown";
        }
    }
}
