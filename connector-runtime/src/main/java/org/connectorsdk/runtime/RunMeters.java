package org.connectorsdk.runtime;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.internal.http.SettledRate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The runtime's figures as Micrometer meters in the registry given to
 * {@link ConnectorRuntimeBuilder#meterRegistry}, fed by its transitions and page progress: records
 * read, written and rejected, pages, HTTP requests, retries and 429s and the tenant's rate are
 * counted live after every page; what the pages did not report (a run that ended before its
 * first page) when the run ends, from its summary, with run durations and final states;
 * instances by state and the scheduler's queue are read at each scrape.
 *
 * <p>Names (Prometheus adds {@code _total} to counters): {@code connector.records.read},
 * {@code connector.records.written}, {@code connector.records.rejected}, {@code connector.pages}
 * (tags instance, stream); {@code connector.http.requests}, {@code connector.http.retries},
 * {@code connector.http.rate.limited} and the gauge {@code connector.http.rate} in requests per
 * second (tag tenant, the host of the instance's base URL); {@code connector.runs} and the timer
 * {@code connector.run.duration} (tags instance, state); the gauges {@code connector.instances}
 * (tag state) and {@code connector.scheduler.queue}.
 */
final class RunMeters {
    /** Stream figures in the order {@link #STREAM_METERS} names them. */
    private static final List<String> STREAM_METERS = List.of("connector.records.read", "connector.pages",
            "connector.records.written", "connector.records.rejected");
    /** The run counters counted per tenant, by the meter each feeds. */
    private static final Map<String, String> HTTP_METERS = new LinkedHashMap<>();

    static {
        HTTP_METERS.put("http.requests", "connector.http.requests");
        HTTP_METERS.put("http.retries", "connector.http.retries");
        HTTP_METERS.put("http.throttled", "connector.http.rate.limited");
    }

    private final MeterRegistry registry;
    private final StateStore store;
    /** Per instance, what its current run's pages already counted: per stream, and its run counters. */
    private final Map<String, Counted> counted = new ConcurrentHashMap<>();
    /** Per tenant, the rate in requests per second its latest run settled at. */
    private final Map<String, AtomicLong> ratePerMinute = new ConcurrentHashMap<>();

    /** What one run has counted so far. */
    private static final class Counted {
        final Map<String, long[]> streams = new ConcurrentHashMap<>();
        final Map<String, Long> counters = new ConcurrentHashMap<>();
        /** The tenant the run's requests go to, looked up once per run rather than on every page. */
        String tenant;
    }

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
        Counted run = counted.computeIfAbsent(p.instance(), i -> new Counted());
        synchronized (run) {
            countStream(p.instance(), p.stream(), run, new long[] {p.records(), p.pages(), p.written(), p.rejected()});
            countRun(p.instance(), run, p.counters());
        }
    }

    void transition(String instance, StateTransition t) {
        if (t.state() == ConnectorState.PROCESSING) {
            counted.remove(instance);
        }
        if ((t.state() != ConnectorState.PROCESSED && t.state() != ConnectorState.ERRORED) || t.runId().isEmpty()) {
            return;
        }
        Counted run = Optional.ofNullable(counted.remove(instance)).orElseGet(Counted::new);
        store.runs(instance).stream().filter(r -> r.runId().equals(t.runId().get())).findFirst()
                .ifPresent(summary -> runEnded(summary, run));
    }

    private void runEnded(RunSummary summary, Counted run) {
        String instance = summary.instance();
        synchronized (run) {
            summary.streams().forEach((stream, st) -> countStream(instance, stream, run,
                    new long[] {st.read(), st.pages(), st.written(), st.rejected()}));
            countRun(instance, run, summary.counters());
        }
        counter("connector.runs", "instance", instance, "state", summary.state().name()).increment();
        Timer.builder("connector.run.duration").tags("instance", instance, "state", summary.state().name())
                .description("How long runs took").register(registry).record(summary.duration());
    }

    /** Counts what {@code now} holds beyond what the run counted before for the stream. */
    private void countStream(String instance, String stream, Counted run, long[] now) {
        long[] seen = run.streams.computeIfAbsent(stream, s -> new long[STREAM_METERS.size()]);
        for (int i = 0; i < now.length; i++) {
            if (now[i] > seen[i]) {
                counter(STREAM_METERS.get(i), "instance", instance, "stream", stream).increment(now[i] - seen[i]);
                seen[i] = now[i];
            }
        }
    }

    /** Called with {@code run} locked. */
    private void countRun(String instance, Counted run, Map<String, Long> counters) {
        if (run.tenant == null) {
            run.tenant = tenant(instance);
        }
        String tenant = run.tenant;
        HTTP_METERS.forEach((name, meter) -> {
            long now = counters.getOrDefault(name, 0L);
            long seen = run.counters.getOrDefault(name, 0L);
            if (now > seen) {
                counter(meter, "tenant", tenant).increment(now - seen);
                run.counters.put(name, now);
            }
        });
        Long perMinute = counters.get(SettledRate.COUNTER);
        if (perMinute != null && perMinute > 0) {
            ratePerMinute.computeIfAbsent(tenant, t -> {
                AtomicLong rate = new AtomicLong();
                Gauge.builder("connector.http.rate", rate, r -> r.get() / 60.0).tag("tenant", t)
                        .description("The rate the tenant's latest run sent at, in requests per second")
                        .register(registry);
                return rate;
            }).set(perMinute);
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
