package org.connectorsdk.testkit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.runtime.ConnectorRuntime;

/**
 * One registered instance on its own runtime, in-memory sink and state store, made by
 * {@link ConnectorTestKit#register()}. Use it for what takes more than one step: faults
 * injected after registration, a second (delta) run, cancelling a run.
 *
 * <pre>{@code
 * try (InstanceUnderTest instance = kit.register()) {
 *     server.failAlwaysAny(Fault.serverError());
 *     assertThat(instance.sync()).isErrored().publishedNothing();
 * }
 * }</pre>
 */
public final class InstanceUnderTest implements AutoCloseable {
    private final ConnectorTestKit kit;
    private final InMemoryRecordSink sink = new InMemoryRecordSink();
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final ConnectorRuntime runtime;
    private ExecutorService background;
    private final Instant registered = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    InstanceUnderTest(ConnectorTestKit kit) {
        this.kit = kit;
        this.runtime = kit.buildRuntime(sink, store);
    }

    /** Runs one sync now and waits for it. */
    public SyncResult sync() {
        return sync(p -> { });
    }

    /** Runs one sync now, telling {@code progress} after every page (on the worker's thread). */
    public SyncResult sync(Consumer<ConnectorRuntime.Progress> progress) {
        int committedBefore = sink.committedRuns().size();
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        CapturedLogs logs = CapturedLogs.startIfBound();
        RunSummary summary;
        try {
            summary = runtime.runNow(kit.instanceName(), progress);
        } finally {
            logs.close();
        }
        List<InMemoryRecordSink.CommittedRun> committed = sink.committedRuns();
        Map<String, List<Map<String, Object>>> records = Map.of();
        boolean published = false;
        for (InMemoryRecordSink.CommittedRun run : committed.subList(committedBefore, committed.size())) {
            if (run.summary().runId().equals(summary.runId())) {
                published = true;
                records = run.records();
            }
        }
        List<String> faults = new ArrayList<>();
        kit.server().ifPresent(server -> {
            List<String> during = server.faultsServedSince(started);
            List<String> all = server.faultsServedSince(registered);
            all.subList(0, all.size() - during.size()).forEach(f -> faults.add(f + " (before this run)"));
            during.forEach(f -> faults.add(f + " (during this run)"));
        });
        return new SyncResult(summary, published, records, logs, faults);
    }

    /**
     * Runs one sync and cancels it from the progress callback once {@code pages} pages are in:
     * a deterministic "cancel mid-run" that needs no timing.
     */
    public SyncResult syncCancellingAfterPages(int pages) {
        if (pages < 1) {
            throw new IllegalArgumentException("pages must be at least 1, got " + pages);
        }
        int[] seen = {0};
        AtomicBoolean cancelled = new AtomicBoolean();
        return sync(p -> {
            if (++seen[0] >= pages && cancelled.compareAndSet(false, true)) {
                runtime.cancel(kit.instanceName());
            }
        });
    }

    /** Starts a sync on a background thread; {@link #cancel()} it or wait for the future. */
    public synchronized CompletableFuture<SyncResult> startSync() {
        if (background == null) {
            background = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "testkit-sync");
                t.setDaemon(true);
                return t;
            });
        }
        return CompletableFuture.supplyAsync(this::sync, background);
    }

    /** Cancels the run in progress; returns whether one was. */
    public boolean cancel() {
        return runtime.cancel(kit.instanceName());
    }

    /** The instance's transitions and runs. */
    public ConnectorRuntime.History history() {
        return runtime.history(kit.instanceName());
    }

    /** The runtime, for anything else. */
    public ConnectorRuntime runtime() {
        return runtime;
    }

    /** The in-memory sink every run of this instance writes to. */
    public InMemoryRecordSink sink() {
        return sink;
    }

    /** The in-memory state store of this instance's runtime. */
    public InMemoryStateStore stateStore() {
        return store;
    }

    /** Cancels what runs and shuts the runtime down. */
    @Override
    public synchronized void close() {
        runtime.close();
        if (background != null) {
            background.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "InstanceUnderTest[" + kit + "]";
    }
}
