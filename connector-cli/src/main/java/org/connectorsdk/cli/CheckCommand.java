package org.connectorsdk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.CheckStatus;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.InstanceFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code check --instance FILE}: runs the instance's connection checks in order and prints one
 * line per check, {@code <KIND> <PASSED|FAILED|SKIPPED> <ms> <message>}, with the remediation
 * indented under a failure. Exit code 0 when every check passed, 1 when one failed, 2 for bad
 * input (missing or invalid file, unknown connector, invalid config, and a config problem that
 * only a check finds, such as an unset {@code env:} reference: one line naming the field instead
 * of the check lines). Nothing is saved.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Run an instance's connection checks (network, TLS, authentication, authorization, data"
                + " fetch) without saving anything.")
final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    ConnectorsCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--instance", required = true, paramLabel = "FILE",
            description = "The instance file (JSON: connector, name, description, config).")
    Path instance;

    @Override
    public Integer call() {
        InstanceDefinition definition = InstanceFiles.read(instance);
        FileReferences.check(cli.registry().get(definition.connectorId()), definition);
        CheckReport report;
        // no state store and no sink: a runtime that only tests connections
        try (ConnectorRuntime runtime = ConnectorRuntime.builder().registry(cli.registry()).workers(1).build()) {
            report = runtime.test(definition);
        }
        // a config problem only a check can find (an unset env: reference, an unreadable file, a
        // certificate that is not PEM) is bad input, answered like every other one
        Optional<CheckResult> badConfig = report.firstFailure().filter(CheckResult::isConfigurationProblem);
        if (badConfig.isPresent()) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, badConfig.get().message(),
                    badConfig.get().remediation().orElse(null));
        }
        PrintWriter out = spec.commandLine().getOut();
        for (CheckResult r : report.results()) {
            out.println(line(r));
            if (r.status() == CheckStatus.FAILED) {
                r.remediation().ifPresent(text -> out.println("    " + oneLine(text)));
            }
        }
        out.flush();
        return report.allPassed() ? ConnectorsCli.EXIT_OK : ConnectorsCli.EXIT_FAILURE;
    }

    /** {@code <KIND> <STATUS> <ms> <message>}. */
    static String line(CheckResult r) {
        return r.kind() + " " + r.status() + " " + r.duration().toMillis() + " " + oneLine(r.message());
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
