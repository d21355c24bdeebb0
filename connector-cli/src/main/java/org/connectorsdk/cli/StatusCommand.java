package org.connectorsdk.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StreamStats;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.store.postgres.PostgresStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code status --state DIR}: every instance in a state directory with its state, its last run
 * (state, records, duration, error) and its next run, with each stream's next run when its
 * streams poll on their own intervals and a pending retry of a failed run. It only reads, so it is safe while a
 * {@code run} process owns the directory. Exit 0; 2 when the directory does not exist.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show every instance of a state directory: state, last run and next run.")
final class StatusCommand implements Callable<Integer> {
    /** The clock "overdue" is judged by; tests set their own. */
    static volatile Clock clock = Clock.systemUTC();

    @Spec
    CommandSpec spec;

    @Option(names = "--state", paramLabel = "DIR", description = "The state directory.")
    Path state;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        if (store.given() == (state != null)) {
            throw new ParameterException(spec.commandLine(), "status needs one of --state DIR or --store URL");
        }
        if (store.given()) {
            try (PostgresStore postgres = store.open()) {
                print(postgres.stateStore(), postgres.toString());
            }
            return ConnectorsCli.EXIT_OK;
        }
        if (!Files.isDirectory(state)) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "State directory " + state + " does not exist",
                    "Give the --state directory of a run or sync");
        }
        print(FileStateStore.open(state), state.toString());
        return ConnectorsCli.EXIT_OK;
    }

    private void print(StateStore store, String where) {
        PrintWriter out = spec.commandLine().getOut();
        List<ConnectorRuntime.InstanceStatus> all = ConnectorRuntime.readStatus(store);
        if (all.isEmpty()) {
            out.println("No instances in " + where);
        }
        Instant now = clock.instant();
        for (ConnectorRuntime.InstanceStatus s : all) {
            out.println(s.name() + " (" + s.connectorId() + "): " + s.state());
            out.println("  last run:  " + s.lastRun().map(StatusCommand::lastRun).orElse("none yet"));
            s.lastRun().flatMap(RunSummary::error).ifPresent(e -> out.println("  error:     " + e.message()));
            out.println("  next run:  " + s.nextRun().map(at -> at.truncatedTo(ChronoUnit.SECONDS)
                    + (at.isBefore(now) ? " (overdue: runs as soon as the scheduler runs)" : ""))
                    .orElse("none"));
            store.scheduleState(s.name()).ifPresent(schedule -> {
                ScheduleLines.streams(schedule).ifPresent(streams -> out.println("  streams:   " + streams));
                ScheduleLines.retry(schedule).ifPresent(retry -> out.println("  pending:   " + retry));
            });
        }
        out.flush();
    }

    /** e.g. "PROCESSED, 1,000 records, 2.3 s, started 2026-11-25T16:01:00Z (run 20261125T160100Z-ab12)". */
    static String lastRun(RunSummary r) {
        long records = r.streams().values().stream().mapToLong(StreamStats::written).sum();
        return String.format(Locale.ROOT, "%s%s, %,d record%s, %s, started %s (run %s)", r.state(),
                r.error().map(e -> " (" + e.kind() + ")").orElse(""), records, records == 1 ? "" : "s",
                RunReport.seconds(r.duration()), r.startedAt().truncatedTo(ChronoUnit.SECONDS), r.runId());
    }
}
