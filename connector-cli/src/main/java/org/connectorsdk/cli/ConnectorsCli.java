package org.connectorsdk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.runtime.ConnectorRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code connectors} command line: {@code java -jar connectors.jar <command>}.
 *
 * <p>Every command is its own class, listed in {@code subcommands}; it reaches the shared
 * registry through {@code @ParentCommand ConnectorsCli cli} and {@link #registry()}, writes to
 * {@code spec.commandLine().getOut()}, and returns its exit code. Bad input is answered with one
 * line on stderr and exit code {@value #EXIT_USAGE}: a picocli {@link ParameterException}, or a
 * {@link ConnectorException} of kind {@link ErrorKind#CONFIGURATION} (unknown connector, invalid
 * config, missing file). Other failures print one line and exit {@value #EXIT_FAILURE}. Stack
 * traces appear only with {@code --verbose}.
 */
@Command(name = "connectors",
        mixinStandardHelpOptions = true,
        versionProvider = ConnectorsCli.Version.class,
        description = "Discover, describe and run security data connectors.",
        subcommands = {
            ListCommand.class,
            DescribeCommand.class,
            CheckCommand.class,
            TransformCommand.class,
            SyncCommand.class,
            RunCommand.class,
            StatusCommand.class,
            DemoCommand.class,
            ServeCommand.class,
            ExportCommand.class,
        })
public final class ConnectorsCli implements Callable<Integer> {
    /** Exit code of a command that did what was asked. */
    public static final int EXIT_OK = 0;
    /** Exit code of a command that ran and failed (a failed check, an errored sync). */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of bad input: arguments, unknown connector, invalid config or file. */
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--plugin-dir", paramLabel = "DIR",
            description = "Also load connector plugins from the jars in DIR.")
    Path pluginDirectory;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show stack traces and debug logging.")
    boolean verbose;

    private ConnectorRegistry registry;

    /** The connectors on the class path (and in {@code --plugin-dir}), loaded once. */
    public ConnectorRegistry registry() {
        if (registry == null) {
            registry = pluginDirectory == null ? ConnectorRegistry.fromClassPath()
                    : ConnectorRegistry.withPluginDirectory(pluginDirectory);
        }
        return registry;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command; one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code; for tests and embedding. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        if (verbose) {
            // read by slf4j-simple when the first logger is made
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
            // Jetty's HTTP parser logs every request header at DEBUG, the serve command's bearer token with them
            System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "info");
        }
        CommandLine cli = new CommandLine(new ConnectorsCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("connectors: " + oneLine(e.getMessage()) + " (see '"
                    + command.getCommandSpec().qualifiedName() + " --help')");
            if (verbose) {
                e.printStackTrace(command.getErr());
            }
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parseResult) -> {
            PrintWriter errors = command.getErr();
            int code;
            if (e instanceof ConnectorException ce) {
                errors.println("connectors: " + oneLine(ce.getMessage())
                        + ce.remediation().map(r -> " (" + oneLine(r) + ")").orElse(""));
                code = ce.kind() == ErrorKind.CONFIGURATION ? EXIT_USAGE : EXIT_FAILURE;
            } else {
                errors.println("connectors: unexpected " + oneLine(e.toString())
                        + (verbose ? "" : " (run again with --verbose for details)"));
                code = EXIT_FAILURE;
            }
            if (verbose) {
                e.printStackTrace(errors);
            }
            return code;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** {@code text} on one line, other control characters escaped: an echoed ESC must not reach the terminal. */
    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.strip().replaceAll("\\s*\\R\\s*", " ");
        StringBuilder b = new StringBuilder(line.length());
        line.chars().forEach(c -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : String.valueOf((char) c)));
        return b.toString();
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ConnectorsCli.class.getPackage().getImplementationVersion();
            return new String[] {"connectors " + (version == null ? "(development build)" : version)};
        }
    }
}
