package org.connectorsdk.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConfigProblem;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.DeltaWindow;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.runtime.ConnectorRegistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Connect configuration of an SDK connector: its keys, typed from the connector's
 * {@link org.connectorsdk.api.ConfigSpec}, and how a Connect config becomes an SDK instance.
 */
final class SdkConfig {
    static final String CONNECTOR = "sdk.connector";
    static final String INSTANCE = "sdk.instance";
    static final String CONFIG_PREFIX = "sdk.config.";
    static final String TRANSFORM_MAPS = "sdk.transform.maps";
    static final String POLL_INTERVAL_PREFIX = "sdk.poll.interval.";
    static final String TOPIC_PREFIX = "topic.prefix";
    static final String TOPIC_OVERRIDE_PREFIX = "sdk.topic.";
    static final String STREAMS = "sdk.streams";
    static final String DELTA_OVERLAP = "sdk.delta.overlap";
    static final String DELTA_SETTLE = "sdk.delta.settle";

    /** The SDK's own field that the instance name fills. */
    private static final String NAME_FIELD = "name";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A Connect config read as an SDK instance, with where each stream's records go.
     *
     * @param streams the streams the task reads, in the connector's order: {@code sdk.streams}, or
     *                every stream the instance config selects
     */
    record Parsed(InstanceDefinition definition, Map<String, Object> transformMaps, String topicPrefix,
            Map<String, String> topicOverrides, List<String> streams) {
    }

    private SdkConfig() {
    }

    /**
     * Every key: the fixed ones, then {@code sdk.config.<field>}, {@code sdk.poll.interval.<stream>}
     * and {@code sdk.topic.<stream>} of every connector in {@code registry} (a field two connectors
     * declare is defined once, as the first declares it).
     */
    static ConfigDef definition(ConnectorRegistry registry) {
        ConfigDef def = new ConfigDef()
                .define(CONNECTOR, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                        "The SDK connector's id, e.g. cortex-xdr; known here: " + registry.ids())
                .define(INSTANCE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                        "The instance's name: names its source partitions and appears in every record's _meta. "
                                + "One task runs one instance, so a tenant's rate budget stays in one place.")
                .define(TOPIC_PREFIX, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                        "Records of stream S go to the topic <prefix>.S unless sdk.topic.S names another.")
                .define(STREAMS, Type.LIST, "", Importance.MEDIUM,
                        "The streams this connector reads, comma-separated, among those the instance config "
                                + "selects; empty (the default) for all of them.")
                .define(TRANSFORM_MAPS, Type.STRING, "", Importance.LOW,
                        "Transform map overrides as JSON, the same object as an instance file's \"transformMaps\".")
                .define(DELTA_OVERLAP, Type.STRING, null, Importance.LOW,
                        "How far before its watermark an incremental read starts again, as an ISO-8601 duration "
                                + "(records delivered before inside it are skipped); default: each stream's own ("
                                + DeltaWindow.DEFAULT.overlap() + " unless the connector says otherwise). Given "
                                + "alone, " + DELTA_SETTLE + " is " + DeltaWindow.DEFAULT.settle() + ".")
                .define(DELTA_SETTLE, Type.STRING, null, Importance.LOW,
                        "How long before now an incremental read stops, so records still being written are read "
                                + "by the next run, as an ISO-8601 duration; default: each stream's own ("
                                + DeltaWindow.DEFAULT.settle() + " unless the connector says otherwise). Given "
                                + "alone, " + DELTA_OVERLAP + " is " + DeltaWindow.DEFAULT.overlap() + ".");
        for (String id : registry.ids()) {
            Connector connector = registry.get(id);
            for (ConfigField f : connector.configSpec().fields()) {
                String key = CONFIG_PREFIX + f.name();
                if (!f.name().equals(NAME_FIELD) && !def.configKeys().containsKey(key)) {
                    def.define(key, typeOf(f), null, f.required() ? Importance.HIGH : Importance.MEDIUM,
                            documentation(id, f));
                }
            }
            for (StreamSpec s : connector.streams()) {
                if (!def.configKeys().containsKey(POLL_INTERVAL_PREFIX + s.name())) {
                    def.define(POLL_INTERVAL_PREFIX + s.name(), Type.STRING, null, Importance.LOW,
                            "How often stream " + s.name() + " is polled, as an ISO-8601 duration; default "
                                    + s.defaultPollInterval().map(Duration::toString).orElse("once a day")
                                    + " (the stream's own).");
                    def.define(TOPIC_OVERRIDE_PREFIX + s.name(), Type.STRING, null, Importance.LOW,
                            "The topic of stream " + s.name() + " instead of <topic.prefix>." + s.name() + ".");
                }
            }
        }
        return def;
    }

    private static String documentation(String connectorId, ConfigField f) {
        String text = connectorId + ": " + f.label() + (f.description().isEmpty() ? "" : ". " + f.description());
        if (f.secret()) {
            text += " A secret: give it through a ConfigProvider (${file:...}, ${env:...}) or as env:NAME / file:PATH.";
        }
        return text;
    }

    /** Secrets become PASSWORD, so Connect masks them; the SDK's own checks do the rest. */
    private static Type typeOf(ConfigField f) {
        return switch (f.type()) {
            case SECRET -> Type.PASSWORD;
            case BOOLEAN -> Type.BOOLEAN;
            case ENUM_LIST -> Type.LIST;
            default -> Type.STRING;
        };
    }

    /**
     * Reads {@code props} as an instance of its connector, collecting every problem by Connect
     * key instead of throwing; {@code parsed} is empty when there are problems.
     */
    static Result parse(ConnectorRegistry registry, Map<String, String> props) {
        requireNonNull(props, "props is null");
        Map<String, List<String>> problems = new LinkedHashMap<>();
        String connectorId = props.get(CONNECTOR);
        String instance = props.get(INSTANCE);
        String prefix = props.get(TOPIC_PREFIX);
        require(problems, CONNECTOR, connectorId, "the SDK connector's id, one of " + registry.ids());
        require(problems, INSTANCE, instance, "the instance's name, e.g. tenant-eu");
        require(problems, TOPIC_PREFIX, prefix, "the topic prefix, e.g. xdr: stream assets then goes to xdr.assets");
        Connector connector = null;
        if (connectorId != null && !connectorId.isBlank()) {
            try {
                connector = registry.get(connectorId);
            } catch (ConnectorException e) {
                add(problems, CONNECTOR, e.getMessage());
            }
        }
        if (connector == null) {
            return new Result(Optional.empty(), problems);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        for (ConfigField f : connector.configSpec().fields()) {
            String value = props.get(CONFIG_PREFIX + f.name());
            if (value != null && !f.name().equals(NAME_FIELD)) {
                config.put(f.name(), f.type() == org.connectorsdk.api.FieldType.ENUM_LIST
                        ? ConfigDef.parseType(CONFIG_PREFIX + f.name(), value, Type.LIST) : value);
            }
        }
        for (String key : props.keySet()) {
            if (key.startsWith(CONFIG_PREFIX) && connector.configSpec().field(key.substring(CONFIG_PREFIX.length()))
                    .isEmpty()) {
                add(problems, key, "is not a config field of " + connectorId + "; its fields are "
                        + connector.configSpec().fields().stream().map(ConfigField::name).toList());
            }
        }
        Map<String, Duration> intervals = new TreeMap<>();
        Map<String, String> topics = new TreeMap<>();
        List<String> streams = connector.streams().stream().map(StreamSpec::name).toList();
        for (Map.Entry<String, String> e : props.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(POLL_INTERVAL_PREFIX)) {
                String stream = key.substring(POLL_INTERVAL_PREFIX.length());
                if (knownStream(problems, key, stream, streams)) {
                    duration(problems, key, e.getValue(), false).ifPresent(d -> intervals.put(stream, d));
                }
            } else if (key.startsWith(TOPIC_OVERRIDE_PREFIX) && knownStream(problems, key,
                    key.substring(TOPIC_OVERRIDE_PREFIX.length()), streams)) {
                topics.put(key.substring(TOPIC_OVERRIDE_PREFIX.length()), e.getValue());
            }
        }
        Map<String, Object> maps = transformMaps(problems, props.getOrDefault(TRANSFORM_MAPS, ""));
        Optional<DeltaWindow> deltaWindow = deltaWindow(problems, props);
        List<String> named = ConfigDef.parseType(STREAMS, props.getOrDefault(STREAMS, ""), Type.LIST) instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.of();
        named.forEach(s -> knownStream(problems, STREAMS, s, streams));
        if (instance == null || instance.isBlank() || prefix == null || prefix.isBlank()) {
            return new Result(Optional.empty(), problems);
        }
        InstanceDefinition definition = new InstanceDefinition(connectorId, instance, "", config, Optional.empty(),
                intervals, deltaWindow);
        List<ConfigProblem> configProblems = connector.configSpec().validate(definition.configWithIdentity());
        for (ConfigProblem p : configProblems) {
            add(problems, p.field().equals(NAME_FIELD) ? INSTANCE : CONFIG_PREFIX + p.field(), p.message());
        }
        if (!configProblems.isEmpty()) {
            return new Result(Optional.empty(), problems);
        }
        List<String> selected = connector.selectedStreams(connector.configSpec().bind(definition.configWithIdentity()))
                .stream().map(StreamSpec::name).toList();
        named.stream().filter(s -> streams.contains(s) && !selected.contains(s)).forEach(s -> add(problems, STREAMS,
                "names stream '" + s + "', which the instance config does not select; it selects " + selected
                        + ": select it with the sdk.config fields of " + connectorId + ", or leave it out"));
        List<String> read = named.isEmpty() ? selected : selected.stream().filter(named::contains).toList();
        return new Result(problems.isEmpty() ? Optional.of(new Parsed(definition, maps, prefix, topics, read))
                : Optional.empty(), problems);
    }

    /** The outcome of {@link #parse}: an instance, or the problems by Connect key. */
    record Result(Optional<Parsed> parsed, Map<String, List<String>> problems) {
        /** The instance, or a {@link ConnectorException} naming every problem. */
        Parsed require() {
            return parsed.orElseThrow(() -> new ConnectorException(org.connectorsdk.api.ErrorKind.CONFIGURATION,
                    "Invalid Kafka Connect configuration: " + problems, "Correct the named keys and submit the "
                            + "connector config again (PUT /connectors/<name>/config)"));
        }
    }

    private static void require(Map<String, List<String>> problems, String key, String value, String what) {
        if (value == null || value.isBlank()) {
            add(problems, key, "is required: " + what);
        }
    }

    private static boolean knownStream(Map<String, List<String>> problems, String key, String stream,
            List<String> streams) {
        if (streams.contains(stream)) {
            return true;
        }
        add(problems, key, "names stream '" + stream + "', which the connector does not have; its streams are "
                + streams);
        return false;
    }

    private static Optional<Duration> duration(Map<String, List<String>> problems, String key, String value,
            boolean zeroAllowed) {
        try {
            Duration d = Duration.parse(value.strip());
            if (!d.isNegative() && (zeroAllowed || !d.isZero())) {
                return Optional.of(d);
            }
        } catch (DateTimeParseException e) {
            // reported below with the value
        }
        add(problems, key, "must be a" + (zeroAllowed ? " non-negative" : " positive")
                + " ISO-8601 duration such as PT5M, got '" + value + "'");
        return Optional.empty();
    }

    /** The instance's delta window: a part left out keeps the default's, as in an instance file. */
    private static Optional<DeltaWindow> deltaWindow(Map<String, List<String>> problems, Map<String, String> props) {
        String overlap = props.get(DELTA_OVERLAP);
        String settle = props.get(DELTA_SETTLE);
        if (overlap == null && settle == null) {
            return Optional.empty();
        }
        Optional<Duration> o = overlap == null ? Optional.of(DeltaWindow.DEFAULT.overlap())
                : duration(problems, DELTA_OVERLAP, overlap, true);
        Optional<Duration> s = settle == null ? Optional.of(DeltaWindow.DEFAULT.settle())
                : duration(problems, DELTA_SETTLE, settle, true);
        return o.isPresent() && s.isPresent() ? Optional.of(new DeltaWindow(o.get(), s.get())) : Optional.empty();
    }

    private static Map<String, Object> transformMaps(Map<String, List<String>> problems, String json) {
        if (json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            add(problems, TRANSFORM_MAPS, "is not a JSON object of transform map overrides: "
                    + e.getOriginalMessage());
            return Map.of();
        }
    }

    static void add(Map<String, List<String>> problems, String key, String message) {
        problems.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }
}
