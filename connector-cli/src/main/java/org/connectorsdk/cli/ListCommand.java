package org.connectorsdk.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorDescriptor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code list}: one line per discovered connector: id, version, vendor, product. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the discovered connectors: id, version, vendor, product.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    ConnectorsCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ConnectorDescriptor> descriptors = cli.registry().connectors().stream()
                .map(Connector::descriptor).toList();
        int idWidth = descriptors.stream().mapToInt(d -> d.id().length()).max().orElse(0);
        int versionWidth = descriptors.stream().mapToInt(d -> d.version().length()).max().orElse(0);
        int vendorWidth = descriptors.stream().mapToInt(d -> d.vendor().length()).max().orElse(0);
        for (ConnectorDescriptor d : descriptors) {
            out.println(pad(d.id(), idWidth) + "  " + pad(d.version(), versionWidth) + "  "
                    + pad(d.vendor(), vendorWidth) + "  " + d.product());
        }
        out.flush();
        return ConnectorsCli.EXIT_OK;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
