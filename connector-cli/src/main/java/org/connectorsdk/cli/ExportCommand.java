package org.connectorsdk.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.connectorsdk.store.postgres.PostgresStore;
import org.connectorsdk.store.postgres.StoreExport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code export --store URL --instance NAME --stream S [--include-gone] [--status open|fixed|all]}:
 * the PostgreSQL store's current view of one stream as JSON Lines on stdout, so an operator can
 * look without SQL. Exit 0; 2 for bad input.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Print the PostgreSQL store's current view of a stream as JSON Lines.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--instance", required = true, paramLabel = "NAME", description = "The instance's name.")
    String instance;

    @Option(names = "--stream", required = true, paramLabel = "S",
            description = "assets, findings, incidents or alerts.")
    String stream;

    @Option(names = "--include-gone", description = "Also records a full sync no longer reported, with goneAt.")
    boolean includeGone;

    @Option(names = "--status", paramLabel = "open|fixed|all", defaultValue = "open",
            description = "Which findings, for --stream findings (default: ${DEFAULT-VALUE}).")
    String status;

    @Override
    public Integer call() {
        if (!store.given()) {
            throw new ParameterException(spec.commandLine(), "export needs --store URL (PostgreSQL)");
        }
        if (!java.util.Set.of("assets", "findings", "incidents", "alerts").contains(stream)) {
            throw new ParameterException(spec.commandLine(), "--stream must be assets, findings, incidents or alerts, "
                    + "got '" + stream + "'");
        }
        StoreExport.FindingStatus which = switch (status) {
            case "open" -> StoreExport.FindingStatus.OPEN;
            case "fixed" -> StoreExport.FindingStatus.FIXED;
            case "all" -> StoreExport.FindingStatus.ALL;
            default -> throw new ParameterException(spec.commandLine(), "--status must be open, fixed or all, got '"
                    + status + "'");
        };
        PrintWriter out = spec.commandLine().getOut();
        try (PostgresStore postgres = store.open()) {
            postgres.export().write(instance, stream, includeGone, which, out);
        }
        out.flush();
        return ConnectorsCli.EXIT_OK;
    }
}
