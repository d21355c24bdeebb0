package org.connectorsdk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.InstanceFiles;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.store.postgres.PostgresStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code run --instance FILE... --state DIR --out DIR}: the scheduler as a long-running process.
 * Registers (or updates) every instance, which runs its connection checks, prints each one's
 * schedule, then runs them on their schedules, logging every state transition, until SIGINT or
 * SIGTERM. It then stops cleanly: no new run starts, runs in progress get {@code --grace} to
 * finish and are then cancelled (nothing of theirs is published). Exit 0 after a clean stop; 1
 * when a check fails or a run would not stop; 2 for bad input.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run instances on their schedules until stopped with Ctrl-C (SIGINT) or SIGTERM.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** How a stop is asked for: a JVM shutdown (SIGINT, SIGTERM) in production; tests put their own. */
    static volatile Function<Duration, StopSignal> stopSignals = JvmShutdown::new;

    @ParentCommand
    ConnectorsCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--instance", required = true, arity = "1..*", paramLabel = "FILE",
            description = "Instance files (JSON), each with a \"schedule\".")
    List<Path> instanceFiles;

    @Option(names = "--state", paramLabel = "DIR",
            description = "The state directory: instances, history, watermarks and schedule state.")
    Path state;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where runs are published: DIR/<instance>/<run-id>/<stream>.jsonl.")
    Path out;

    @Mixin
    StoreOptions store;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4",
            description = "Runs at once; more due instances wait in SCHEDULED (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--jitter", paramLabel = "SECONDS", defaultValue = "0",
            description = "Delay each recurring run by up to this many seconds, fixed per instance and "
                    + "occurrence, so instances on one schedule spread out (default: ${DEFAULT-VALUE}).")
    long jitterSeconds;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "On stop, how long runs in progress may take to finish before they are cancelled "
                    + "(default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Override
    public Integer call() throws InterruptedException {
        checkOptions();
        List<InstanceFiles.Content> instances = load();
        WorkDirectory.prepare("--out", out);
        WorkDirectory.prepare("--state", state);
        Duration grace = Duration.ofSeconds(graceSeconds);
        PrintWriter stdout = spec.commandLine().getOut();
        int code = ConnectorsCli.EXIT_FAILURE;
        StopSignal stop = null;
        PostgresStore postgres = store.given() ? store.open() : null;
        StateStore stateStore = postgres != null ? postgres.stateStore() : FileStateStore.open(state);
        try (postgres; ConnectorRuntime runtime = ConnectorRuntime.builder().registry(cli.registry())
                .sink(postgres != null ? postgres.sink() : new JsonLinesSink(out)).stateStore(stateStore)
                .workers(workers)
                .scheduleJitter(Duration.ofSeconds(jitterSeconds)).onTransition(RunCommand::log).build()) {
            for (InstanceFiles.Content content : instances) {
                runtime.registerOrUpdate(content.definition(), content.transformMaps());
                RunReport.resets(stdout, runtime, content.definition().name());
            }
            stop = stopSignals.apply(grace);
            runtime.start();
            Map<String, Optional<Instant>> next = new HashMap<>();
            runtime.status().forEach(s -> next.put(s.name(), s.nextRun()));
            for (InstanceFiles.Content content : instances) {
                String name = content.definition().name();
                ScheduleSpec schedule = content.definition().schedule().orElseThrow();
                stdout.println(name + ": " + schedule.describe());
                stdout.println(name + ": next run " + next.getOrDefault(name, Optional.empty())
                        .map(at -> describe(at, schedule)).orElse("none (its single occurrence has run)"));
                stateStore.scheduleState(name).flatMap(ScheduleLines::streams).ifPresent(streams -> stdout.println(
                        name + ": its streams run on their own poll intervals; next: " + streams));
            }
            for (ConnectorRuntime.InstanceStatus other : runtime.status()) {
                if (instances.stream().noneMatch(c -> c.definition().name().equals(other.name()))
                        && other.nextRun().isPresent()) {
                    stdout.println(other.name() + ": also scheduled, from the state directory; next run "
                            + other.nextRun().get().truncatedTo(ChronoUnit.SECONDS));
                }
            }
            stdout.println("Running " + instances.size() + " instance" + (instances.size() == 1 ? "" : "s")
                    + " on " + workers + " worker" + (workers == 1 ? "" : "s") + "; stop with Ctrl-C or SIGTERM");
            stdout.flush();
            stop.await();
            LOG.info("Stopping: no new runs start; runs in progress get {} s to finish", graceSeconds);
            boolean clean = runtime.stop(grace);
            Optional<String> schedulerFailure = runtime.scheduleFailure();
            code = clean && schedulerFailure.isEmpty() ? ConnectorsCli.EXIT_OK : ConnectorsCli.EXIT_FAILURE;
            if (schedulerFailure.isPresent()) {
                LOG.error("Stopped; the scheduler had stopped working earlier ({}), so runs were missed",
                        schedulerFailure.get());
            } else {
                LOG.info(clean ? "Stopped cleanly" : "Stopped; some runs did not end and were abandoned");
            }
        } finally {
            stdout.flush();
            if (stop != null) {
                stop.finished(code);
            }
        }
        return code;
    }

    private void checkOptions() {
        if (store.given() ? state != null || out != null : state == null || out == null) {
            throw usage("run needs --state DIR and --out DIR, or --store URL (PostgreSQL) instead of both");
        }
        if (workers < 1) {
            throw usage("--workers must be at least 1, got " + workers);
        }
        if (jitterSeconds < 0 || graceSeconds < 0) {
            throw usage("--jitter and --grace must not be negative, got " + jitterSeconds + " and " + graceSeconds);
        }
    }

    /** Every file read and checked before anything is registered, so bad input changes nothing. */
    private List<InstanceFiles.Content> load() {
        List<InstanceFiles.Content> all = new ArrayList<>();
        Map<String, Path> names = new HashMap<>();
        for (Path file : instanceFiles) {
            InstanceFiles.Content content = InstanceFiles.load(file);
            FileReferences.check(cli.registry().get(content.definition().connectorId()), content.definition());
            String name = content.definition().name();
            if (content.definition().schedule().isEmpty()) {
                throw usage("Instance file " + file + " has no \"schedule\"; run needs one (sync runs an instance "
                        + "once, now)");
            }
            Path other = names.putIfAbsent(name, file);
            if (other != null) {
                throw usage("Instance files " + other + " and " + file + " both define instance '" + name + "'");
            }
            all.add(content);
        }
        return all;
    }

    private static String describe(Instant at, ScheduleSpec schedule) {
        ZonedDateTime local = at.atZone(schedule.zone());
        return at.truncatedTo(ChronoUnit.SECONDS) + " (" + LOCAL.format(local) + " " + schedule.zone().getId() + ")";
    }

    private static void log(String instance, StateTransition t) {
        LOG.info("{} {} {}{}: {}", t.at().truncatedTo(ChronoUnit.MILLIS), instance, t.state(),
                t.runId().map(id -> " (run " + id + ")").orElse(""), t.detail());
    }

    private static ConnectorException usage(String message) {
        return new ConnectorException(ErrorKind.CONFIGURATION, message, "Correct the command line or the file");
    }

    /** How {@code run} learns it must stop, and tells whoever asked how it ended. */
    interface StopSignal {
        /** Blocks until a stop is asked for. */
        void await() throws InterruptedException;

        /** The command has stopped (or failed) with {@code exitCode}. */
        void finished(int exitCode);
    }

    /**
     * A stop asked for by the JVM's shutdown, which SIGINT and SIGTERM start: the shutdown hook
     * wakes the command, waits for its clean stop, then ends the JVM with the command's exit
     * code (a JVM ended by a signal would otherwise exit 130 or 143 even after a clean stop).
     */
    static final class JvmShutdown implements StopSignal {
        private final CountDownLatch requested = new CountDownLatch(1);
        private final CountDownLatch done = new CountDownLatch(1);
        private final Duration patience;
        private final Thread hook = new Thread(this::onShutdown, "connectors-run-stop");
        private volatile int exitCode = ConnectorsCli.EXIT_FAILURE;

        JvmShutdown(Duration grace) {
            // the grace, then the runtime's wait for cancelled runs, then some slack
            this.patience = grace.plusMinutes(2);
            Runtime.getRuntime().addShutdownHook(hook);
        }

        private void onShutdown() {
            requested.countDown();
            try {
                if (done.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.err.flush();
                    Runtime.getRuntime().halt(exitCode);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void await() throws InterruptedException {
            requested.await();
        }

        @Override
        public void finished(int code) {
            exitCode = code;
            if (requested.getCount() > 0) {
                // the command ends for another reason (an error): no shutdown is waiting on it
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down after all; the hook will see done
                }
            }
            done.countDown();
        }
    }
}
