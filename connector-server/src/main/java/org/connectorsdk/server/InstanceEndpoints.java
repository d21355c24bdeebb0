package org.connectorsdk.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Secret;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.runtime.ConnectorRegistry;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.InstanceFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.http.Context;

/**
 * {@code /api/v1/instances} and {@code /api/v1/runs}: save (after every check passed), read,
 * replace and delete instances; run now, cancel, history, and a running run's progress.
 */
final class InstanceEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceEndpoints.class);
    /** How long "run now" waits for the run to be given its id before answering. */
    private static final Duration RUN_ID_WAIT = Duration.ofSeconds(30);

    private final ConnectorRuntime runtime;
    private final StateStore store;
    private final ConnectorRegistry registry;
    private final RunBoard board;
    private final ExecutorService runWaiters;

    InstanceEndpoints(ConnectorRuntime runtime, StateStore store, ConnectorRegistry registry, RunBoard board,
            ExecutorService runWaiters) {
        this.runtime = runtime;
        this.store = store;
        this.registry = registry;
        this.board = board;
        this.runWaiters = runWaiters;
    }

    void list(Context ctx) {
        Json.write(ctx, 200, runtime.status().stream().map(s -> view(s.name())).flatMap(Optional::stream).toList());
    }

    void get(Context ctx) {
        String name = known(ctx);
        Json.write(ctx, 200, view(name).orElseThrow(() -> unknown(name)));
    }

    /** Creates the instance in the body: 201 when every check passed, else 422 with the check results. */
    void create(Context ctx) {
        InstanceFiles.Content content = content(ctx);
        if (store.instance(content.definition().name()).isPresent()) {
            throw new ApiError(409, ErrorKind.CONFIGURATION, "An instance named '" + content.definition().name()
                    + "' already exists", "Choose another name, or PUT /api/v1/instances/"
                            + content.definition().name() + " to replace it");
        }
        save(ctx, content, false);
    }

    /** Replaces an instance (e.g. a rotated key): the new config must pass every check; else the old one stays. */
    void replace(Context ctx) {
        String name = known(ctx);
        InstanceFiles.Content content = content(ctx);
        if (!content.definition().name().equals(name)) {
            throw new ApiError(400, ErrorKind.CONFIGURATION, "The body names instance '" + content.definition().name()
                    + "' but the path names '" + name + "'", "Rename by creating a new instance and deleting this one");
        }
        save(ctx, content, true);
    }

    private void save(Context ctx, InstanceFiles.Content content, boolean replace) {
        String name = content.definition().name();
        refuseMaskedSecrets(content);
        // the runtime runs the checks once, as part of saving; the reply lists them either way
        List<Map<String, Object>> checks = new ArrayList<>();
        Consumer<CheckResult> each = result -> checks.add(Views.check(result));
        try {
            if (replace) {
                runtime.update(content.definition(), content.transformMaps(), each);
            } else {
                runtime.register(content.definition(), content.transformMaps(), each);
            }
        } catch (ConnectorException e) {
            ApiError error = ApiError.of(e);
            throw checks.isEmpty() ? error : error.with("checks", checks);
        }
        LOG.info("{}: {} through the API", name, replace ? "updated" : "created");
        Map<String, Object> body = new LinkedHashMap<>(view(name).orElseThrow(() -> unknown(name)));
        body.put("checks", checks);
        if (replace) {
            // the streams this update makes the next run read in full, with why
            body.put("readInFull", runtime.cursorResets(name));
        }
        Json.write(ctx, replace ? 200 : 201, body);
    }

    void delete(Context ctx) {
        String name = known(ctx);
        refuseWhileRunning(name, "deleted");
        runtime.remove(name);
        ctx.status(204);
    }

    /** Starts a run now and answers 202 with its id as soon as it has one. */
    void runNow(Context ctx) throws InterruptedException {
        String name = known(ctx);
        CompletableFuture<String> runId = board.nextRunId(name);
        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> runtime.runNow(name), runWaiters);
        try {
            Optional<String> id = board.awaitRunId(runId, run, RUN_ID_WAIT);
            if (id.isEmpty()) {
                run.join();
                throw new IllegalStateException("run of " + name + " ended without a run id");
            }
            Json.write(ctx, 202, Map.of("runId", id.get(), "instance", name, "progress", "/api/v1/runs/" + id.get()));
        } catch (ExecutionException | java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof ConnectorException ce ? ApiError.of(ce) : new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new ApiError(503, ErrorKind.TRANSIENT, "The run of '" + name + "' did not start within "
                    + RUN_ID_WAIT.toSeconds() + " s", "Look at GET /api/v1/instances/" + name + "/runs later");
        } finally {
            board.forget(name, runId);
        }
    }

    void cancel(Context ctx) {
        Json.write(ctx, 200, Map.of("cancelled", runtime.cancel(known(ctx))));
    }

    void history(Context ctx) {
        ConnectorRuntime.History history = runtime.history(known(ctx));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runs", history.runs().stream().map(Views::run).toList());
        out.put("transitions", history.transitions().stream().map(Views::transition).toList());
        Json.write(ctx, 200, out);
    }

    /** A running run's live progress; a finished run's summary. */
    void run(Context ctx) {
        String runId = ctx.pathParam("runId");
        Optional<Map<String, Object>> live = board.run(runId).map(RunBoard::view);
        Map<String, Object> view = live.or(() -> store.instances().stream()
                .flatMap(i -> store.runs(i.name()).stream()).filter(r -> r.runId().equals(runId)).findFirst()
                .map(Views::run)).orElseThrow(() -> ApiError.notFound("No run with id '" + runId + "' is known",
                        "Take run ids from POST /api/v1/instances/{name}/runs or GET /api/v1/instances/{name}/runs"));
        Json.write(ctx, 200, view);
    }

    /** The next occurrences of the schedule in the body, for the wizard's preview. */
    void previewSchedule(Context ctx) {
        ScheduleSpec schedule = ScheduleSpec.fromMap(Json.object(ctx));
        List<String> next = new ArrayList<>();
        Instant after = Instant.now();
        for (int i = 0; i < 3; i++) {
            Optional<Instant> at = schedule.nextRunAfter(after);
            if (at.isEmpty()) {
                break;
            }
            next.add(at.get().atZone(schedule.zone()).toOffsetDateTime().toString());
            after = at.get();
        }
        Json.write(ctx, 200, Map.of("description", schedule.describe(), "next", next));
    }

    private Optional<Map<String, Object>> view(String name) {
        Optional<InstanceRecord> record = store.instance(name);
        Optional<ConnectorRuntime.InstanceStatus> status = runtime.status().stream()
                .filter(s -> s.name().equals(name)).findFirst();
        return record.map(r -> Views.instance(r, status,
                registry.find(r.connectorId()).map(Connector::configSpec)));
    }

    private InstanceFiles.Content content(Context ctx) {
        return InstanceFiles.parse(Json.objectText(ctx), "The request body");
    }

    /** A form that sends back the mask it was shown must give the secret again, not "[hidden]". */
    private void refuseMaskedSecrets(InstanceFiles.Content content) {
        ConfigSpec spec = registry.get(content.definition().connectorId()).configSpec();
        for (String field : spec.secretFieldNames()) {
            if (Secret.MASK.equals(content.definition().config().get(field))) {
                throw new ApiError(400, ErrorKind.CONFIGURATION, "Config field '" + field + "' is " + Secret.MASK
                        + ", the mask the API shows for a secret", "Give the secret again (inline, env:NAME or file:PATH)");
            }
        }
    }

    private void refuseWhileRunning(String name, String what) {
        runtime.status().stream().filter(s -> s.name().equals(name))
                .filter(s -> s.state() == ConnectorState.PROCESSING || s.state() == ConnectorState.SCHEDULED)
                .findFirst().ifPresent(s -> {
                    throw new ApiError(409, ErrorKind.TRANSIENT, "Instance '" + name + "' cannot be " + what
                            + " while it is " + s.state(), "Cancel the run (POST /api/v1/instances/" + name
                                    + "/cancel), wait for it to end, then try again");
                });
    }

    private String known(Context ctx) {
        String name = ctx.pathParam("name");
        if (store.instance(name).isEmpty()) {
            throw unknown(name);
        }
        return name;
    }

    private ApiError unknown(String name) {
        return ApiError.notFound("No instance named '" + name + "' exists", "List them with GET /api/v1/instances");
    }
}
