package org.connectorsdk.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.runtime.internal.http.HttpTransportFactory;
import org.connectorsdk.runtime.internal.sync.RunPolicy;
import org.connectorsdk.runtime.internal.sync.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs instances on a bounded pool of workers: one run per instance at a time, a run beyond the
 * worker count waits in {@code SCHEDULED}, and cancel, stop and close reach the runs in progress.
 */
final class RunDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RunDispatcher.class);

    private final RecordSink sink;
    private final StateStore store;
    private final Clock clock;
    private final HttpTransportFactory http;
    private final RunPolicy policy;
    private final TransitionRecorder transitions;
    /** Told when a run has ended, before the run stops counting as in progress (the scheduler saves its plan). */
    private final BiConsumer<String, RunSummary> ended;
    private final int workerCount;
    private final ExecutorService workers;
    private final ExecutorService readers;
    /** Runs submitted and not yet ended: beyond the worker count, a run waits in SCHEDULED. */
    private final AtomicInteger inFlight = new AtomicInteger();

    // guarded by this
    private final Map<String, SyncRun> active = new HashMap<>();
    /** Runs removed from {@code active} whose end is still being recorded. */
    private int ending;

    RunDispatcher(RecordSink sink, StateStore store, Clock clock, HttpTransportFactory http, RunPolicy policy,
            TransitionRecorder transitions, BiConsumer<String, RunSummary> ended, int workerCount) {
        this.sink = sink;
        this.store = store;
        this.clock = clock;
        this.http = http;
        this.policy = policy;
        this.transitions = transitions;
        this.ended = ended;
        this.workerCount = workerCount;
        this.workers = Executors.newFixedThreadPool(workerCount, daemons("connector-worker-"));
        // one read ahead per running run at most: as many threads as workers
        this.readers = Executors.newFixedThreadPool(workerCount, daemons("connector-reader-"));
    }

    private static java.util.concurrent.ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The instance's run in progress, if any. */
    synchronized Optional<SyncRun> active(String name) {
        return Optional.ofNullable(active.get(name));
    }

    /**
     * Starts a run of {@code b} on a worker that reads only {@code streams} of the selected
     * streams (all of them when empty), in full when {@code full} whatever their cursors; the
     * future completes with its summary.
     */
    CompletableFuture<RunSummary> submit(String name, InstanceBindings.Bound b, Set<String> streams, boolean full,
            SyncRun.PageListener progress) {
        if (store != null) {
            // the run appends to these at its end: one that cannot be read must fail it before
            // anything is published or a cursor moves, not after
            store.runs(name);
            store.transitions(name);
        }
        SyncRun run;
        synchronized (this) {
            SyncRun running = active.get(name);
            if (running != null) {
                throw new ConnectorException(ErrorKind.TRANSIENT, "Instance '" + name + "' already has a run in "
                        + "progress (run " + running.runId() + ", started " + running.createdAt()
                        + "); a second run never overlaps it", "Wait for the running sync to end, or cancel it");
            }
            run = new SyncRun(name, b.connector(), b.config(), b.maps(), sink, store, clock, http,
                    policy.withRunDeadline(b.runDeadline()),
                    transitions, progress, readers, streams, full, b.deltaWindow());
            active.put(name, run);
        }
        if (inFlight.getAndIncrement() >= workerCount) {
            transitions.transition(name, ConnectorState.SCHEDULED, run.runId(), "waiting for processing resources");
        }
        try {
            return CompletableFuture.supplyAsync(() -> execute(name, run), workers);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            synchronized (this) {
                active.remove(name, run);
            }
            throw new ConnectorException(ErrorKind.INTERNAL, "The runtime is shut down; instance '" + name
                    + "' cannot run", "Build a new runtime", e);
        }
    }

    private RunSummary execute(String name, SyncRun run) {
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
                ended.accept(name, summary);
            } finally {
                synchronized (this) {
                    ending--;
                    notifyAll();
                }
            }
        }
    }

    /** Cancels the instance's run in progress, saying {@code by} whom; whether one was in progress. */
    synchronized boolean cancel(String name, String by) {
        SyncRun run = active.get(name);
        if (run == null) {
            return false;
        }
        LOG.info("{}: cancelling run {}", name, run.runId());
        run.cancel(by);
        return true;
    }

    /** Cancels the runs waiting for a worker, gives the others {@code grace}, then cancels them too. */
    boolean stop(Duration grace, Duration afterCancel) {
        synchronized (this) {
            active.values().stream().filter(r -> !r.started()).forEach(r -> r.cancel("by stop()"));
        }
        if (awaitNoRuns(grace)) {
            return true;
        }
        synchronized (this) {
            LOG.info("Cancelling {} run{} still in progress after the grace of {}", active.size(),
                    active.size() == 1 ? "" : "s", grace);
            active.values().forEach(r -> r.cancel("by stop() (its grace of " + grace + " ran out)"));
        }
        if (awaitNoRuns(afterCancel)) {
            return true;
        }
        LOG.warn("Runs still in progress {} after they were cancelled: {}", afterCancel, activeRunIds());
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

    /** Cancels the runs in progress, waits up to {@code grace} for them to end, and stops the workers. */
    void close(Duration grace) {
        requireNonNull(grace, "grace is null");
        synchronized (this) {
            active.values().forEach(r -> r.cancel("by close()"));
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Runs still in progress after {}; abandoning them", grace);
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        readers.shutdownNow();
    }

    /** The ConnectorException a failed run future holds, or an INTERNAL one for anything else. */
    static ConnectorException unwrap(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof ConnectorException e) {
            return e;
        }
        return new ConnectorException(ErrorKind.INTERNAL, "A run failed unexpectedly: " + cause,
                "This is a defect; report it with the log", cause);
    }
}
