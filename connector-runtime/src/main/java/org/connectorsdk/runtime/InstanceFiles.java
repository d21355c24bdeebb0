package org.connectorsdk.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.DeltaWindow;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.FileReference;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.runtime.transform.TransformMapJson;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads instance files, the JSON form of an instance that {@code check}, {@code sync} and
 * {@code run} take:
 *
 * <pre>{@code
 * {"connector": "cortex-xdr", "name": "tenant-eu", "description": "EU production tenant",
 *  "config": {"baseUrl": "https://api-acme.xdr.eu.paloaltonetworks.com", "apiKey": "env:CORTEX_XDR_API_KEY", ...},
 *  "schedule": {"type": "recurring", "every": "P1D", "start": "2026-05-13T16:37", "zone": "Asia/Calcutta"}}
 * }</pre>
 *
 * <p>Every problem is a {@link ConnectorException} of kind {@link ErrorKind#CONFIGURATION} whose
 * message is one line naming the file and what is wrong with it. The config itself is validated
 * later, against the connector's spec.
 */
public final class InstanceFiles {
    private static final Set<String> KNOWN = Set.of("connector", "name", "description", "config", "schedule",
            "transformMaps", "pollIntervals", "deltaWindow", "runDeadline");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private InstanceFiles() {
    }

    /**
     * An instance file's content.
     *
     * @param definition    the instance
     * @param transformMaps the {@code "transformMaps"} overrides keyed by map name, as parsed
     *                      JSON (see {@link TransformMapJson}); empty when the file has none
     */
    public record Content(InstanceDefinition definition, Map<String, Object> transformMaps) {
        public Content {
            requireNonNull(definition, "definition is null");
            transformMaps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(
                    requireNonNull(transformMaps, "transformMaps is null")));
        }
    }

    /** Reads the instance defined in {@code file}. */
    public static InstanceDefinition read(Path file) {
        return load(file).definition();
    }

    /** Reads {@code file} whole: the instance and its raw transform map overrides. */
    public static Content load(Path file) {
        requireNonNull(file, "file is null");
        String origin = "Instance file " + file;
        String text = FileReference.read(origin, file, FileReference.MAX_INSTANCE_BYTES);
        return parse(text, origin);
    }

    /**
     * Reads an instance from JSON text in the instance file's form, e.g. a request body.
     *
     * @param origin where the text came from, as problems name it: {@code "Instance file x.json"},
     *               {@code "The request body"}
     */
    public static Content parse(String text, String origin) {
        requireNonNull(text, "text is null");
        requireNonNull(origin, "origin is null");
        if (text.isBlank()) {
            throw problem(origin, "is empty; it must hold a JSON object");
        }
        Map<String, Object> doc;
        try {
            doc = JSON.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw problem(origin, "is not a valid JSON object" + where + ": " + e.getOriginalMessage()
                    .lines().findFirst().orElse(""));
        }
        if (doc == null) {
            throw problem(origin, "holds null; it must hold a JSON object");
        }
        for (String key : doc.keySet()) {
            if (!KNOWN.contains(key)) {
                throw problem(origin, "has an unknown field \"" + key + "\"; known fields are connector, name, "
                        + "description, config, schedule, transformMaps, pollIntervals, deltaWindow, runDeadline");
            }
        }
        String connector = requiredString(origin, doc, "connector", "the connector id, e.g. cortex-xdr");
        String name = requiredString(origin, doc, "name", "the instance's unique name, e.g. tenant-eu");
        Object description = doc.getOrDefault("description", "");
        if (!(description instanceof String)) {
            throw problem(origin, "has a \"description\" that is not a string");
        }
        Object config = doc.getOrDefault("config", Map.of());
        if (!(config instanceof Map<?, ?> configMap)) {
            throw problem(origin, "has a \"config\" that is not a JSON object");
        }
        Optional<ScheduleSpec> schedule = Optional.empty();
        Object rawSchedule = doc.get("schedule");
        if (rawSchedule != null) {
            if (!(rawSchedule instanceof Map<?, ?> scheduleMap)) {
                throw problem(origin, "has a \"schedule\" that is not a JSON object");
            }
            try {
                schedule = Optional.of(ScheduleSpec.fromMap(stringKeys(scheduleMap)));
            } catch (ConnectorException e) {
                throw problem(origin, "has an invalid schedule: " + e.getMessage());
            }
        }
        Object rawMaps = doc.getOrDefault("transformMaps", Map.of());
        if (!(rawMaps instanceof Map<?, ?> maps)) {
            throw problem(origin, "has a \"transformMaps\" that is not a JSON object keyed by map name");
        }
        InstanceDefinition definition = new InstanceDefinition(connector, name, (String) description,
                stringKeys(configMap), schedule, pollIntervals(origin, doc.get("pollIntervals")),
                deltaWindow(origin, doc.get("deltaWindow")), runDeadline(origin, doc.get("runDeadline")));
        return new Content(definition, stringKeys(maps));
    }

    /** {@code "runDeadline": "PT2H"}: a positive ISO-8601 duration. */
    private static Optional<Duration> runDeadline(String origin, Object raw) {
        if (raw == null) {
            return Optional.empty();
        }
        Duration d;
        try {
            d = raw instanceof String text ? Duration.parse(text) : null;
        } catch (DateTimeParseException e) {
            d = null;
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw problem(origin, "has a runDeadline '" + raw + "' that is not a positive ISO-8601 duration such as "
                    + "PT2H");
        }
        return Optional.of(d);
    }

    /**
     * {@code "deltaWindow": {"overlap": "PT15M", "settle": "PT2M"}}; a part left out keeps
     * {@link DeltaWindow#DEFAULT}'s.
     */
    private static Optional<DeltaWindow> deltaWindow(String origin, Object raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String example = "e.g. {\"overlap\": \"PT15M\", \"settle\": \"PT2M\"}";
        if (!(raw instanceof Map<?, ?> m) || !Set.of("overlap", "settle").containsAll(stringKeys(m).keySet())) {
            throw problem(origin, "has a \"deltaWindow\" that is not a JSON object with \"overlap\" and \"settle\", "
                    + example);
        }
        Duration[] parts = {DeltaWindow.DEFAULT.overlap(), DeltaWindow.DEFAULT.settle()};
        String[] names = {"overlap", "settle"};
        for (int i = 0; i < 2; i++) {
            Object value = m.get(names[i]);
            if (value == null) {
                continue;
            }
            try {
                parts[i] = Duration.parse(String.valueOf(value));
            } catch (DateTimeParseException e) {
                parts[i] = null;
            }
            if (parts[i] == null || parts[i].isNegative()) {
                throw problem(origin, "has a deltaWindow " + names[i] + " '" + value
                        + "' that is not an ISO-8601 duration of zero or more, " + example);
            }
        }
        return Optional.of(new DeltaWindow(parts[0], parts[1]));
    }

    /** {@code "pollIntervals": {"incidents": "PT2M"}}: ISO-8601 durations by stream name. */
    private static Map<String, Duration> pollIntervals(String origin, Object raw) {
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> m)) {
            throw problem(origin, "has a \"pollIntervals\" that is not a JSON object of stream name to duration, "
                    + "e.g. {\"incidents\": \"PT2M\"}");
        }
        Map<String, Duration> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : stringKeys(m).entrySet()) {
            Duration d;
            try {
                d = Duration.parse(String.valueOf(e.getValue()));
            } catch (DateTimeParseException ex) {
                d = null;
            }
            if (d == null || d.isNegative() || d.isZero()) {
                throw problem(origin, "has a poll interval '" + e.getValue() + "' for stream '" + e.getKey()
                        + "' that is not a positive ISO-8601 duration such as PT5M");
            }
            out.put(e.getKey(), d);
        }
        return out;
    }

    private static String requiredString(String origin, Map<String, Object> doc, String key, String what) {
        Object v = doc.get(key);
        if (v == null || (v instanceof String s && s.isBlank())) {
            throw problem(origin, "has no \"" + key + "\" (" + what + ")");
        }
        if (!(v instanceof String s)) {
            throw problem(origin, "has a \"" + key + "\" that is not a string (" + what + ")");
        }
        return s;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static ConnectorException problem(String origin, String what) {
        return new ConnectorException(ErrorKind.CONFIGURATION, origin + " " + what,
                "Correct the instance file; see the README's instance file example");
    }
}
