package org.connectorsdk.runtime.internal.sync;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Metrics;
import org.connectorsdk.api.Secret;
import org.connectorsdk.runtime.internal.http.HttpTransportFactory;
import org.connectorsdk.runtime.internal.http.RetryBudget;
import org.connectorsdk.runtime.internal.http.SettledRate;
import org.connectorsdk.runtime.internal.http.VendorClock;

/**
 * The context of one run (or one connection test) of one instance. Every transport it lends
 * shares the run's cancellation signal, metrics, retry budget and {@link VendorClock}.
 */
public final class DefaultConnectorContext implements ConnectorContext {
    private final String instanceName;
    private final List<String> secretValues;
    private final HttpTransportFactory transports;
    private final Clock clock;
    private final CancellationSignal cancellation;
    private final Metrics metrics;
    private final RetryBudget retryBudget;
    private final SettledRate settledRate = new SettledRate();
    private final VendorClock vendorClock;

    public DefaultConnectorContext(String instanceName, Collection<String> secretValues, HttpTransportFactory transports,
            Clock clock, CancellationSignal cancellation, Metrics metrics) {
        this.instanceName = requireNonNull(instanceName, "instanceName is null");
        this.secretValues = List.copyOf(requireNonNull(secretValues, "secretValues is null"));
        this.transports = requireNonNull(transports, "transports is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.cancellation = requireNonNull(cancellation, "cancellation is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.retryBudget = new RetryBudget(RetryBudget.DEFAULT_PER_RUN);
        this.vendorClock = transports.vendorClock();
    }

    /** The secret values of {@code config}, for the transport to redact; unresolvable ones are skipped. */
    public static List<String> secretValues(ConnectorConfig config) {
        List<String> out = new ArrayList<>();
        for (Object v : config.values().values()) {
            if (v instanceof Secret s) {
                try {
                    out.add(s.reveal());
                } catch (ConnectorException e) {
                    // the connector reports the missing variable or file when it needs the value
                }
            }
        }
        return out;
    }

    @Override
    public String instanceName() {
        return instanceName;
    }

    @Override
    public HttpTransport http(HttpSettings settings) {
        return transports.create(settings, secretValues, cancellation, metrics, retryBudget, settledRate,
                vendorClock);
    }

    /** The clocks of the tenants this context's transports talked to. */
    public VendorClock vendorClock() {
        return vendorClock;
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

    @Override
    public String toString() {
        return "ConnectorContext[" + instanceName + "]";
    }
}
