package org.connectorsdk.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConfigProblem;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.FieldType;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.runtime.ConnectorRegistry;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.ConnectorRuntimeBuilder;

/**
 * The testkit's harness: choose a connector by id (loaded through {@link java.util.ServiceLoader}
 * exactly as production loads it), give it a config, point it at a fixture server, and run its
 * connection checks or a sync through the real {@link ConnectorRuntime}, with an in-memory sink
 * and state store and captured logs:
 *
 * <pre>{@code
 * CheckReport report = ConnectorTestKit.connector("example-vulnscan")
 *         .config(Map.of("apiToken", "test-token", "pageSize", 2))
 *         .baseUrl(server.baseUrl())
 *         .trust(server.trustPem())
 *         .check();
 * assertThat(report).passedAll();
 *
 * SyncResult result = kit.sync();
 * assertThat(result).isProcessed().hasRecords("findings", 3);
 * }</pre>
 *
 * <p>Each {@link #check()} or {@link #sync()} builds a fresh runtime, so calls never share
 * state; {@link #register()} keeps one runtime and instance for several runs (delta runs,
 * faults injected after registration, cancellation). The chain is mutable and not thread-safe:
 * build it in the test's thread.
 */
public final class ConnectorTestKit {
    /** The instance name used unless {@link #instanceName(String)} says otherwise. */
    public static final String DEFAULT_INSTANCE = "test-instance";

    private static volatile ConnectorRegistry classPath;

    private final String connectorId;
    private final Connector connector;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private String instanceName = DEFAULT_INSTANCE;
    private String description = "";
    private Clock clock = Clock.systemUTC();
    private Consumer<ConnectorRuntimeBuilder> runtimeOptions = b -> { };
    private CapturedLogs lastLogs;
    private String trustedPem;
    private FixtureServer server;

    private ConnectorTestKit(String connectorId, Connector connector) {
        this.connectorId = connectorId;
        this.connector = connector;
    }

    /**
     * Starts a chain for the connector registered under {@code id} on the test class path.
     *
     * @throws AssertionError naming the connectors that were found when none has that id
     */
    public static ConnectorTestKit connector(String id) {
        requireNonNull(id, "id is null");
        ConnectorRegistry registry = registry();
        Connector found = registry.find(id).orElseThrow(() -> new AssertionError("No connector '" + id
                + "' on the test class path; found " + registry.ids()
                + (registry.problems().isEmpty() ? "" : ", and these failed to load: " + registry.problems())
                + ". Register the plugin with @AutoService(Connector.class) (or a META-INF/services/"
                + Connector.class.getName() + " entry) in its main or test sources"));
        return new ConnectorTestKit(id, found);
    }

    static ConnectorRegistry registry() {
        if (classPath == null) {
            synchronized (ConnectorTestKit.class) {
                if (classPath == null) {
                    classPath = ConnectorRegistry.fromClassPath();
                }
            }
        }
        return classPath;
    }

    /** Replaces the config with {@code values} (raw, as an instance file gives them; no name needed). */
    public ConnectorTestKit config(Map<String, ?> values) {
        config.clear();
        config.putAll(requireNonNull(values, "values is null"));
        return this;
    }

    /** Sets one config value. */
    public ConnectorTestKit set(String field, Object value) {
        config.put(requireNonNull(field, "field is null"), requireNonNull(value, "value is null"));
        return this;
    }

    /** Removes one config value. */
    public ConnectorTestKit without(String field) {
        config.remove(field);
        return this;
    }

    /**
     * Points the connector at {@code url}: sets its one {@code URL}-typed config field (or the one
     * named {@code baseUrl} when there are several).
     */
    public ConnectorTestKit baseUrl(String url) {
        return set(fieldOfType(FieldType.URL, "baseUrl"), url);
    }

    /**
     * Trusts the CA {@code pem} (e.g. {@link FixtureServer#trustPem()}) in every runtime the kit
     * builds, as {@link ConnectorRuntimeBuilder#trustedCertificates} does: the connector needs no
     * CA config field, and one it has is left alone.
     */
    public ConnectorTestKit trust(String pem) {
        this.trustedPem = requireNonNull(pem, "pem is null");
        return this;
    }

    /**
     * Points the connector at a {@link FixtureServer} and trusts its certificate. Faults the
     * server injects are named by {@link SyncResult#faults()} and in failed assertions about
     * a sync.
     */
    public ConnectorTestKit against(FixtureServer server) {
        this.server = server;
        return baseUrl(server.baseUrl()).trust(server.trustPem());
    }

    /** The instance's name ({@value #DEFAULT_INSTANCE} by default). */
    public ConnectorTestKit instanceName(String name) {
        this.instanceName = requireNonNull(name, "name is null");
        return this;
    }

    /** The instance's description (empty by default). */
    public ConnectorTestKit description(String text) {
        this.description = requireNonNull(text, "text is null");
        return this;
    }

    /**
     * The runtime's clock, e.g. a {@link MutableClock}, for run timestamps, delta windows and
     * schedules; the system clock by default. A {@link MutableClock} is the runtime's sleeper too:
     * backoff, {@code Retry-After} and rate-limit waits advance it instead of taking wall time.
     */
    public ConnectorTestKit clock(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        return this;
    }

    /** Further runtime options (page cap, delta window, workers) applied to every runtime built. */
    public ConnectorTestKit runtimeOptions(Consumer<ConnectorRuntimeBuilder> options) {
        this.runtimeOptions = requireNonNull(options, "options is null");
        return this;
    }

    /** The connector as loaded through ServiceLoader. */
    public Connector plugin() {
        return connector;
    }

    /** The connector's id. */
    public String id() {
        return connectorId;
    }

    /** The instance definition the chain describes, as a platform would register it. */
    public InstanceDefinition definition() {
        return new InstanceDefinition(connectorId, instanceName, description, config, Optional.empty());
    }

    /** The raw config with the instance's name and description, as the config spec validates it. */
    public Map<String, Object> rawConfig() {
        Map<String, Object> raw = new LinkedHashMap<>(definition().configWithIdentity());
        for (String identity : List.of("name", "description")) {
            if (connector.configSpec().field(identity).isEmpty() && !config.containsKey(identity)) {
                raw.remove(identity);
            }
        }
        return raw;
    }

    /** Every problem the connector's config spec finds in the config; empty when valid. */
    public List<ConfigProblem> validate() {
        return connector.configSpec().validate(rawConfig());
    }

    /** The config validated and bound, as the runtime gives it to the connector. */
    public ConnectorConfig boundConfig() {
        return connector.configSpec().bind(rawConfig());
    }

    /**
     * Runs the connection checks through the runtime, saving nothing. Logs of the run are in
     * {@link #lastLogs()}.
     *
     * @throws org.connectorsdk.api.ConnectorException of kind CONFIGURATION for an invalid config
     */
    public CheckReport check() {
        try (InstanceUnderTest instance = new InstanceUnderTest(this)) {
            lastLogs = CapturedLogs.startIfBound();
            try {
                return instance.runtime().test(definition());
            } finally {
                lastLogs.close();
            }
        }
    }

    /** Registers the instance (its checks must pass) on a fresh runtime and runs one sync. */
    public SyncResult sync() {
        try (InstanceUnderTest instance = register()) {
            SyncResult result = instance.sync();
            lastLogs = result.logs();
            return result;
        }
    }

    /**
     * Registers the instance on a fresh runtime (in-memory sink and state store) for several
     * operations; close it when done.
     *
     * @throws org.connectorsdk.api.ConnectorException when the config is invalid or a check fails
     */
    public InstanceUnderTest register() {
        InstanceUnderTest instance = new InstanceUnderTest(this);
        try {
            instance.runtime().register(definition());
            return instance;
        } catch (RuntimeException e) {
            instance.close();
            throw e;
        }
    }

    /** The logs captured during the last {@link #check()} or {@link #sync()}. */
    public CapturedLogs lastLogs() {
        if (lastLogs == null) {
            throw new IllegalStateException("Nothing ran yet: call check() or sync() first");
        }
        return lastLogs;
    }

    ConnectorRuntime buildRuntime(InMemoryRecordSink sink, InMemoryStateStore store) {
        ConnectorRuntimeBuilder builder = ConnectorRuntime.builder().registry(registry()).sink(sink)
                .stateStore(store).clock(clock).workers(1);
        if (clock instanceof MutableClock fake) {
            builder.sleeper(fake);
        }
        if (trustedPem != null) {
            builder.trustedCertificates(trustedPem);
        }
        runtimeOptions.accept(builder);
        return builder.build();
    }

    String instanceName() {
        return instanceName;
    }

    Optional<FixtureServer> server() {
        return Optional.ofNullable(server);
    }

    private String fieldOfType(FieldType type, String preferred) {
        List<ConfigField> candidates = connector.configSpec().fields().stream().filter(f -> f.type() == type).toList();
        if (candidates.size() == 1) {
            return candidates.get(0).name();
        }
        return candidates.stream().map(ConfigField::name).filter(preferred::equals).findFirst()
                .orElseThrow(() -> new IllegalStateException("Connector '" + connectorId + "' has "
                        + (candidates.isEmpty() ? "no " + type + " config field"
                        : type + " config fields " + candidates.stream().map(ConfigField::name).toList()
                        + " and none named '" + preferred + "'") + "; set the value with set(field, value)"));
    }

    @Override
    public String toString() {
        return "ConnectorTestKit[" + connectorId + "/" + instanceName + "]";
    }
}
