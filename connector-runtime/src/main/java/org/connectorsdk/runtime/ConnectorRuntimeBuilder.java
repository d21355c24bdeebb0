package org.connectorsdk.runtime;

import static java.util.Objects.requireNonNull;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import io.micrometer.core.instrument.MeterRegistry;
import org.connectorsdk.api.DeltaWindow;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.internal.http.HttpTransportFactory;
import org.connectorsdk.runtime.internal.schedule.Scheduler;
import org.connectorsdk.runtime.internal.sync.RunPolicy;
import org.connectorsdk.runtime.time.Sleeper;

/**
 * Builds a {@link ConnectorRuntime}. A runtime that registers and runs instances needs a sink
 * and a state store; without them it only tests connections.
 */
public final class ConnectorRuntimeBuilder {
    ConnectorRegistry registry;
    RecordSink sink;
    StateStore store;
    int workers = 4;
    Clock clock = Clock.systemUTC();
    Sleeper sleeper = Sleeper.SYSTEM;
    HttpTransportFactory http;
    String trustedCertificates;
    RunPolicy policy = RunPolicy.DEFAULT;
    Duration jitter = Duration.ZERO;
    boolean schedulerTicker = true;
    BiConsumer<String, StateTransition> transitionListener = (name, t) -> { };
    int httpThreads = HttpTransportFactory.DEFAULT_THREADS;
    final Map<URI, Double> tenantBudgets = new LinkedHashMap<>();
    Consumer<ConnectorRuntime.Progress> progressListener = p -> { };
    MeterRegistry meterRegistry;

    ConnectorRuntimeBuilder() {
    }

    /**
     * Delays each recurring run by up to {@code max} (none by default), so many instances on
     * the same schedule do not all call their vendors in the same second. The delay is fixed
     * per instance name and occurrence, the same in every process, and at most half the
     * recurrence period (11 hours for daily and longer recurrences). Single occurrences are
     * never delayed.
     */
    public ConnectorRuntimeBuilder scheduleJitter(Duration max) {
        requireNonNull(max, "max is null");
        if (max.isNegative()) {
            throw new IllegalArgumentException("scheduleJitter must not be negative, got " + max);
        }
        this.jitter = max;
        return this;
    }

    /**
     * Told of every state transition of every instance as it is recorded (on the thread that
     * records it: keep it quick, and do not call back into the runtime).
     */
    public ConnectorRuntimeBuilder onTransition(BiConsumer<String, StateTransition> listener) {
        this.transitionListener = requireNonNull(listener, "listener is null");
        return this;
    }

    /**
     * Told after every page of every run, scheduled or started with {@link #runNow}, on the
     * worker's thread: live figures for a dashboard or metrics. Keep it quick, and do not call
     * back into the runtime. A listener that throws is logged and ignored.
     */
    public ConnectorRuntimeBuilder onProgress(Consumer<ConnectorRuntime.Progress> listener) {
        this.progressListener = requireNonNull(listener, "listener is null");
        return this;
    }

    /**
     * Where the runtime's meters go (none by default): records read, written and rejected and
     * pages per instance and stream, HTTP requests, retries and 429s and the rate per tenant,
     * counted after every page; run durations and runs by final state; instances by state and
     * the scheduler's queue. The names are in the README's "Run the server" section.
     */
    public ConnectorRuntimeBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = requireNonNull(registry, "registry is null");
        return this;
    }

    /** Without a ticker thread, {@link #start()} plans but only {@link Scheduler#runDue} starts runs; for tests. */
    ConnectorRuntimeBuilder manualScheduling() {
        this.schedulerTicker = false;
        return this;
    }

    /** Where connectors are found; the class path by default. */
    public ConnectorRuntimeBuilder registry(ConnectorRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
        return this;
    }

    /** Where records go; required to register and run instances. */
    public ConnectorRuntimeBuilder sink(RecordSink sink) {
        this.sink = requireNonNull(sink, "sink is null");
        return this;
    }

    /** Where instances, history and checkpoints live; required to register and run instances. */
    public ConnectorRuntimeBuilder stateStore(StateStore store) {
        this.store = requireNonNull(store, "store is null");
        return this;
    }

    /** How many runs may execute at once; 4 by default. */
    public ConnectorRuntimeBuilder workers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + count);
        }
        this.workers = count;
        return this;
    }

    /** The clock for timestamps, run ids and the transport; the system UTC clock by default. */
    public ConnectorRuntimeBuilder clock(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        return this;
    }

    /**
     * How the runtime waits: retry backoff, {@code Retry-After} and the rate limit's spacing;
     * real sleeping by default. A test gives a fake one that advances its {@link #clock}
     * instead (the testkit's {@code MutableClock} is both), so backoff costs no wall time.
     */
    public ConnectorRuntimeBuilder sleeper(Sleeper sleeper) {
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        return this;
    }

    /**
     * The most pages one stream may take before the run ends {@code ERRORED} naming this bound;
     * 100,000 by default (10 million records in pages of 100). A source whose reported total
     * cannot be read within it fails at once rather than after hours.
     */
    public ConnectorRuntimeBuilder maxPagesPerStream(int pages) {
        this.policy = policy.withMaxPagesPerStream(pages);
        return this;
    }

    /**
     * The longest one stream may keep reading, by the runtime's {@link #clock}, before the run ends
     * {@code ERRORED} naming this bound; 12 hours by default. An instance's {@code runDeadline}
     * bounds the whole run.
     */
    public ConnectorRuntimeBuilder maxStreamDuration(Duration duration) {
        this.policy = policy.withMaxStreamDuration(requireNonNull(duration, "duration is null"));
        return this;
    }

    /**
     * The frame of every delta read, overriding what the streams declare (by default each
     * stream's {@code StreamSpec.deltaWindow}, 5 minutes of overlap and 1 of settle unless its
     * plugin says otherwise); an instance's own {@code deltaWindow} still wins. A stream that
     * reads incrementally starts again {@code overlap} before its watermark and stops
     * {@code settle} before now; records delivered before inside the overlap are skipped by
     * primary key and cursor value.
     */
    public ConnectorRuntimeBuilder deltaWindow(Duration overlap, Duration settle) {
        this.policy = policy.withDeltaWindow(Optional.of(new DeltaWindow(overlap, settle)));
        return this;
    }

    /**
     * How long after it started a run that died part-way may still be resumed by the instance's
     * next run, when the sink keeps unpublished runs ({@code RecordSink.resumable}); 24 hours by
     * default, zero never to resume. An older one is discarded and the run starts over: its
     * windows would be that old too.
     */
    public ConnectorRuntimeBuilder resumeWithin(Duration age) {
        this.policy = policy.withResumeWithin(requireNonNull(age, "age is null"));
        return this;
    }

    /**
     * How many threads the HTTP executor may run ({@value HttpTransportFactory#DEFAULT_THREADS}
     * by default). They only complete exchanges that callers wait for on their own threads,
     * so a few serve any number of instances.
     */
    public ConnectorRuntimeBuilder httpThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("httpThreads must be at least 1, got " + count);
        }
        this.httpThreads = count;
        return this;
    }

    /**
     * The request budget of the tenant at {@code baseUrl} (its scheme, host and port), in
     * place of the lowest {@code maxRequestsPerSecond} its instances configure. Every
     * instance, stream, check and retry sending to that tenant shares it.
     */
    public ConnectorRuntimeBuilder tenantBudget(String baseUrl, double requestsPerSecond) {
        requireNonNull(baseUrl, "baseUrl is null");
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("The budget of tenant " + baseUrl
                    + " must be a positive number of requests per second, got " + requestsPerSecond);
        }
        URI uri = URI.create(baseUrl);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("The tenant budget's base URL must be absolute with a host,"
                    + " e.g. https://api-tenant.example.com, got " + baseUrl);
        }
        tenantBudgets.put(uri, requestsPerSecond);
        return this;
    }

    /**
     * CA certificates (PEM) that every transport of this runtime trusts besides the JDK's and
     * the instance's own {@code caCertificate}: a private CA all instances share, or a test
     * server's CA (the testkit's fixture server). Certificates and host names are still verified.
     */
    public ConnectorRuntimeBuilder trustedCertificates(String pem) {
        this.trustedCertificates = requireNonNull(pem, "pem is null");
        return this;
    }

    ConnectorRuntimeBuilder httpTransportFactory(HttpTransportFactory factory) {
        this.http = requireNonNull(factory, "factory is null");
        return this;
    }

    public ConnectorRuntime build() {
        return new ConnectorRuntime(this);
    }
}
