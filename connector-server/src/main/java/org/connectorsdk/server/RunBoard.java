package org.connectorsdk.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.ConnectorRuntime;

/**
 * The runs in progress, as the runtime's transitions and page progress tell them: each run's
 * state and per-stream figures so far, for {@code GET /api/v1/runs/{runId}} and the metrics. A
 * run leaves the board when it ends; its summary is in the instance's history from then on.
 */
final class RunBoard {
    /** One run in progress; progress replaces its stream's entry after every page. */
    record LiveRun(String runId, String instance, ConnectorState state, Map<String, ConnectorRuntime.Progress> streams) {
        LiveRun with(ConnectorState newState) {
            return new LiveRun(runId, instance, newState, streams);
        }
    }

    private final Map<String, LiveRun> byRunId = new ConcurrentHashMap<>();
    private final Map<String, String> runIdByInstance = new ConcurrentHashMap<>();
    /** Callers of {@link #awaitRunId} waiting for an instance's next run to get its id. */
    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();

    void transition(String instance, StateTransition t) {
        if (t.runId().isEmpty()) {
            return;
        }
        String runId = t.runId().get();
        if (t.state() == ConnectorState.SCHEDULED || t.state() == ConnectorState.PROCESSING) {
            byRunId.compute(runId, (id, run) -> run == null
                    ? new LiveRun(id, instance, t.state(), new ConcurrentHashMap<>()) : run.with(t.state()));
            runIdByInstance.put(instance, runId);
            CompletableFuture<String> waiter = waiting.remove(instance);
            if (waiter != null) {
                waiter.complete(runId);
            }
        } else {
            byRunId.remove(runId);
            runIdByInstance.remove(instance, runId);
        }
    }

    void progress(ConnectorRuntime.Progress p) {
        String runId = runIdByInstance.get(p.instance());
        LiveRun run = runId == null ? null : byRunId.get(runId);
        if (run != null) {
            run.streams().put(p.stream(), p);
        }
    }

    /** Registers interest in the instance's next run before it is started. */
    CompletableFuture<String> nextRunId(String instance) {
        return waiting.computeIfAbsent(instance, i -> new CompletableFuture<>());
    }

    /** The id the instance's next run got, or empty when {@code started} ended first (it failed to start). */
    Optional<String> awaitRunId(CompletableFuture<String> runId, CompletableFuture<?> started, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture.anyOf(runId, started).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return runId.isDone() ? Optional.of(runId.join()) : Optional.empty();
    }

    void forget(String instance, CompletableFuture<String> waiter) {
        waiting.remove(instance, waiter);
    }

    Optional<LiveRun> run(String runId) {
        return Optional.ofNullable(byRunId.get(runId));
    }

    /** The run in progress as JSON: its state and each stream's pages and records so far. */
    static Map<String, Object> view(LiveRun run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", run.runId());
        m.put("instance", run.instance());
        m.put("state", run.state().name());
        Map<String, Object> streams = new LinkedHashMap<>();
        run.streams().forEach((name, p) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("pages", p.pages());
            s.put("records", p.records());
            p.totalCount().ifPresent(n -> s.put("totalCount", n));
            streams.put(name, s);
        });
        m.put("streams", streams);
        return m;
    }
}
