package org.connectorsdk.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.store.postgres.PostgresStore;
import org.connectorsdk.server.ConnectorServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code serve --state DIR --out DIR --token-file FILE [--bind 127.0.0.1] [--port 8080]}: the REST
 * API, {@code /metrics} and the web console over a runtime whose scheduler runs every saved
 * instance. Prints {@code listening on http://HOST:PORT}; stops cleanly on SIGINT or SIGTERM like
 * {@code run}. Exit 0 after a clean stop; 1 when a run would not stop; 2 for bad input.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the REST API, Prometheus metrics and the setup console until stopped.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @ParentCommand
    ConnectorsCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--state", paramLabel = "DIR",
            description = "The state directory: instances, history, watermarks and schedule state.")
    Path state;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where runs are published: DIR/<instance>/<run-id>/<stream>.jsonl.")
    Path out;

    @Mixin
    StoreOptions store;

    @Option(names = "--token-file", required = true, paramLabel = "FILE",
            description = "A file holding the bearer token that API calls and /metrics must send.")
    Path tokenFile;

    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this host only).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "The port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4",
            description = "Runs at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "On stop, how long runs in progress may take to finish (default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535 || workers < 1 || graceSeconds < 0) {
            throw usage("--port must be 0..65535, --workers at least 1 and --grace not negative");
        }
        if (store.given() ? state != null || out != null : state == null || out == null) {
            throw usage("serve needs --state DIR and --out DIR, or --store URL (PostgreSQL) instead of both");
        }
        String token = readToken();
        Duration grace = Duration.ofSeconds(graceSeconds);
        PrintWriter stdout = spec.commandLine().getOut();
        int code = ConnectorsCli.EXIT_FAILURE;
        PostgresStore postgres = store.given() ? store.open() : null;
        RunCommand.StopSignal stop = RunCommand.stopSignals.apply(grace);
        try (postgres) {
            ConnectorServer server = ConnectorServer.builder().registry(cli.registry())
                    .sink(postgres != null ? postgres.sink() : new JsonLinesSink(out))
                    .stateStore(postgres != null ? postgres.stateStore() : FileStateStore.open(state))
                    .token(token).bind(bind).port(port)
                    .runtime(b -> b.workers(workers)).start();
            stdout.println("listening on " + server.uri());
            stdout.flush();
            stop.await();
            LOG.info("Stopping: no new runs start; runs in progress get {} s to finish", graceSeconds);
            boolean clean = server.stop(grace);
            code = clean ? ConnectorsCli.EXIT_OK : ConnectorsCli.EXIT_FAILURE;
            LOG.info(clean ? "Stopped cleanly" : "Stopped; some runs did not end and were abandoned");
        } finally {
            stdout.flush();
            stop.finished(code);
        }
        return code;
    }

    private String readToken() {
        try {
            String token = Files.readString(tokenFile).strip();
            if (token.length() < 16) {
                throw usage("Token file " + tokenFile + " holds " + (token.isEmpty() ? "nothing" : "a token shorter "
                        + "than 16 characters") + "; write a long random token into it, e.g. openssl rand -hex 32");
            }
            return token;
        } catch (IOException e) {
            throw usage("Token file " + tokenFile + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ConnectorException usage(String message) {
        return new ConnectorException(ErrorKind.CONFIGURATION, message, "Correct the command line or the file");
    }
}
