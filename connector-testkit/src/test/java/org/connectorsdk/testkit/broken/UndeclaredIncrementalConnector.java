package org.connectorsdk.testkit.broken;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Set;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.testkit.example.ExampleVulnScanConnector;

/** The example connector with its incremental stream but without the INCREMENTAL_SYNC capability. */
@AutoService(Connector.class)
public final class UndeclaredIncrementalConnector implements Connector {
    private final Connector delegate = new ExampleVulnScanConnector();

    @Override
    public ConnectorDescriptor descriptor() {
        ConnectorDescriptor d = delegate.descriptor();
        return new ConnectorDescriptor("undeclared-incremental", d.vendor(), d.product(), d.category(), d.version(),
                d.assetTypes(), d.integrationType(), d.direction(), Set.of());
    }

    @Override
    public ConfigSpec configSpec() {
        return delegate.configSpec();
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        return delegate.connectionChecks();
    }

    @Override
    public List<StreamSpec> streams() {
        return delegate.streams();
    }

    @Override
    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
        return delegate.open(config, context);
    }
}
