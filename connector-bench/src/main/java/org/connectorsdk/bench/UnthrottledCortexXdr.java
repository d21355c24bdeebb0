package org.connectorsdk.bench;

import java.time.Clock;
import java.util.List;
import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Metrics;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.cortexxdr.CortexXdrConnector;

/**
 * The Cortex XDR connector with its request budget lifted (the config allows at most 10
 * requests per second, a real tenant's limit), for the benchmarks that measure the data path
 * rather than the budget: throughput, memory and concurrency. Everything else is the real
 * connector; the runtime's rate limiter still runs, it just never waits.
 */
public final class UnthrottledCortexXdr implements Connector {
    /** Its connector id. */
    public static final String ID = "cortex-xdr-unthrottled";

    /** Requests per second given to the runtime's limiter: far above what the machine can send. */
    static final double BUDGET = 1_000_000;

    private final Connector delegate = new CortexXdrConnector();
    private final ConnectorDescriptor descriptor;

    /** Made by ServiceLoader. */
    public UnthrottledCortexXdr() {
        ConnectorDescriptor d = delegate.descriptor();
        this.descriptor = new ConnectorDescriptor(ID, d.vendor(), d.product(), d.category(), d.version(),
                d.assetTypes(), d.integrationType(), d.direction(), d.capabilities());
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return descriptor;
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
    public List<StreamSpec> selectedStreams(ConnectorConfig config) {
        return delegate.selectedStreams(config);
    }

    @Override
    public List<TransformMap> transformMaps() {
        return delegate.transformMaps();
    }

    @Override
    public List<TransformMap> activeMaps(ConnectorConfig config) {
        return delegate.activeMaps(config);
    }

    @Override
    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
        return delegate.open(config, new ConnectorContext() {
            @Override
            public String instanceName() {
                return context.instanceName();
            }

            @Override
            public HttpTransport http(HttpSettings s) {
                return context.http(new HttpSettings(s.rateLimitKey(), BUDGET, s.caCertificatePem(),
                        s.authenticator(), s.sensitiveHeaders(), s.transientServerError(), s.connectTimeout(),
                        s.requestTimeout(), s.maxRetries()));
            }

            @Override
            public Clock clock() {
                return context.clock();
            }

            @Override
            public CancellationSignal cancellation() {
                return context.cancellation();
            }

            @Override
            public Metrics metrics() {
                return context.metrics();
            }
        });
    }
}
