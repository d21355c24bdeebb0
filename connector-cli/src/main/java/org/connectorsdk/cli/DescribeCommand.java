package org.connectorsdk.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.FieldMapping;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.server.ConnectorDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code describe <id> [--json]}: the descriptor, config fields, checks, streams, every row
 * of every transform map, and the converters its rows may name (built-in and the connector's
 * own). It shows the connector's declarations only, never an instance's values, so no secret
 * can appear; a secret field is marked as such.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a connector: details, config fields, checks, streams, transform maps and converters.")
final class DescribeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @ParentCommand
    ConnectorsCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The connector id, as 'list' shows it.")
    String id;

    @Option(names = "--json", description = "Print JSON (includes the config's JSON Schema).")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        Connector connector = cli.registry().get(id);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(ConnectorDocument.describe(connector)));
        } else {
            out.print(text(connector));
        }
        out.flush();
        return ConnectorsCli.EXIT_OK;
    }

    /** The connector as a reader scans it, for the terminal. */
    static String text(Connector connector) {
        ConnectorDescriptor d = connector.descriptor();
        StringBuilder out = new StringBuilder();
        out.append(d.id()).append(' ').append(d.version()).append(" - ").append(d.vendor()).append(' ')
                .append(d.product()).append('\n');
        row(out, "Category", d.category());
        row(out, "Asset types", String.join(", ", d.assetTypes()));
        row(out, "Integration type", d.integrationType());
        row(out, "Direction", d.direction());
        row(out, "Capabilities", d.capabilities().isEmpty() ? "none"
                : d.capabilities().stream().map(Enum::name).sorted().collect(Collectors.joining(", ")));

        out.append("\nConfig fields:\n");
        List<ConfigField> fields = connector.configSpec().fields();
        int nameWidth = fields.stream().mapToInt(f -> f.name().length()).max().orElse(0);
        int typeWidth = fields.stream().mapToInt(f -> typeName(f).length()).max().orElse(0);
        for (ConfigField f : fields) {
            List<String> facts = new ArrayList<>();
            facts.add(f.required() ? "required" : "optional");
            if (f.secret()) {
                facts.add("secret");
            }
            f.defaultValue().ifPresent(v -> facts.add("default " + plain(v)));
            if (!f.allowedValues().isEmpty()) {
                facts.add("one of " + String.join(" | ", f.allowedValues()));
            }
            f.maxLength().ifPresent(n -> facts.add("max " + n + " chars"));
            f.pattern().ifPresent(p -> facts.add(f.patternHint().map(h -> "must be " + h).orElse("pattern " + p)));
            if (f.min().isPresent() || f.max().isPresent()) {
                facts.add("range " + (f.min().isPresent() ? f.min().getAsLong() : "") + ".."
                        + (f.max().isPresent() ? f.max().getAsLong() : ""));
            }
            out.append("  ").append(pad(f.name(), nameWidth)).append("  ").append(pad(typeName(f), typeWidth))
                    .append("  ").append(String.join(", ", facts));
            out.append("  (").append(f.label()).append(f.description().isEmpty() ? "" : ": " + f.description())
                    .append(")\n");
        }

        out.append("\nChecks (in order):\n");
        List<ConnectionCheck> checks = connector.connectionChecks();
        if (checks.isEmpty()) {
            out.append("  none\n");
        }
        for (int i = 0; i < checks.size(); i++) {
            CheckKind kind = checks.get(i).kind();
            out.append("  ").append(i + 1).append(". ").append(kind.name()).append("  (").append(kind.title())
                    .append(")\n");
        }

        out.append("\nStreams:\n");
        if (connector.streams().isEmpty()) {
            out.append("  none\n");
        }
        int streamWidth = connector.streams().stream().mapToInt(s -> s.name().length()).max().orElse(0);
        for (StreamSpec s : connector.streams()) {
            out.append("  ").append(pad(s.name(), streamWidth)).append("  key ").append(String.join("+", s.primaryKey()));
            s.cursorField().ifPresent(c -> out.append("  cursor ").append(c));
            out.append("  modes ").append(s.syncModes().stream().map(Enum::name).sorted()
                    .collect(Collectors.joining(", ")));
            s.defaultPollInterval().ifPresent(p -> out.append("  polled every ").append(p));
            if (!s.description().isEmpty()) {
                out.append("  (").append(s.description()).append(')');
            }
            out.append('\n');
        }

        out.append("\nTransform maps:\n");
        if (connector.transformMaps().isEmpty()) {
            out.append("  none (records pass through unchanged)\n");
        }
        for (TransformMap m : connector.transformMaps()) {
            out.append("  ").append(m.name()).append(": ").append(m.sourceStream()).append(" -> ")
                    .append(m.targetKind()).append(m.activeByDefault() ? ", active by default" : ", inactive by default")
                    .append('\n');
            int sourceWidth = m.mappings().stream().mapToInt(r -> r.sourcePath().length()).max().orElse(0);
            int targetWidth = m.mappings().stream().mapToInt(r -> r.targetPath().length()).max().orElse(0);
            for (FieldMapping r : m.mappings()) {
                out.append("    ").append(pad(r.sourcePath(), sourceWidth)).append(" -> ")
                        .append(pad(r.targetPath(), targetWidth)).append("  ")
                        .append(r.required() ? "required" : "optional");
                r.converter().ifPresent(c -> out.append("  converter ").append(c));
                out.append('\n');
            }
        }

        out.append("\nConverters (built-in, then the connector's own as ").append(d.id()).append(":<name>):\n");
        Map<String, String> converters = TransformEngine.converters(connector);
        int converterWidth = converters.keySet().stream().mapToInt(String::length).max().orElse(0);
        converters.forEach((name, what) -> out.append("  ").append(pad(name, converterWidth)).append("  ").append(what)
                .append('\n'));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append("  ").append(pad(name + ":", 18)).append(value).append('\n');
    }

    private static String typeName(ConfigField field) {
        return field.type().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** JSON-native values as they are; others (a Duration default) as text. */
    private static Object plain(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof List ? value : value.toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
