package org.connectorsdk.server;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.runtime.ConnectorRegistry;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.ConnectorRuntimeBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The runtime behind HTTP: the REST API under {@code /api/v1}, Prometheus metrics at
 * {@code /metrics}, the web console at {@code /}, and {@code /health}. Every API path and the
 * metrics require the bearer token; the console's files and the health check are public.
 *
 * <pre>{@code
 * try (ConnectorServer server = ConnectorServer.builder()
 *         .sink(new JsonLinesSink(Path.of("out"))).stateStore(FileStateStore.open(Path.of("state")))
 *         .token(Files.readString(Path.of("token"))).port(8080).start()) {
 *     System.out.println("listening on " + server.uri());
 *     ...
 * }
 * }</pre>
 *
 * <p>The server builds and owns its {@link ConnectorRuntime} (its scheduler runs from
 * {@link Builder#start()}) and installs the runtime's transition and progress listeners, which
 * feed the live run view and the metrics.
 */
public final class ConnectorServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorServer.class);
    /** The largest request body accepted; an instance file is a few kilobytes. */
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final ConnectorRuntime runtime;
    private final Javalin app;
    private final ExecutorService runWaiters;
    private final URI uri;

    private ConnectorServer(Builder b) {
        ConnectorRegistry registry = b.registry != null ? b.registry : ConnectorRegistry.fromClassPath();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunBoard board = new RunBoard();
        RunMeters meters = new RunMeters(prometheus, b.store);
        ConnectorRuntimeBuilder rb = ConnectorRuntime.builder().registry(registry).sink(b.sink).stateStore(b.store);
        b.runtimeOptions.accept(rb);
        this.runtime = rb.onTransition((name, t) -> {
            LOG.info("{} {}{}: {}", name, t.state(), t.runId().map(id -> " (run " + id + ")").orElse(""), t.detail());
            board.transition(name, t);
            meters.transition(name, t);
        }).onProgress(p -> {
            board.progress(p);
            meters.progress(p);
        }).build();
        AtomicInteger n = new AtomicInteger();
        this.runWaiters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "connector-server-run-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        BearerToken token = new BearerToken(b.token);
        ConnectorEndpoints connectors = new ConnectorEndpoints(registry, runtime);
        InstanceEndpoints instances = new InstanceEndpoints(runtime, b.store, registry, board, runWaiters);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.jetty.host = b.bind;
            config.jetty.port = b.port;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/console";
                files.location = Location.CLASSPATH;
                // the console keeps the token in memory; no page of it is ever framed or cached by proxies
                files.headers.put("X-Frame-Options", "DENY");
                files.headers.put("Cache-Control", "no-store");
            });
            var routes = config.routes;
            routes.before("/api/*", ctx -> {
                token.require(ctx);
                refuseLargeBody(ctx);
            });
            routes.before("/metrics", token::require);
            routes.get("/health", ctx -> Json.write(ctx, 200, java.util.Map.of("status", "UP")));
            routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(prometheus.scrape()));
            routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json")
                    .result(requireNonNull(ConnectorServer.class.getResourceAsStream("/openapi.json"),
                            "openapi.json is missing from the jar")));
            routes.get("/api/v1/connectors", connectors::list);
            routes.get("/api/v1/connectors/{id}", connectors::get);
            routes.post("/api/v1/connectors/{id}/validate", connectors::validate);
            routes.post("/api/v1/connectors/{id}/test", connectors::test);
            routes.post("/api/v1/schedules/preview", instances::previewSchedule);
            routes.get("/api/v1/instances", instances::list);
            routes.post("/api/v1/instances", instances::create);
            routes.get("/api/v1/instances/{name}", instances::get);
            routes.put("/api/v1/instances/{name}", instances::replace);
            routes.delete("/api/v1/instances/{name}", instances::delete);
            routes.post("/api/v1/instances/{name}/runs", instances::runNow);
            routes.get("/api/v1/instances/{name}/runs", instances::history);
            routes.post("/api/v1/instances/{name}/cancel", instances::cancel);
            routes.get("/api/v1/runs/{runId}", instances::run);
            routes.exception(ApiError.class, (e, ctx) -> Json.write(ctx, e.status(), e.body()));
            routes.exception(ConnectorException.class, (e, ctx) -> {
                ApiError error = ApiError.of(e);
                Json.write(ctx, error.status(), error.body());
            });
            routes.exception(HttpResponseException.class, (e, ctx) -> Json.write(ctx, e.getStatus(),
                    new ApiError(e.getStatus(), ErrorKind.CONFIGURATION, e.getMessage(), "See /api/v1/openapi.json")
                            .body()));
            routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.getClass().getName(), e);
                Json.write(ctx, 500, new ApiError(500, ErrorKind.INTERNAL, "The server failed to answer "
                        + ctx.method() + " " + ctx.path(), "This is a defect; report it with the server's log").body());
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            runtime.close();
            runWaiters.shutdownNow();
            throw new ConnectorException(ErrorKind.CONFIGURATION, "Cannot listen on " + b.bind + ":" + b.port + ": "
                    + e.getMessage(), "Choose another --port (0 picks a free one) or stop what uses it", e);
        }
        this.uri = URI.create("http://" + (b.bind.contains(":") ? "[" + b.bind + "]" : b.bind) + ":" + app.port());
        runtime.start();
        LOG.info("Listening on {}", uri);
    }

    private static void refuseLargeBody(Context ctx) {
        if (ctx.contentLength() > MAX_BODY_BYTES) {
            throw new ApiError(413, ErrorKind.CONFIGURATION, "The request body has " + ctx.contentLength()
                    + " bytes; at most " + MAX_BODY_BYTES + " are accepted", "Send a smaller body");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where the server listens, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        return uri;
    }

    /** The runtime the server operates. */
    public ConnectorRuntime runtime() {
        return runtime;
    }

    /**
     * Stops cleanly: no new request or run starts, runs in progress get {@code grace} to finish
     * (then they are cancelled and publish nothing), and the runtime closes.
     *
     * @return whether every run ended
     */
    public boolean stop(Duration grace) {
        app.stop();
        boolean clean = runtime.stop(grace);
        runtime.close();
        runWaiters.shutdownNow();
        return clean;
    }

    /** {@link #stop(Duration)} with the runtime's default grace of 30 seconds. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    /** Builds and starts a {@link ConnectorServer}; a sink, a state store and a token are required. */
    public static final class Builder {
        private ConnectorRegistry registry;
        private RecordSink sink;
        private StateStore store;
        private String token;
        private String bind = "127.0.0.1";
        private int port = 8080;
        private Consumer<ConnectorRuntimeBuilder> runtimeOptions = b -> { };

        private Builder() {
        }

        /** Where connectors are found; the class path by default. */
        public Builder registry(ConnectorRegistry registry) {
            this.registry = requireNonNull(registry, "registry is null");
            return this;
        }

        public Builder sink(RecordSink sink) {
            this.sink = requireNonNull(sink, "sink is null");
            return this;
        }

        public Builder stateStore(StateStore store) {
            this.store = requireNonNull(store, "store is null");
            return this;
        }

        /** The bearer token every API call and {@code /metrics} must carry. */
        public Builder token(String token) {
            this.token = requireNonNull(token, "token is null");
            return this;
        }

        /** The address to listen on; {@code 127.0.0.1} by default, so nothing outside this host reaches it. */
        public Builder bind(String host) {
            this.bind = requireNonNull(host, "host is null");
            return this;
        }

        /** The port; 8080 by default, 0 picks a free one ({@link ConnectorServer#uri()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * More runtime settings (workers, jitter, clock, ...). The server sets the registry, sink,
         * store and the transition and progress listeners itself.
         */
        public Builder runtime(Consumer<ConnectorRuntimeBuilder> options) {
            this.runtimeOptions = requireNonNull(options, "options is null");
            return this;
        }

        /** Starts the runtime's scheduler and the server. */
        public ConnectorServer start() {
            requireNonNull(sink, "a RecordSink is required (sink(...))");
            requireNonNull(store, "a StateStore is required (stateStore(...))");
            requireNonNull(token, "a bearer token is required (token(...))");
            return new ConnectorServer(this);
        }
    }

    @Override
    public String toString() {
        return "ConnectorServer[" + uri + "]";
    }
}
