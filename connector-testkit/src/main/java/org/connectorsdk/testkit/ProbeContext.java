package org.connectorsdk.testkit;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Metrics;
import org.connectorsdk.api.ProbeResult;

/**
 * A context for asking a connector what it refuses, without a network: its transport can be
 * made but refuses to send, so a connector must refuse an undeclared capability before any
 * request (the contract suite's capability checks).
 */
final class ProbeContext implements ConnectorContext {
    static final String NO_REQUESTS = "The testkit's capability probe sends no requests: refuse what the connector does"
            + " not declare before calling the vendor";

    private final Clock clock;

    ProbeContext(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String instanceName() {
        return "capability-probe";
    }

    @Override
    public HttpTransport http(HttpSettings settings) {
        return new HttpTransport() {
            @Override
            public Response send(Request request) {
                throw refused();
            }

            @Override
            public StreamingResponse open(Request request) {
                throw refused();
            }

            @Override
            public ProbeResult probeTcp(URI uri, Duration timeout) {
                throw refused();
            }

            @Override
            public ProbeResult probeTls(URI uri, Duration timeout) {
                throw refused();
            }
        };
    }

    private static ConnectorException refused() {
        return new ConnectorException(ErrorKind.INTERNAL, NO_REQUESTS, null);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public CancellationSignal cancellation() {
        return CancellationSignal.NONE;
    }

    @Override
    public Metrics metrics() {
        return Metrics.NONE;
    }
}
