package org.connectorsdk.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.InstanceFiles;
import org.connectorsdk.runtime.JsonLinesSink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code demo [--endpoints N] [--out DIR]}: the README's "run it" command. Starts a simulated
 * Cortex XDR tenant (synthetic data) over HTTPS on 127.0.0.1, writes an instance file that
 * trusts the simulator's CA, runs the five connection checks, runs a full sync of assets and
 * findings, prints the summary and the files, and stops the simulator.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Sync a simulated Cortex XDR tenant (synthetic data) on 127.0.0.1 end to end.")
final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String INSTANCE = "demo-tenant";
    private static final String KEY_ID = "1";

    @ParentCommand
    ConnectorsCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--endpoints", paramLabel = "N", defaultValue = "1000",
            description = "Endpoints in the simulated tenant (default: ${DEFAULT-VALUE}).")
    int endpoints;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-output",
            description = "Where the instance file and the synced files go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (endpoints < 0 || endpoints > 1_000_000) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "--endpoints must be between 0 and 1,000,000, got "
                    + endpoints, "Pick a smaller tenant");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        // the demo's key lives only in this process and an owner-only temp file the instance
        // file refers to (file:PATH), so no file under --out ever holds it
        String key = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
        Path scratch = Files.createTempDirectory("connectors-demo");
        Path keyFile = scratch.resolve("api-key");
        Files.writeString(keyFile, key);
        if (keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        }
        try (CortexXdrSimulator tenant = CortexXdrSimulator.builder().endpoints(endpoints).seed(42)
                .standardKey(KEY_ID, key).start()) {
            stdout.printf(Locale.ROOT, "Simulated Cortex XDR tenant (synthetic data): %,d endpoints at %s%n",
                    endpoints, tenant.baseUrl());
            Path instanceFile = writeInstanceFile(tenant, keyFile);
            stdout.println("Instance file: " + instanceFile);
            InstanceFiles.Content content = InstanceFiles.load(instanceFile);
            JsonLinesSink sink = new JsonLinesSink(out);
            // a fresh state directory: the demo always shows a full sync, never a delta run
            try (ConnectorRuntime runtime = ConnectorRuntime.builder().registry(cli.registry()).sink(sink)
                    .stateStore(FileStateStore.open(scratch.resolve("state"))).workers(1).build()) {
                stdout.println();
                stdout.println("Connection checks:");
                CheckReport report = runtime.test(content.definition());
                printChecks(stdout, report);
                if (!report.allPassed()) {
                    return ConnectorsCli.EXIT_FAILURE;
                }
                stdout.println();
                stdout.flush();
                RunSummary summary = SyncCommand.run(runtime, content, false, stdout, spec.commandLine().getErr());
                Path run = sink.runDirectory(summary.instance(), summary.runId());
                RunReport.print(stdout, summary, run.toString());
                if (summary.state() != ConnectorState.PROCESSED) {
                    return ConnectorsCli.EXIT_FAILURE;
                }
                stdout.println();
                stdout.println("Files:");
                try (Stream<Path> files = Files.list(run)) {
                    for (Path f : files.sorted().toList()) {
                        stdout.printf(Locale.ROOT, "  %s  (%s)%n", f, RunReport.bytes(Files.size(f)));
                    }
                }
                stdout.flush();
                return ConnectorsCli.EXIT_OK;
            }
        } finally {
            Files.deleteIfExists(keyFile);
            deleteTree(scratch);
        }
    }

    private Path writeInstanceFile(CortexXdrSimulator tenant, Path keyFile) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseUrl", tenant.baseUrl());
        config.put("apiKey", "file:" + keyFile.toAbsolutePath());
        config.put("apiKeyId", KEY_ID);
        config.put("securityLevel", "standard");
        config.put("dataToSync", "assets-and-findings");
        config.put("maxRequestsPerSecond", 10);
        config.put("caCertificate", tenant.caCertificatePem());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("connector", "cortex-xdr");
        doc.put("name", INSTANCE);
        doc.put("description", "Simulated Cortex XDR tenant on 127.0.0.1 (synthetic data)");
        doc.put("config", config);
        // owner-only like the sink's own directories: the output holds the tenant's records
        boolean posix = out.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(out)) {
            Files.createDirectories(out);
            if (posix) {
                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwx------"));
            }
        }
        Path file = out.resolve(INSTANCE + ".json");
        Files.write(file, JSON.writeValueAsBytes(doc));
        if (posix) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return file;
    }

    /** One line per check as {@code check} prints it: kind, status, milliseconds, message. */
    static void printChecks(PrintWriter out, CheckReport report) {
        for (CheckResult r : report.results()) {
            out.printf(Locale.ROOT, "  %-20s %-7s %5d ms  %s%n", r.kind(), r.status(), r.duration().toMillis(),
                    r.message());
            r.remediation().filter(x -> !r.passed()).ifPresent(x -> out.println("      fix: " + x));
        }
        out.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
