package org.connectorsdk.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.connectorsdk.api.ConnectorState;
import org.connectorsdk.api.InstanceDefinition;
import org.connectorsdk.api.RunSummary;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.InstanceFiles;
import org.connectorsdk.runtime.JsonLinesSink;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sync --instance FILE --out DIR [--state DIR]}: registers (or updates) the instance,
 * which runs its connection checks, then runs one sync now. Exit 0 iff the run is
 * {@code PROCESSED}; 1 when a check or the run fails; 2 for a bad instance file or config.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Run one sync of an instance now: checks, read, map, publish JSON Lines files.")
final class SyncCommand implements Callable<Integer> {
    @ParentCommand
    ConnectorsCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--instance", required = true, paramLabel = "FILE", description = "The instance file (JSON).")
    Path instanceFile;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where runs are published: DIR/<instance>/<run-id>/<stream>.jsonl.")
    Path out;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = ".connectors-state",
            description = "The state directory: history and watermarks for delta runs (default: ${DEFAULT-VALUE}).")
    Path state;

    @Override
    public Integer call() {
        InstanceFiles.Content content = InstanceFiles.load(instanceFile);
        JsonLinesSink sink = new JsonLinesSink(out);
        try (ConnectorRuntime runtime = ConnectorRuntime.builder().registry(cli.registry()).sink(sink)
                .stateStore(FileStateStore.open(state)).workers(1).build()) {
            RunSummary summary = run(runtime, content, spec.commandLine().getErr());
            RunReport.print(spec.commandLine().getOut(), summary, sink.runDirectory(summary.instance(),
                    summary.runId()));
            return summary.state() == ConnectorState.PROCESSED ? ConnectorsCli.EXIT_OK : ConnectorsCli.EXIT_FAILURE;
        }
    }

    /**
     * Registers and runs {@code definition}; Ctrl-C cancels the run so its sink is aborted and
     * nothing half-written is left behind.
     */
    static RunSummary run(ConnectorRuntime runtime, InstanceFiles.Content content, java.io.PrintWriter err) {
        InstanceDefinition definition = content.definition();
        runtime.registerOrUpdate(definition, content.transformMaps());
        RunReport.Progress progress = new RunReport.Progress(err, System.console() != null);
        CountDownLatch ended = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            if (runtime.cancel(definition.name())) {
                try {
                    ended.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "sync-cancel");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            return runtime.runNow(definition.name(), progress::onPage);
        } finally {
            ended.countDown();
            progress.finish();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running
            }
        }
    }
}
