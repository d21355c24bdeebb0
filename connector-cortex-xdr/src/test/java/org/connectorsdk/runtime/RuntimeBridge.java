package org.connectorsdk.runtime;

import java.time.Clock;
import java.util.Collection;

import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;

/**
 * Test-only door into the runtime's package-private machinery, so the plugin's tests run on
 * the real transport (retries, rate limit, trust, redaction) and the real connection tester.
 */
public final class RuntimeBridge {
    private RuntimeBridge() {
    }

    /** A context like the runtime lends a run: a fresh transport factory on {@code clock}. */
    public static ConnectorContext context(String instance, Collection<String> secrets, Clock clock) {
        return new DefaultConnectorContext(instance, secrets, new HttpTransportFactory(clock), clock,
                new Cancellation(), new CountingMetrics());
    }

    /** The connection test exactly as the runtime runs it. */
    public static CheckReport check(Connector connector, ConnectorConfig config, ConnectorContext context) {
        return new ConnectionTester().run(connector, config, context);
    }
}
