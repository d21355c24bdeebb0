package org.connectorsdk.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.runtime.transform.TransformOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code transform --connector <id> --map <name> --input FILE}: applies one transform map to raw
 * vendor records and prints the target records as JSON Lines on stdout. Rejections and warnings
 * go to stderr, one line each, then a one-line summary. Exit code 0, 1 if any record was
 * rejected, 2 for bad input.
 *
 * <p>The input is a vendor reply ({@code {"reply": {"endpoints": [...]}}}, {@code {"reply": [...]}};
 * where the reply holds several arrays, the one named after the map's source stream), a bare
 * JSON array of records, or JSON Lines with one raw record per line.
 */
@Command(name = "transform", mixinStandardHelpOptions = true,
        description = "Apply a transform map to raw vendor records; print target records as JSON Lines.")
final class TransformCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    ConnectorsCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--connector", required = true, paramLabel = "ID", description = "The connector id, e.g. cortex-xdr.")
    String connectorId;

    @Option(names = "--map", paramLabel = "NAME",
            description = "The transform map's name, as 'describe' shows it; default: the map active by default.")
    String mapName;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "A raw vendor reply, a JSON array of records, or JSON Lines of records.")
    Path input;

    private int in;
    private int written;
    private int rejected;
    private int dropped;

    @Override
    public Integer call() {
        Connector connector = cli.registry().get(connectorId);
        CompiledMap map = TransformEngine.compile(choose(connector));
        if (!Files.isRegularFile(input)) {
            throw badInput("Input file " + input + " does not exist or is not a file", "Give a readable file to --input");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (MappingIterator<Object> values = JSON.readerFor(Object.class).readValues(input.toFile())) {
            if (!values.hasNextValue()) {
                throw badInput("Input file " + input + " is empty", "Give a vendor reply or JSON Lines of records");
            }
            Object first = values.nextValue();
            if (values.hasNextValue()) {
                // several top-level values: JSON Lines of records
                apply(map, record(first, 1), out, err);
                while (values.hasNextValue()) {
                    apply(map, record(values.nextValue(), in + 1), out, err);
                }
            } else {
                List<?> records = records(first, map.map().sourceStream());
                for (Object record : records) {
                    apply(map, record(record, in + 1), out, err);
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw badInput("Input file " + input + " is not JSON or JSON Lines"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ": "
                    + e.getOriginalMessage(), "Give a vendor reply, a JSON array, or one JSON object per line");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + input, e);
        }
        out.flush();
        err.println("transform: " + in + " records read, " + written + " written, " + rejected + " rejected, "
                + dropped + " findings dropped (" + map.map().name() + ", " + map.modelKind() + " model "
                + map.modelVersion() + ")");
        err.flush();
        return rejected > 0 ? ConnectorsCli.EXIT_FAILURE : ConnectorsCli.EXIT_OK;
    }

    private TransformMap choose(Connector connector) {
        List<TransformMap> maps = connector.transformMaps();
        String names = String.join(", ", maps.stream().map(m -> "'" + m.name() + "'").toList());
        if (mapName == null) {
            List<TransformMap> active = maps.stream().filter(TransformMap::activeByDefault).toList();
            if (active.size() != 1) {
                throw badInput("Connector '" + connectorId + "' has " + active.size()
                        + " maps active by default: name one with --map (maps: " + names + ")", "Add --map NAME");
            }
            return active.get(0);
        }
        return maps.stream().filter(m -> m.name().equals(mapName)).findFirst().orElseThrow(() -> badInput(
                "Connector '" + connectorId + "' has no transform map '" + mapName + "' (maps: "
                        + (maps.isEmpty() ? "none" : names) + ")",
                "Use a map name as 'connectors describe " + connectorId + "' shows it"));
    }

    private void apply(CompiledMap map, Map<String, Object> record, PrintWriter out, PrintWriter err) throws IOException {
        in++;
        TransformOutcome outcome = map.apply(record, in);
        outcome.warnings().forEach(w -> err.println("warning: " + w));
        dropped += outcome.droppedFindings();
        if (outcome.rejected()) {
            rejected++;
            outcome.rejections().forEach(r -> err.println("rejected: " + r));
        } else {
            written++;
            out.println(JSON.writeValueAsString(outcome.record().get()));
        }
    }

    /**
     * The records of a single JSON document: a reply envelope, a bare array or one record. In a
     * reply with several arrays (e.g. {@code incidents} beside {@code restricted_incident_ids}),
     * the one named after the map's source stream holds the records.
     */
    private List<?> records(Object document, String sourceStream) {
        if (document instanceof List<?> list) {
            return list;
        }
        if (!(document instanceof Map<?, ?> object)) {
            throw badInput("Input file " + input + " holds a " + document.getClass().getSimpleName()
                    + ", not records", "Give a vendor reply, a JSON array, or one JSON object per line");
        }
        if (!object.containsKey("reply")) {
            return List.of(object);
        }
        Object reply = object.get("reply");
        if (reply instanceof List<?> list) {
            return list;
        }
        if (reply instanceof Map<?, ?> body) {
            if (body.containsKey("err_code") || body.containsKey("err_msg")) {
                throw badInput("Input file " + input + " is an error reply: " + body.get("err_code") + " "
                        + body.get("err_msg"), "Give a successful reply");
            }
            if (body.get(sourceStream) instanceof List<?> named) {
                return named;
            }
            List<?> arrays = body.values().stream().filter(v -> v instanceof List).toList();
            if (arrays.size() == 1) {
                return (List<?>) arrays.get(0);
            }
            throw badInput("Input file " + input + " has a reply with " + arrays.size()
                    + " arrays; cannot tell which holds the records (keys: " + body.keySet() + ")",
                    "Extract the records into a JSON array or JSON Lines");
        }
        throw badInput("Input file " + input + " has a \"reply\" that holds no records", "Give a reply with records");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> record(Object value, int number) {
        if (!(value instanceof Map)) {
            throw badInput("Input file " + input + ": record #" + number + " is not a JSON object",
                    "Every record must be a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static ConnectorException badInput(String message, String remediation) {
        return new ConnectorException(ErrorKind.CONFIGURATION, message, remediation);
    }
}
