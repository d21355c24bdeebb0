package org.connectorsdk.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        try {
            Shape shape = shape(map.map().sourceStream());
            if (shape.jsonLines()) {
                try (MappingIterator<Object> values = JSON.readerFor(Object.class).readValues(input.toFile())) {
                    while (values.hasNextValue()) {
                        apply(map, record(values.nextValue(), in + 1), out, err);
                    }
                }
            } else {
                try (JsonParser parser = JSON.createParser(input.toFile())) {
                    parser.nextToken();
                    if (shape.path().isEmpty() && parser.currentToken() == JsonToken.START_OBJECT) {
                        apply(map, record(JSON.readValue(parser, Object.class), 1), out, err);
                    } else {
                        for (String field : shape.path()) {
                            enter(parser, field);
                        }
                        // one record at a time: a reply of any size is never held whole
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            apply(map, record(JSON.readValue(parser, Object.class), in + 1), out, err);
                        }
                    }
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
     * Where the records of the input are, found in a first pass that skips their content (so
     * memory stays flat): several top-level values are JSON Lines; otherwise the path of object
     * fields to the array of records (none for a bare array or a single record).
     */
    private record Shape(boolean jsonLines, List<String> path) { }

    private Shape shape(String sourceStream) throws IOException {
        try (JsonParser parser = JSON.createParser(input.toFile())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw badInput("Input file " + input + " is empty", "Give a vendor reply or JSON Lines of records");
            }
            List<String> path = first == JsonToken.START_OBJECT ? recordsPath(parser, sourceStream)
                    : first == JsonToken.START_ARRAY ? List.of() : null;
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return new Shape(true, List.of());
            }
            if (path == null) {
                throw badInput("Input file " + input + " holds a single " + (first.isNumeric() ? "number"
                        : first.isBoolean() ? "boolean" : first == JsonToken.VALUE_NULL ? "null" : "string")
                        + ", not records",
                        "Give a vendor reply, a JSON array, or one JSON object per line");
            }
            return new Shape(false, path);
        }
    }

    /**
     * With the parser on the start of an object: {@code ["reply"]} when its reply is an array,
     * {@code ["reply", name]} when the reply object has one array {@code name}, empty when the
     * object is a record itself. Leaves the parser at the end of the object.
     */
    private List<String> recordsPath(JsonParser parser, String sourceStream) throws IOException {
        List<String> path = List.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("reply")) {
                if (value == JsonToken.START_ARRAY) {
                    path = List.of("reply");
                } else if (value == JsonToken.START_OBJECT) {
                    path = List.of("reply", replyArray(parser, sourceStream));
                } else {
                    throw badInput("Input file " + input + " has a \"reply\" that holds no records",
                            "Give a reply with records");
                }
            }
            parser.skipChildren();
        }
        return path;
    }

    /** The one array field of a reply object (its error envelope refused), the parser left at its end. */
    private String replyArray(JsonParser parser, String sourceStream) throws IOException {
        List<String> arrays = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        Map<String, String> error = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            keys.add(field);
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_ARRAY) {
                arrays.add(field);
            } else if ((field.equals("err_code") || field.equals("err_msg")) && value.isScalarValue()) {
                error.put(field, parser.getValueAsString());
            }
            parser.skipChildren();
        }
        if (!error.isEmpty()) {
            throw badInput("Input file " + input + " is an error reply: " + error.get("err_code") + " "
                    + error.get("err_msg"), "Give a successful reply");
        }
        // in a reply with several arrays (e.g. incidents beside restricted_incident_ids), the one
        // named after the map's source stream holds the records
        if (arrays.contains(sourceStream)) {
            return sourceStream;
        }
        if (arrays.size() != 1) {
            throw badInput("Input file " + input + " has a reply with " + arrays.size()
                    + " arrays; cannot tell which holds the records (keys: " + keys + ")",
                    "Extract the records into a JSON array or JSON Lines");
        }
        return arrays.get(0);
    }

    /** Moves the parser, inside an object, to the value of {@code field}, skipping the fields before it. */
    private static void enter(JsonParser parser, String field) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean found = parser.currentName().equals(field);
            parser.nextToken();
            if (found) {
                return;
            }
            parser.skipChildren();
        }
        throw new IOException("field " + field + " vanished between two reads of the input");
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
