package org.connectorsdk.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.FieldType;
import org.connectorsdk.runtime.ConnectorRegistry;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any SDK connector found by ServiceLoader beside this jar, as a Kafka Connect source
 * connector: {@code sdk.connector} names it, {@code sdk.instance} names the instance and
 * {@code sdk.config.<field>} carries each of its config fields (secrets typed PASSWORD).
 *
 * <p>One task per instance: a tenant's rate budget and its cursors stay in one place, so
 * {@link #taskConfigs} returns one config whatever {@code tasks.max} says. Spread tenants over
 * workers by running one connector per tenant.
 */
public final class SdkSourceConnector extends SourceConnector {
    private static final Logger LOG = LoggerFactory.getLogger(SdkSourceConnector.class);

    private final ConnectorRegistry registry = registry();
    private Map<String, String> props = Map.of();

    static ConnectorRegistry registry() {
        // the plugin directory's loader: the SDK plugins dropped beside this jar
        return ConnectorRegistry.fromClassLoader(SdkSourceConnector.class.getClassLoader());
    }

    @Override
    public String version() {
        return Versions.sdk();
    }

    @Override
    public void start(Map<String, String> props) {
        SdkConfig.Parsed parsed = ConnectErrors.call(() -> SdkConfig.parse(registry, props).require());
        this.props = Map.copyOf(props);
        LOG.info("{}: Kafka Connect source for SDK connector {} started", parsed.definition().name(),
                parsed.definition().connectorId());
    }

    /** One task: the instance's rate budget and cursors stay in one place. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
        props = Map.of();
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SdkSourceTask.class;
    }

    @Override
    public ConfigDef config() {
        return SdkConfig.definition(registry);
    }

    /**
     * The SDK connector's config problems on their {@code sdk.config.<field>} keys and, when
     * there are none, its connection checks: a failed check is reported with its message and
     * remediation on the key it concerns (reachability and TLS on the URL field, a rejected key
     * on the secret field).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Map<String, ConfigValue> values = new LinkedHashMap<>(config().validateAll(connectorConfigs));
        SdkConfig.Result result = SdkConfig.parse(registry, connectorConfigs);
        result.problems().forEach((key, messages) -> messages.forEach(m -> value(values, key).addErrorMessage(m)));
        result.parsed().ifPresent(parsed -> checkConnection(parsed).ifPresent(failure ->
                value(values, failure.key()).addErrorMessage(failure.message())));
        return new Config(new ArrayList<>(values.values()));
    }

    private record CheckFailure(String key, String message) {
    }

    private Optional<CheckFailure> checkConnection(SdkConfig.Parsed parsed) {
        Connector connector = registry.get(parsed.definition().connectorId());
        try (ConnectorRuntime runtime = ConnectorRuntime.builder().registry(registry).build()) {
            return runtime.test(parsed.definition()).firstFailure().map(r -> new CheckFailure(
                    SdkConfig.CONFIG_PREFIX + fieldOf(connector, r.kind()), describe(r)));
        } catch (ConnectorException e) {
            return Optional.of(new CheckFailure(SdkConfig.CONNECTOR, ConnectErrors.describe(e)));
        }
    }

    static String describe(CheckResult r) {
        return r.kind() + " check failed: " + r.message() + r.remediation().map(h -> " Remediation: " + h).orElse("");
    }

    /** The field a failed check concerns: where the host is for the network, the secret for the key. */
    private static String fieldOf(Connector connector, CheckKind kind) {
        FieldType type = switch (kind) {
            case NETWORK_REACHABILITY, TLS_HANDSHAKE -> FieldType.URL;
            default -> FieldType.SECRET;
        };
        List<ConfigField> fields = connector.configSpec().fields();
        return fields.stream().filter(f -> f.type() == type).map(ConfigField::name).findFirst()
                .orElse(fields.get(0).name());
    }

    private static ConfigValue value(Map<String, ConfigValue> values, String key) {
        return values.computeIfAbsent(key, ConfigValue::new);
    }

    /** Every record of a run and its cursors commit in one transaction when asked. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /** The task commits a transaction per run ({@code transaction.boundary=connector}). */
    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.SUPPORTED;
    }
}
