package org.connectorsdk.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.internal.http.HttpTransportFactory;
import org.connectorsdk.runtime.internal.schedule.Scheduler;
import org.connectorsdk.runtime.internal.sync.StreamResets;
import org.connectorsdk.runtime.internal.sync.SyncRun;
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
 * watermark afterwards (see {@link ConnectorRuntimeBuilder#deltaWindow}); watermarks advance only on commit.
 *
 * <p>{@link #start()} runs each instance on its {@link org.connectorsdk.api.host.ScheduleSpec} until
 * {@link #stop(Duration)}; a due instance waits in {@code SCHEDULED} while every worker is busy.
 *
 * <p>The state store never holds a secret value. The runtime keeps each instance's bound
 * configuration in memory; after a restart, instances whose secrets were given inline cannot
 * run until they are registered again ({@link #update}), while secrets given as {@code env:NAME}
 * or {@code file:PATH} references survive. Per-instance transform map overrides are stored with
 * the instance's config under the key {@code "$transformMaps"}, and poll interval overrides under
 * {@code "$pollIntervals"}.
 *
 * <p>A runtime built without a state store and a sink only tests connections ({@link #test});
 * everything that saves or runs an instance tells which of the two it lacks.
 */
public final class ConnectorRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRuntime.class);

    /** How long {@link #close()} waits for cancelled runs to end. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

    private final RecordSink sink;
    private final StateStore store;
    private final HttpTransportFactory http;
    private final boolean ownsHttp;
    private final int workerCount;
    private final InstanceBindings bindings;
    private final RunDispatcher dispatcher;
    private final Scheduler scheduler;
    private final boolean schedulerTicker;
    private final Consumer<Progress> progressListener;
    private final Registrations registrations;

    ConnectorRuntime(ConnectorRuntimeBuilder b) {
        this.sink = b.sink;
        this.store = b.store;
        Clock clock = b.clock;
        this.ownsHttp = b.http == null;
        this.http = ownsHttp ? HttpTransportFactory.withThreads(clock, b.sleeper, b.httpThreads) : b.http;
        b.tenantBudgets.forEach(http::tenantBudget);
        if (b.trustedCertificates != null) {
            http.alsoTrust(b.trustedCertificates);
        }
        this.workerCount = b.workers;
        this.bindings = new InstanceBindings(b.registry != null ? b.registry : ConnectorRegistry.fromClassPath());
        this.schedulerTicker = b.schedulerTicker;
        RunMeters meters = b.meterRegistry != null && b.store != null ? new RunMeters(b.meterRegistry, b.store) : null;
        this.progressListener = meters == null ? b.progressListener : p -> {
            meters.progress(p);
            b.progressListener.accept(p);
        };
        BiConsumer<String, StateTransition> transitionListener = meters == null ? b.transitionListener : (name, t) -> {
            meters.transition(name, t);
            b.transitionListener.accept(name, t);
        };
        // without a store and a sink the runtime only tests connections: nothing to run or schedule
        boolean runs = sink != null && store != null;
        TransitionRecorder transitions = runs ? new TransitionRecorder(store, clock, transitionListener) : null;
        this.registrations = new Registrations(bindings, store, sink, transitions, http, clock, this);
        this.scheduler = runs ? new Scheduler(store, clock, b.jitter, bindings::pollIntervals,
                (name, streams) -> submit(name, streams, false, p -> { })) : null;
        this.dispatcher = runs ? new RunDispatcher(sink, store, clock, http, b.policy, transitions,
                (name, summary) -> scheduler.runEnded(name, summary), workerCount) : null;
        if (runs) {
            registrations.restore();
        }
    }

    public static ConnectorRuntimeBuilder builder() {
        return new ConnectorRuntimeBuilder();
    }

    private InstanceRecord save(InstanceDefinition definition, Map<String, ?> transformMaps, boolean replace,
            Consumer<CheckResult> each) {
        registrations.requireStorage(replace ? "update" : "register", requireNonNull(definition, "definition is null")
                .name());
        InstanceRecord saved = registrations.save(definition, transformMaps, replace, requireNonNull(each, "each is null"));
        scheduler.refresh(saved.name());
        return saved;
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
        return save(definition, transformMaps, false, result -> { });
    }

    /**
     * Registers {@code definition}, telling {@code each} of every check result as soon as it is
     * known (a console shows them live; the checks run once whether they pass or not).
     */
    public InstanceRecord register(InstanceDefinition definition, Map<String, ?> transformMaps,
            Consumer<CheckResult> each) {
        return save(definition, transformMaps, false, each);
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
        return save(definition, transformMaps, true, result -> { });
    }

    /**
     * Updates {@code definition}, telling {@code each} of every check result as it is known; no
     * check runs when the update only re-arms an unchanged config.
     */
    public InstanceRecord update(InstanceDefinition definition, Map<String, ?> transformMaps,
            Consumer<CheckResult> each) {
        return save(definition, transformMaps, true, each);
    }

    /** Registers {@code definition}, or updates it when an instance of that name exists. */
    public InstanceRecord registerOrUpdate(InstanceDefinition definition, Map<String, ?> transformMaps) {
        StateStore stored = registrations.requireStorage("register", definition.name());
        return save(definition, transformMaps, stored.instance(definition.name()).isPresent(), result -> { });
    }

    /**
     * The streams the instance's next run reads in full although it committed a run before, each
     * with why: an update widened what the stream selects (another tenant, a filter removed or
     * widened) or added the stream. Ask it after {@link #update} to tell the operator; empty
     * before the instance's first commit.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when the instance is unknown
     */
    public Map<String, String> cursorResets(String name) {
        registrations.requireKnown("plan", name);
        InstanceBindings.Bound bound = bindings.require(name);
        return StreamResets.of(name, bound.connector(), bound.config(), sink, store);
    }

    /**
     * Runs the connection checks of {@code definition} without saving anything.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when the definition is invalid
     */
    public CheckReport test(InstanceDefinition definition) {
        return test(definition, result -> { });
    }

    /**
     * Runs the connection checks of {@code definition} without saving anything, telling
     * {@code each} of every result as soon as it is known (a UI shows the checks live).
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when the definition is invalid
     */
    public CheckReport test(InstanceDefinition definition, Consumer<CheckResult> each) {
        requireNonNull(each, "each is null");
        return registrations.check(definition.name(), bindings.bind(definition, Map.of()), each);
    }

    /** Removes an instance with its history. A running instance must be cancelled first. */
    public void remove(String name) {
        synchronized (this) {
            registrations.requireKnown("remove", name);
            Optional<SyncRun> running = dispatcher.active(name);
            if (running.isPresent()) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, "Instance '" + name + "' cannot be removed "
                        + "while run " + running.get().runId() + " is in progress", "Cancel the run, wait for it "
                                + "to end, then remove the instance");
            }
            store.removeInstance(name);
            bindings.remove(name);
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
        return await(name, submit(name, Set.of(), false, progress));
    }

    /**
     * Runs every selected stream of the instance in full now, whatever its committed cursors, and
     * waits for the run to end: a complete snapshot of each stream that allows one
     * ({@link org.connectorsdk.api.StreamSpec#snapshot}), which a sink reconciles against (gone
     * assets, fixed findings) where delta runs cannot see deletions. Records the previous runs
     * delivered are delivered again; the run commits new cursors like any other.
     *
     * @see #runNow(String, Consumer)
     */
    public RunSummary runFull(String name, Consumer<Progress> progress) {
        return await(name, submit(name, Set.of(), true, progress));
    }

    private RunSummary await(String name, CompletableFuture<RunSummary> run) {
        try {
            return run.get();
        } catch (InterruptedException e) {
            if (dispatcher != null) {
                dispatcher.cancel(name, "because the thread waiting for it in runNow was interrupted");
            }
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorKind.CANCELLED, "Interrupted while waiting for the run of '" + name
                    + "'; the run was cancelled", null, e);
        } catch (ExecutionException e) {
            throw RunDispatcher.unwrap(e.getCause());
        }
    }

    /**
     * Starts a run on a worker that reads only {@code streams} of the selected streams (all of
     * them when empty), in full when {@code full}; the future completes with its summary.
     */
    CompletableFuture<RunSummary> submit(String name, Set<String> streams, boolean full, Consumer<Progress> progress) {
        requireNonNull(progress, "progress is null");
        requireNonNull(streams, "streams is null");
        synchronized (this) {
            registrations.requireKnown("run", name);
            return dispatcher.submit(name, bindings.require(name), streams, full,
                    (stream, pages, records, written, rejected, total, counters) -> {
                Progress p = new Progress(name, stream, pages, records, written, rejected, total, counters);
                try {
                    progressListener.accept(p);
                } catch (RuntimeException e) {
                    LOG.warn("{}: the progress listener failed: {}", name, e.toString());
                }
                progress.accept(p);
            });
        }
    }

    /**
     * Cancels the instance's run in progress: it stops within one request timeout, publishes
     * nothing and ends {@code ERRORED} with kind {@code CANCELLED}, its error saying the operator
     * cancelled it.
     *
     * @return whether a run was in progress
     */
    public boolean cancel(String name) {
        return dispatcher != null && dispatcher.cancel(name, "by the operator (cancel)");
    }

    /**
     * Runs every registered instance that has a schedule on it, until {@link #stop}: each at its
     * occurrences in its time zone, never two runs of one instance at once (occurrences due
     * while it runs are coalesced into one run after it), and an instance whose run was missed
     * while the runtime was down runs once. Instances registered later are scheduled as they
     * come. Starting a started runtime does nothing.
     */
    public void start() {
        registrations.requireStorage("start the schedule of", null);
        scheduler.start(schedulerTicker);
    }

    /**
     * Why the schedule stopped working on its own, if it did (its thread ended by an error that
     * was logged); a process that runs schedules should then stop and report a failure.
     */
    public Optional<String> scheduleFailure() {
        return scheduler == null ? Optional.empty() : scheduler.failure().map(Throwable::toString);
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
        if (dispatcher == null) {
            return true;
        }
        scheduler.stop();
        return dispatcher.stop(grace, CLOSE_GRACE);
    }

    /** The scheduler itself, for tests that step it on a hand-moved clock. */
    Scheduler scheduler() {
        return scheduler;
    }

    /** Every instance, by name: its state, last run and next run. */
    public List<InstanceStatus> status() {
        return InstanceStatuses.read(registrations.requireStorage("list", null), bindings::problem, scheduler::nextRun);
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
        return InstanceStatuses.read(store, name -> Optional.empty(), reader::nextRun);
    }

    /** The instance's transitions and runs, oldest first. */
    public History history(String name) {
        registrations.requireKnown("read the history of", name);
        return new History(store.transitions(name), store.runs(name));
    }

    /**
     * Cancels the runs in progress, waits up to 30 seconds for them to end (their sinks
     * aborted), and stops the workers.
     */
    @Override
    public void close() {
        if (dispatcher != null) {
            scheduler.stop();
            dispatcher.close(CLOSE_GRACE);
        }
        if (ownsHttp) {
            http.close();
        }
    }

    /**
     * Progress of a run, told after every page.
     *
     * @param instance   the instance
     * @param stream     the stream being read
     * @param pages      pages of this stream so far
     * @param records    records of this stream so far
     * @param written    records of this stream written to the sink so far (published when the run commits)
     * @param rejected   records of this stream the transform maps rejected so far
     * @param totalCount the source's own count of the stream's records, when it gives one
     * @param counters   the run's counters so far, by name (e.g. {@code http.requests},
     *                   {@code http.retries}, {@code http.throttled}, {@code http.settledRequestsPerMinute})
     */
    public record Progress(String instance, String stream, long pages, long records, long written, long rejected,
            OptionalLong totalCount, Map<String, Long> counters) {
        public Progress {
            counters = Map.copyOf(counters);
        }
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


    @Override
    public String toString() {
        return "ConnectorRuntime[workers=" + workerCount + ", sink=" + sink + ", store=" + store + "]";
    }
}
