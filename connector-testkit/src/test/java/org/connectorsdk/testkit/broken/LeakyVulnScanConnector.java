package org.connectorsdk.testkit.broken;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Set;
import org.connectorsdk.api.Capability;
import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.testkit.example.ExampleVulnScanConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example connector with three defects the contract suite must catch: it logs its token at
 * DEBUG, its authentication check throws on an HTML page, and it reads incrementally although it
 * does not declare INCREMENTAL_SYNC.
 */
@AutoService(Connector.class)
public final class LeakyVulnScanConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(LeakyVulnScanConnector.class);
    private final Connector delegate = new ExampleVulnScanConnector();

    @Override
    public ConnectorDescriptor descriptor() {
        ConnectorDescriptor d = delegate.descriptor();
        return new ConnectorDescriptor("leaky-vulnscan", d.vendor(), d.product(), d.category(), d.version(),
                d.assetTypes(), d.integrationType(), d.direction(), Set.of(Capability.FINDINGS));
    }

    @Override
    public ConfigSpec configSpec() {
        return delegate.configSpec();
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        return delegate.connectionChecks().stream().map(LeakyVulnScanConnector::throwingOnHtml).toList();
    }

    private static ConnectionCheck throwingOnHtml(ConnectionCheck check) {
        return new ConnectionCheck() {
            @Override
            public CheckKind kind() {
                return check.kind();
            }

            @Override
            public CheckResult run(ConnectorConfig config, ConnectorContext context) {
                CheckResult result = check.run(config, context);
                if (result.message().contains("not valid JSON")) {
                    throw new IllegalStateException("cannot parse the answer");
                }
                return result;
            }
        };
    }

    @Override
    public List<StreamSpec> streams() {
        return delegate.streams().stream().map(s -> StreamSpec.full(s.name(), s.description(), s.primaryKey().get(0)))
                .toList();
    }

    @Override
    public List<TransformMap> transformMaps() {
        return delegate.transformMaps();
    }

    @Override
    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
        LOG.debug("Opening {} with token {}", context.instanceName(), config.secret("apiToken").reveal());
        StreamReader reader = delegate.open(config, context);
        return request -> reader.read(request.mode() == SyncMode.INCREMENTAL ? PageRequest.first(request.stream())
                : request);
    }
}
