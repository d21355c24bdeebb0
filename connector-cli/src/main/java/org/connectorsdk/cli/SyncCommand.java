package org.connectorsdk.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.InstanceFiles;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.store.postgres.PostgresStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sync --instance FILE --out DIR [--state DIR] | --store URL}: registers (or updates) the instance,
 * which runs its connection checks unless its config is unchanged since they passed, then runs
 * one sync now. Exit 0 iff the run is {@code PROCESSED}; 1 when a check or the run fails; 2 for
 * a bad instance file or config, also when a check or the run meets the config problem.
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

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where runs are published: DIR/<instance>/<run-id>/<stream>.jsonl.")
    Path out;

    @Mixin
    StoreOptions store;

    @Option(names = "--full", description = "Read every stream in full, whatever the watermarks: a complete snapshot "
            + "a store reconciles against (gone assets, fixed findings), which delta runs cannot see.")
    boolean full;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = ".connectors-state",
            description = "The state directory: history and watermarks for delta runs (default: ${DEFAULT-VALUE}).")
    Path state;

    @Override
    @SuppressWarnings("try") // the lock is held for the block, never read
    public Integer call() throws IOException {
        if (store.given() == (out != null)) {
            throw new ParameterException(spec.commandLine(), "sync needs one of --out DIR (JSON Lines files) or "
                    + "--store URL (PostgreSQL)");
        }
        InstanceFiles.Content content = InstanceFiles.load(instanceFile);
        FileReferences.check(cli.registry().get(content.definition().connectorId()), content.definition());
        if (store.given()) {
            // the store's advisory lock keeps a second process off the instance
            try (PostgresStore postgres = store.open();
                    ConnectorRuntime runtime = ConnectorRuntime.builder().registry(cli.registry())
                            .sink(postgres.sink()).stateStore(postgres.stateStore()).workers(1).build()) {
                RunSummary summary = run(runtime, content, full, spec.commandLine().getOut(),
                        spec.commandLine().getErr());
                RunReport.print(spec.commandLine().getOut(), summary, postgres.toString());
                return exitCode(summary);
            }
        }
        WorkDirectory.prepare("--out", out);
        WorkDirectory.prepare("--state", state);
        JsonLinesSink sink = new JsonLinesSink(out);
        FileStateStore fileStore = FileStateStore.open(state);
        try (StateLock lock = StateLock.acquire(state);
                ConnectorRuntime runtime = ConnectorRuntime.builder().registry(cli.registry()).sink(sink)
                        .stateStore(fileStore).workers(1).build()) {
            RunSummary summary = run(runtime, content, full, spec.commandLine().getOut(), spec.commandLine().getErr());
            RunReport.print(spec.commandLine().getOut(), summary, sink.runDirectory(summary.instance(),
                    summary.runId()).toString());
            return exitCode(summary);
        }
    }

    private static int exitCode(RunSummary summary) {
        if (summary.state() == ConnectorState.PROCESSED) {
            return ConnectorsCli.EXIT_OK;
        }
        // a config problem met by the run (an env: reference unset since the instance was
        // checked) is bad input, as when a check meets it
        return summary.error().filter(e -> e.kind() == ErrorKind.CONFIGURATION).isPresent()
                ? ConnectorsCli.EXIT_USAGE : ConnectorsCli.EXIT_FAILURE;
    }

    /**
     * Registers and runs {@code definition}, saying on {@code out} which streams an update made it
     * read in full; Ctrl-C cancels the run so its sink is aborted and nothing half-written is left
     * behind.
     */
    static RunSummary run(ConnectorRuntime runtime, InstanceFiles.Content content, boolean full,
            java.io.PrintWriter out, java.io.PrintWriter err) {
        InstanceDefinition definition = content.definition();
        runtime.registerOrUpdate(definition, content.transformMaps());
        RunReport.resets(out, runtime, definition.name());
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
            return full ? runtime.runFull(definition.name(), progress::onPage)
                    : runtime.runNow(definition.name(), progress::onPage);
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

    /**
     * One process at a time per state directory: a second one would take the first one's
     * running instance for a crashed run.
     */
    static final class StateLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private StateLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static StateLock acquire(Path stateDirectory) throws IOException {
            Path file = stateDirectory.resolve(".lock");
            // owner-only like every other file of the state directory
            FileAttribute<?>[] ownerOnly = file.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                            "rw-------"))}
                    : new FileAttribute<?>[0];
            FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    ownerOnly);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new ConnectorException(ErrorKind.TRANSIENT, "The state directory " + stateDirectory
                        + " is in use by another connectors process", "Wait for it to finish, or use another --state");
            }
            return new StateLock(channel, lock);
        }

        @Override
        public void close() throws IOException {
            lock.release();
            channel.close();
        }
    }
}
