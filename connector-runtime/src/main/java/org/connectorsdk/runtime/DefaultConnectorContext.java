package org.connectorsdk.runtime;

import java.time.Clock;
import java.util.Collection;
import java.util.List;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Metrics;

/** TEMPORARY stand-in for H2's context (issue 3), deleted when the real one lands on main. */
final class DefaultConnectorContext implements ConnectorContext {
    private final String instanceName;
    private final List<String> secretValues;
    private final HttpTransportFactory factory;
    private final Clock clock;
    private final CancellationSignal cancellation;
    private final Metrics metrics;

    DefaultConnectorContext(String instanceName, Collection<String> secretValues, HttpTransportFactory factory,
            Clock clock, CancellationSignal cancellation, Metrics metrics) {
        this.instanceName = instanceName;
        this.secretValues = List.copyOf(secretValues);
        this.factory = factory;
        this.clock = clock;
        this.cancellation = cancellation;
        this.metrics = metrics;
    }

    @Override
    public String instanceName() {
        return instanceName;
    }

    @Override
    public HttpTransport http(HttpSettings settings) {
        return factory.create(settings, secretValues, cancellation, metrics);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public CancellationSignal cancellation() {
        return cancellation;
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }
}
