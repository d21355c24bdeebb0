package org.connectorsdk.runtime;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Set;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;

/** Registered on the test class path with {@code @AutoService}, as a real plugin would be. */
@AutoService(Connector.class)
public final class RegistryTestConnector implements Connector {
    static final String ID = "registry-test";

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(ID, "Test Vendor", "Registry Test", "Testing", "0.0.1",
                List.of("none"), "In-process", "Unidirectional", Set.of());
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of(ConfigField.string("name").required().build());
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        return List.of();
    }

    @Override
    public List<StreamSpec> streams() {
        return List.of(StreamSpec.full("items", "test items", "id"));
    }

    @Override
    public StreamReader open(org.connectorsdk.api.ConnectorConfig config, ConnectorContext context) {
        throw new ConnectorException(ErrorKind.UNSUPPORTED, "The registry test connector reads nothing", null);
    }
}
