package org.connectorsdk.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.Metrics;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.Secret;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.api.TransformMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform team's front door: register connector instances (their connection checks must
 * pass first), run them, cancel them, and read their state and history.
 *
 * <pre>{@code
 * try (ConnectorRuntime runtime = ConnectorRuntime.builder()
 *         .sink(new JsonLinesSink(Path.of("out")))
 *         .stateStore(FileStateStore.open(Path.of("state")))
 *         .build()) {
 *     runtime.register(InstanceFiles.read(Path.of("tenant-eu.json")));
 *     RunSummary summary = runtime.runNow("tenant-eu");
 * }
 * }</pre>
 *
 * <p>Runs execute on a bounded pool of workers; one instance never has two runs at once. A run
 * ends {@code PROCESSED} with everything published, or {@code ERRORED} with nothing published.
 * A stream that supports incremental reads is read in full the first time and from its committed
 * watermark afterwards (see {@link Builder#deltaWindow}); watermarks advance only on commit.
 *
 * <p>{@link #start()} runs each instance on its {@link org.connectorsdk.api.host.ScheduleSpec} until
 * {@link #stop(Duration)}; a due instance waits in {@code SCHEDULED} while every worker is busy.
 *
 * <p>The state store never holds a secret value. The runtime keeps each instance's bound
 * configuration in memory; after a restart, instances whose secrets were given inline cannot
 * run until they are registered again ({@link #update}), while secrets given as {@code env:NAME}
 * or {@code file:PATH} references survive. Per-instance transform map overrides are stored with
 * the instance's config under the key {@value #OVERRIDES_KEY}, and poll interval overrides under
 * {@value #POLL_INTERVALS_KEY}.
 */
public final class ConnectorRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRuntime.class);

    /** How long {@link #close()} waits for cancelled runs to end. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

    private final ConnectorRegistry registry;
    private final RecordSink sink;
    private final StateStore store;
    private final Clock clock;
    private final HttpTransportFactory http;
    private final boolean ownsHttp;
    private final int workerCount;
    private final RunPolicy policy;
    private final ExecutorService workers;
    private final ExecutorService readers;
    /** Runs submitted and not yet ended: beyond the worker count, a run waits in SCHEDULED. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Scheduler scheduler;
    private final boolean schedulerTicker;
    private final BiConsumer<String, StateTransition> transitionListener;

    // guarded by this
    private final Map<String, Bound> bound = new HashMap<>();
    private final Map<String, String> unavailable = new HashMap<>();
    private final Map<String, SyncRun> active = new HashMap<>();
    /** Runs removed from {@code active} whose end the scheduler is still recording; guarded by this. */
    private int ending;
    private final Set<String> registering = new HashSet<>();

    /** Where an instance's transform map overrides are kept inside its stored config. */
    static final String OVERRIDES_KEY = "$transformMaps";
    /** Where an instance's poll interval overrides are kept inside its stored config. */
    static final String POLL_INTERVALS_KEY = "$pollIntervals";

    /** An instance's connector with its validated config and the maps it applies, ready to run. */
    private record Bound(Connector connector, ConnectorConfig config, List<TransformMap> maps,
            Map<String, Object> overrides, Map<String, Duration> pollIntervals) {
        Bound withPollIntervals(Map<String, Duration> intervals) {
            return new Bound(connector, config, maps, overrides, Map.copyOf(intervals));
        }
    }

    private ConnectorRuntime(Builder b) {
        this.registry = b.registry != null ? b.registry : ConnectorRegistry.fromClassPath();
        this.sink = requireNonNull(b.sink, "a RecordSink is required (builder().sink(...))");
        this.store = requireNonNull(b.store, "a StateStore is required (builder().stateStore(...))");
        this.clock = b.clock;
        this.ownsHttp = b.http == null;
        this.http = ownsHttp ? new HttpTransportFactory(clock) : b.http;
        if (b.trustedCertificates != null) {
            http.alsoTrust(b.trustedCertificates);
        }
        this.workerCount = b.workers;
        this.policy = new RunPolicy(b.maxPagesPerStream, b.overlap, b.settle);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "connector-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(workerCount, threads);
        AtomicInteger r = new AtomicInteger();
        // one read ahead per running run at most: as many threads as workers
        this.readers = Executors.newFixedThreadPool(workerCount, task -> {
            Thread t = new Thread(task, "connector-reader-" + r.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.scheduler = new Scheduler(store, clock, b.jitter, this::pollIntervals,
                (name, streams) -> submit(name, streams, p -> { }));
        this.schedulerTicker = b.schedulerTicker;
        this.transitionListener = b.transitionListener;
        restore();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Validates {@code definition}, runs the connector's connection checks and saves the instance
     * in state {@code REGISTERED} only when every check passed.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} for an invalid or
     *                            duplicate instance, or of the failing check's kind naming it
     */
    public InstanceRecord register(InstanceDefinition definition) {
        return register(definition, Map.of());
    }

    /**
     * Registers {@code definition} with per-instance transform map overrides, as an instance
     * file's {@code "transformMaps"} object gives them ({@link InstanceFiles.Content#transformMaps()}).
     */
    public InstanceRecord register(InstanceDefinition definition, Map<String, ?> transformMaps) {
        return save(definition, transformMaps, false);
    }

    /**
     * Replaces a registered instance's definition (e.g. to rotate its API key). The new config
     * must pass every connection check; when it does not, the old one stays in force.
     */
    public InstanceRecord update(InstanceDefinition definition) {
        return update(definition, Map.of());
    }

    /** Updates an instance with new transform map overrides too; see {@link #update(InstanceDefinition)}. */
    public InstanceRecord update(InstanceDefinition definition, Map<String, ?> transformMaps) {
        return save(definition, transformMaps, true);
    }

    /** Registers {@code definition}, or updates it when an instance of that name exists. */
    public InstanceRecord registerOrUpdate(InstanceDefinition definition, Map<String, ?> transformMaps) {
        return save(definition, transformMaps, store.instance(definition.name()).isPresent());
    }

    /**
     * Runs the connection checks of {@code definition} without saving anything.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when the definition is invalid
     */
    public CheckReport test(InstanceDefinition definition) {
        Bound b = bind(definition, Map.of());
        return check(definition.name(), b);
    }

    /** Removes an instance with its history. A running instance must be cancelled first. */
    public void remove(String name) {
        synchronized (this) {
            requireKnown(name);
            if (active.containsKey(name)) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, "Instance '" + name + "' cannot be removed "
                        + "while run " + active.get(name).runId() + " is in progress", "Cancel the run, wait for it "
                                + "to end, then remove the instance");
            }
            store.removeInstance(name);
            bound.remove(name);
            unavailable.remove(name);
        }
        scheduler.forget(name);
        LOG.info("{}: removed", name);
    }

    /** Runs the instance now and waits for the run to end; see {@link #runNow(String, Consumer)}. */
    public RunSummary runNow(String name) {
        return runNow(name, p -> { });
    }

    /**
     * Runs the instance now on a worker and waits for the run to end. A failed run is not an
     * exception: it returns an {@code ERRORED} summary with the error.
     *
     * @param progress told after every page, on the worker's thread
     * @throws ConnectorException of kind {@link ErrorKind#TRANSIENT} when the instance already
     *                            has a run in progress, or {@link ErrorKind#CONFIGURATION} when
     *                            it is unknown or cannot run
     */
    public RunSummary runNow(String name, Consumer<Progress> progress) {
        CompletableFuture<RunSummary> run = submit(name, progress);
        try {
            return run.get();
        } catch (InterruptedException e) {
            cancel(name);
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorKind.CANCELLED, "Interrupted while waiting for the run of '" + name
                    + "'; the run was cancelled", null, e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** Starts a run of every selected stream on a worker; the future completes with its summary. */
    CompletableFuture<RunSummary> submit(String name, Consumer<Progress> progress) {
        return submit(name, Set.of(), progress);
    }

    /**
     * Starts a run on a worker that reads only {@code streams} of the selected streams (all of
     * them when empty); the future completes with its summary.
     */
    CompletableFuture<RunSummary> submit(String name, Set<String> streams, Consumer<Progress> progress) {
        requireNonNull(progress, "progress is null");
        requireNonNull(streams, "streams is null");
        SyncRun run;
        synchronized (this) {
            requireKnown(name);
            SyncRun running = active.get(name);
            if (running != null) {
                throw new ConnectorException(ErrorKind.TRANSIENT, "Instance '" + name + "' already has a run in "
                        + "progress (run " + running.runId() + ", started " + running.createdAt()
                        + "); a second run never overlaps it", "Wait for the running sync to end, or cancel it");
            }
            Bound b = bound.get(name);
            if (b == null) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, "Instance '" + name + "' cannot run: "
                        + unavailable.get(name), "Register the instance again with its full config (update)");
            }
            run = new SyncRun(name, b.connector(), b.config(), b.maps(), sink, store, clock, http, policy,
                    this::recordTransition, progress, readers, streams);
            active.put(name, run);
        }
        if (inFlight.getAndIncrement() >= workerCount) {
            recordTransition(name, ConnectorState.SCHEDULED, run.runId(), "waiting for processing resources");
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                RunSummary summary = null;
                try {
                    summary = run.execute();
                    return summary;
                } finally {
                    inFlight.decrementAndGet();
                    synchronized (this) {
                        active.remove(name, run);
                        ending++;
                    }
                    // stop() must not return before the scheduler has saved what this run
                    // settled (the next due time), so the run counts as ending until then
                    try {
                        scheduler.runEnded(name, summary);
                    } finally {
                        synchronized (this) {
                            ending--;
                            notifyAll();
                        }
                    }
                }
            }, workers);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            synchronized (this) {
                active.remove(name, run);
            }
            throw new ConnectorException(ErrorKind.INTERNAL, "The runtime is shut down; instance '" + name
                    + "' cannot run", "Build a new runtime", e);
        }
    }

    /**
     * Cancels the instance's run in progress: it stops within one request timeout, publishes
     * nothing and ends {@code ERRORED} with kind {@code CANCELLED}.
     *
     * @return whether a run was in progress
     */
    public synchronized boolean cancel(String name) {
        SyncRun run = active.get(name);
        if (run == null) {
            return false;
        }
        LOG.info("{}: cancelling run {}", name, run.runId());
        run.cancel();
        return true;
    }

    // --- scheduling: the machinery is in Scheduler -----------------------------------------

    /**
     * Runs every registered instance that has a schedule on it, until {@link #stop}: each at its
     * occurrences in its time zone, never two runs of one instance at once (occurrences due
     * while it runs are coalesced into one run after it), and an instance whose run was missed
     * while the runtime was down runs once. Instances registered later are scheduled as they
     * come. Starting a started runtime does nothing.
     */
    public void start() {
        scheduler.start(schedulerTicker);
    }

    /** Stops the schedule and the runs in progress with a grace of 30 seconds; see {@link #stop(Duration)}. */
    public boolean stop() {
        return stop(CLOSE_GRACE);
    }

    /**
     * Stops cleanly: no new run starts (runs waiting for a worker are cancelled before they
     * start), runs in progress get {@code grace} to finish and are then cancelled, which aborts
     * their sinks and ends them {@code ERRORED} with kind {@code CANCELLED}. A scheduled run
     * cancelled this way stays owed and runs after the next {@link #start}. The runtime stays
     * usable ({@link #runNow}, {@link #start} again) until {@link #close}.
     *
     * @return whether every run ended; false when some still ran 30 seconds after being cancelled
     */
    public boolean stop(Duration grace) {
        requireNonNull(grace, "grace is null");
        scheduler.stop();
        synchronized (this) {
            active.values().stream().filter(r -> !r.started()).forEach(SyncRun::cancel);
        }
        if (awaitNoRuns(grace)) {
            return true;
        }
        synchronized (this) {
            LOG.info("Cancelling {} run{} still in progress after the grace of {}", active.size(),
                    active.size() == 1 ? "" : "s", grace);
            active.values().forEach(SyncRun::cancel);
        }
        if (awaitNoRuns(CLOSE_GRACE)) {
            return true;
        }
        LOG.warn("Runs still in progress {} after they were cancelled: {}", CLOSE_GRACE, activeRunIds());
        return false;
    }

    private synchronized boolean awaitNoRuns(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!active.isEmpty() || ending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return active.isEmpty() && ending == 0;
        }
    }

    private synchronized List<String> activeRunIds() {
        return active.values().stream().map(r -> r.instance() + "/" + r.runId()).sorted().toList();
    }

    /**
     * The instance's selected streams and each one's poll interval: the instance's override, else
     * the stream's default; none
     * when the instance cannot run (then the scheduler runs it as a whole).
     */
    private synchronized Map<String, Optional<Duration>> pollIntervals(String name) {
        Bound b = bound.get(name);
        if (b == null) {
            return Map.of();
        }
        Map<String, Optional<Duration>> out = new LinkedHashMap<>();
        b.connector().selectedStreams(b.config()).forEach(s -> out.put(s.name(),
                Optional.ofNullable(b.pollIntervals().get(s.name())).or(s::defaultPollInterval)));
        return out;
    }

    /** The stored poll interval overrides, as {@link #POLL_INTERVALS_KEY} keeps them. */
    private static Map<String, Duration> durations(Object stored) {
        Map<String, Duration> out = new LinkedHashMap<>();
        if (stored instanceof Map<?, ?> m) {
            m.forEach((stream, d) -> out.put(String.valueOf(stream), Duration.parse(String.valueOf(d))));
        }
        return out;
    }

    /** The scheduler itself, for tests that step it on a hand-moved clock. */
    Scheduler scheduler() {
        return scheduler;
    }

    // ---------------------------------------------------------------------------------------

    /** Every instance, by name: its state, last run and next run. */
    public List<InstanceStatus> status() {
        return status(store, scheduler, name -> {
            synchronized (this) {
                return Optional.ofNullable(unavailable.get(name));
            }
        });
    }

    /**
     * Every instance in {@code store} as {@link #status()} lists it, read without changing
     * anything: an operator's view of a state directory that another process may be running.
     * The next run is the one that process saved (or, for an instance it never planned, its
     * first occurrence without jitter); {@code problem} is always empty, since only a runtime
     * that binds the configs knows it.
     */
    public static List<InstanceStatus> readStatus(StateStore store) {
        requireNonNull(store, "store is null");
        // without the connectors it reads the saved plan: the earliest due stream's time
        Scheduler reader = new Scheduler(store, Clock.systemUTC(), Duration.ZERO, name -> Map.of(), (name, streams) -> {
            throw new IllegalStateException("a status reader starts no run");
        });
        return status(store, reader, name -> Optional.empty());
    }

    private static List<InstanceStatus> status(StateStore store, Scheduler scheduler,
            java.util.function.Function<String, Optional<String>> problems) {
        List<InstanceStatus> out = new ArrayList<>();
        for (InstanceRecord r : store.instances()) {
            List<RunSummary> runs = store.runs(r.name());
            out.add(new InstanceStatus(r.name(), r.connectorId(), r.description(), r.state(),
                    runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1)),
                    problems.apply(r.name()), scheduler.nextRun(r.name())));
        }
        return out;
    }

    /** The instance's transitions and runs, oldest first. */
    public History history(String name) {
        requireKnown(name);
        return new History(store.transitions(name), store.runs(name));
    }

    /**
     * Cancels the runs in progress, waits up to 30 seconds for them to end (their sinks
     * aborted), and stops the workers.
     */
    @Override
    public void close() {
        scheduler.stop();
        synchronized (this) {
            active.values().forEach(SyncRun::cancel);
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Runs still in progress after {}; abandoning them", CLOSE_GRACE);
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        readers.shutdownNow();
        if (ownsHttp) {
            http.close();
        }
    }

    // ---------------------------------------------------------------------------------------

    private InstanceRecord save(InstanceDefinition definition, Map<String, ?> transformMaps, boolean replace) {
        requireNonNull(definition, "definition is null");
        requireNonNull(transformMaps, "transformMaps is null");
        String name = InstanceNames.check(definition.name());
        synchronized (this) {
            boolean exists = store.instance(name).isPresent();
            if (!replace && exists) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, "An instance named '" + name
                        + "' is already registered", "Choose another name, or update the existing instance");
            }
            if (replace && !exists) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, "No instance named '" + name
                        + "' is registered, so it cannot be updated", "Register it first");
            }
            if (!registering.add(name)) {
                throw new ConnectorException(ErrorKind.TRANSIENT, "Instance '" + name + "' is being registered "
                        + "or updated by another request", "Try again when that request has finished");
            }
        }
        InstanceRecord saved;
        try {
            Bound b = bind(definition, transformMaps);
            CheckReport report = check(name, b);
            CheckResult failed = report.firstFailure().orElse(null);
            if (failed != null || !report.allPassed()) {
                throw refused(name, replace, report, failed);
            }
            synchronized (this) {
                Optional<InstanceRecord> old = store.instance(name);
                Map<String, Object> stored = new LinkedHashMap<>(b.config().storableValues());
                if (!b.overrides().isEmpty()) {
                    stored.put(OVERRIDES_KEY, b.overrides());
                }
                if (!b.pollIntervals().isEmpty()) {
                    Map<String, Object> intervals = new LinkedHashMap<>();
                    definition.pollIntervals().forEach((stream, d) -> intervals.put(stream, d.toString()));
                    stored.put(POLL_INTERVALS_KEY, intervals);
                }
                InstanceRecord record = new InstanceRecord(name, definition.connectorId(), definition.description(),
                        stored, definition.schedule(),
                        old.map(InstanceRecord::state).orElse(ConnectorState.REGISTERED),
                        old.map(InstanceRecord::registeredAt).orElse(clock.instant()));
                store.saveInstance(record);
                bound.put(name, b);
                unavailable.remove(name);
                if (old.isEmpty()) {
                    StateTransition registered = new StateTransition(ConnectorState.REGISTERED, clock.instant(),
                            Optional.empty(), "registered; all " + report.results().size()
                                    + " connection checks passed");
                    store.appendTransition(name, registered);
                    notifyListener(name, registered);
                    LOG.info("{}: registered ({})", name, definition.connectorId());
                } else {
                    LOG.info("{}: config updated; all connection checks passed", name);
                }
                saved = record;
            }
        } finally {
            synchronized (this) {
                registering.remove(name);
            }
        }
        scheduler.refresh(name);
        return saved;
    }

    private Bound bind(InstanceDefinition definition, Map<String, ?> transformMaps) {
        String name = InstanceNames.check(definition.name());
        if (definition.description().length() > InstanceNames.MAX_DESCRIPTION) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "The description of instance '" + name + "' is "
                    + definition.description().length() + " characters long; at most "
                    + InstanceNames.MAX_DESCRIPTION + " are allowed", "Shorten the description");
        }
        Connector connector = registry.get(definition.connectorId());
        Map<String, Object> raw = new LinkedHashMap<>(definition.configWithIdentity());
        // name and description are setup fields of most connectors; one that does not declare
        // them still gets them checked above, not rejected as unknown fields
        for (String identity : List.of("name", "description")) {
            if (connector.configSpec().field(identity).isEmpty() && !definition.config().containsKey(identity)) {
                raw.remove(identity);
            }
        }
        ConnectorConfig config = connector.configSpec().bind(raw);
        for (String stream : definition.pollIntervals().keySet()) {
            if (connector.streams().stream().noneMatch(s -> s.name().equals(stream))) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, "Instance '" + name + "' sets a poll interval for "
                        + "stream '" + stream + "', which connector '" + definition.connectorId() + "' does not have",
                        "Use one of its streams: " + connector.streams().stream().map(s -> s.name()).toList());
            }
        }
        return bound(connector, config, transformMaps).withPollIntervals(definition.pollIntervals());
    }

    /** The maps active under {@code config} with the instance's overrides applied (each override checked). */
    private static Bound bound(Connector connector, ConnectorConfig config, Map<String, ?> overrides) {
        Map<String, Object> copy = new LinkedHashMap<>(overrides);
        List<TransformMap> maps = TransformMapJson.activeMaps(connector, config, copy);
        // a map that cannot compile fails the registration, not every run
        maps.forEach(TransformEngine::compile);
        return new Bound(connector, config, List.copyOf(maps), copy, Map.of());
    }

    private CheckReport check(String name, Bound b) {
        var context = new DefaultConnectorContext(name, secretValues(b.config()), http, clock, new Cancellation(),
                Metrics.NONE);
        return new ConnectionTester().run(b.connector(), b.config(), context);
    }

    private static ConnectorException refused(String name, boolean replace, CheckReport report, CheckResult failed) {
        String verb = replace ? "updated (the previous config stays in force)" : "registered";
        if (failed == null) {
            return new ConnectorException(ErrorKind.INTERNAL, "Instance '" + name + "' was not " + verb
                    + ": the connector declares no connection checks", "Report this to the connector's maintainers");
        }
        return new ConnectorException(kindOf(failed.kind()), "Instance '" + name + "' was not " + verb + ": the "
                + failed.kind() + " check (" + failed.kind().title() + ") failed: " + failed.message(),
                failed.remediation().orElse("Correct the config and try again"));
    }

    private static ErrorKind kindOf(CheckKind kind) {
        return switch (kind) {
            case NETWORK_REACHABILITY -> ErrorKind.UNREACHABLE;
            case TLS_HANDSHAKE -> ErrorKind.TLS;
            case AUTHENTICATION -> ErrorKind.AUTHENTICATION;
            case AUTHORIZATION_SCOPE -> ErrorKind.AUTHORIZATION;
            case DATA_FETCH -> ErrorKind.BAD_RESPONSE;
        };
    }

    /** The secret values of {@code config}, for the transport to redact; unresolvable ones are skipped. */
    static List<String> secretValues(ConnectorConfig config) {
        List<String> out = new ArrayList<>();
        for (Object v : config.values().values()) {
            if (v instanceof Secret s) {
                try {
                    out.add(s.reveal());
                } catch (ConnectorException e) {
                    // the connector reports the missing variable or file when it needs the value
                }
            }
        }
        return out;
    }

    private void requireKnown(String name) {
        if (store.instance(InstanceNames.check(name)).isEmpty()) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "No instance named '" + name + "' is registered",
                    "Register it first, or pick one of: " + store.instances().stream().map(InstanceRecord::name)
                            .toList());
        }
    }

    /** Records a transition and the instance's new state together. */
    synchronized void recordTransition(String name, ConnectorState state, String runId, String detail) {
        StateTransition t = new StateTransition(state, clock.instant(), Optional.ofNullable(runId), detail);
        store.appendTransition(name, t);
        store.instance(name).ifPresent(r -> store.saveInstance(r.withState(state)));
        notifyListener(name, t);
    }

    private void notifyListener(String name, StateTransition t) {
        try {
            transitionListener.accept(name, t);
        } catch (RuntimeException e) {
            LOG.warn("{}: the transition listener failed: {}", name, e.toString());
        }
    }

    /** Loads the stored instances and binds those whose config is complete. */
    private synchronized void restore() {
        for (InstanceRecord r : store.instances()) {
            if (r.state() == ConnectorState.PROCESSING || r.state() == ConnectorState.SCHEDULED) {
                // the process stopped mid-run: that run published nothing, say so in the history
                recordTransition(r.name(), ConnectorState.ERRORED, null,
                        "the runtime stopped while the instance was " + r.state() + "; that run published nothing");
            }
            Optional<Connector> connector = registry.find(r.connectorId());
            if (connector.isEmpty()) {
                unavailable.put(r.name(), "its connector '" + r.connectorId() + "' is not installed");
                continue;
            }
            Map<String, Object> stored = new LinkedHashMap<>(r.config());
            Object overrides = stored.remove(OVERRIDES_KEY);
            Object intervals = stored.remove(POLL_INTERVALS_KEY);
            try {
                ConnectorConfig config = connector.get().configSpec().bind(stored);
                bound.put(r.name(), bound(connector.get(), config,
                        overrides instanceof Map<?, ?> m ? stringKeys(m) : Map.of())
                        .withPollIntervals(durations(intervals)));
            } catch (ConnectorException e) {
                List<String> secrets = connector.get().configSpec().secretFieldNames().stream()
                        .filter(f -> !r.config().containsKey(f)).toList();
                unavailable.put(r.name(), secrets.isEmpty() ? "its stored config is invalid: " + e.getMessage()
                        : "its secret " + String.join(", ", secrets) + " was given inline and is never stored");
                LOG.warn("{}: restored but cannot run until registered again: {}", r.name(), unavailable.get(r.name()));
            }
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static ConnectorException unwrap(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof ConnectorException e) {
            return e;
        }
        return new ConnectorException(ErrorKind.INTERNAL, "A run failed unexpectedly: " + cause,
                "This is a defect; report it with the log", cause);
    }

    /**
     * Progress of a run, told after every page.
     *
     * @param instance   the instance
     * @param stream     the stream being read
     * @param pages      pages of this stream so far
     * @param records    records of this stream so far
     * @param totalCount the source's own count of the stream's records, when it gives one
     */
    public record Progress(String instance, String stream, long pages, long records, OptionalLong totalCount) {
    }

    /**
     * One instance as an operator's list shows it.
     *
     * @param name        the instance
     * @param connectorId its connector
     * @param description its description
     * @param state       its current state
     * @param lastRun     its most recent run, if any
     * @param problem     why it cannot run now, if it cannot (e.g. an inline secret lost in a restart)
     * @param nextRun     when its next scheduled run is due; empty without a schedule or when no
     *                    occurrence is left. A time in the past means the run is owed and starts
     *                    as soon as the scheduler runs (and, if the instance is running, after that run)
     */
    public record InstanceStatus(String name, String connectorId, String description, ConnectorState state,
            Optional<RunSummary> lastRun, Optional<String> problem, Optional<Instant> nextRun) {
        public InstanceStatus {
            requireNonNull(name, "name is null");
            requireNonNull(state, "state is null");
            requireNonNull(lastRun, "lastRun is null");
            requireNonNull(problem, "problem is null");
            requireNonNull(nextRun, "nextRun is null");
        }
    }

    /**
     * An instance's history.
     *
     * @param transitions every state change, oldest first
     * @param runs        every run summary, oldest first
     */
    public record History(List<StateTransition> transitions, List<RunSummary> runs) {
        public History {
            transitions = List.copyOf(transitions);
            runs = List.copyOf(runs);
        }
    }

    /** Builds a {@link ConnectorRuntime}; a sink and a state store are required. */
    public static final class Builder {
        private ConnectorRegistry registry;
        private RecordSink sink;
        private StateStore store;
        private int workers = 4;
        private Clock clock = Clock.systemUTC();
        private HttpTransportFactory http;
        private String trustedCertificates;
        private int maxPagesPerStream = RunPolicy.DEFAULT.maxPagesPerStream();
        private Duration overlap = RunPolicy.DEFAULT.overlap();
        private Duration settle = RunPolicy.DEFAULT.settle();
        private Duration jitter = Duration.ZERO;
        private boolean schedulerTicker = true;
        private BiConsumer<String, StateTransition> transitionListener = (name, t) -> { };

        private Builder() {
        }

        /**
         * Delays each recurring run by up to {@code max} (none by default), so many instances on
         * the same schedule do not all call their vendors in the same second. The delay is fixed
         * per instance name and occurrence, the same in every process, and at most half the
         * recurrence period (11 hours for daily and longer recurrences). Single occurrences are
         * never delayed.
         */
        public Builder scheduleJitter(Duration max) {
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
        public Builder onTransition(BiConsumer<String, StateTransition> listener) {
            this.transitionListener = requireNonNull(listener, "listener is null");
            return this;
        }

        /** Without a ticker thread, {@link #start()} plans but only {@link Scheduler#runDue} starts runs; for tests. */
        Builder manualScheduling() {
            this.schedulerTicker = false;
            return this;
        }

        /** Where connectors are found; the class path by default. */
        public Builder registry(ConnectorRegistry registry) {
            this.registry = requireNonNull(registry, "registry is null");
            return this;
        }

        /** Where records go. */
        public Builder sink(RecordSink sink) {
            this.sink = requireNonNull(sink, "sink is null");
            return this;
        }

        /** Where instances, history and checkpoints live. */
        public Builder stateStore(StateStore store) {
            this.store = requireNonNull(store, "store is null");
            return this;
        }

        /** How many runs may execute at once; 4 by default. */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + count);
            }
            this.workers = count;
            return this;
        }

        /** The clock for timestamps, run ids and the transport; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /** The most pages one stream partition may take before the run fails; 100,000 by default. */
        public Builder maxPagesPerStream(int pages) {
            if (pages < 1) {
                throw new IllegalArgumentException("maxPagesPerStream must be at least 1, got " + pages);
            }
            this.maxPagesPerStream = pages;
            return this;
        }

        /**
         * The frame of delta reads: a stream that reads incrementally starts again
         * {@code overlap} before its watermark (5 minutes by default) and stops {@code settle}
         * before now (1 minute by default); records delivered twice across the overlap are
         * skipped by primary key and cursor value.
         */
        public Builder deltaWindow(Duration overlap, Duration settle) {
            if (overlap.isNegative() || settle.isNegative()) {
                throw new IllegalArgumentException("overlap and settle must not be negative");
            }
            this.overlap = overlap;
            this.settle = settle;
            return this;
        }

        /**
         * CA certificates (PEM) that every transport of this runtime trusts besides the JDK's and
         * the instance's own {@code caCertificate}: a private CA all instances share, or a test
         * server's CA (the testkit's fixture server). Certificates and host names are still verified.
         */
        public Builder trustedCertificates(String pem) {
            this.trustedCertificates = requireNonNull(pem, "pem is null");
            return this;
        }

        Builder httpTransportFactory(HttpTransportFactory factory) {
            this.http = requireNonNull(factory, "factory is null");
            return this;
        }

        public ConnectorRuntime build() {
            return new ConnectorRuntime(this);
        }
    }

    @Override
    public String toString() {
        return "ConnectorRuntime[workers=" + workerCount + ", sink=" + sink + ", store=" + store + "]";
    }
}
