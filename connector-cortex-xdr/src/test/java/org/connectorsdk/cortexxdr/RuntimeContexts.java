package org.connectorsdk.cortexxdr;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;

import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.runtime.internal.http.Cancellation;
import org.connectorsdk.runtime.internal.http.HttpTransportFactory;
import org.connectorsdk.runtime.internal.sync.ConnectionTester;
import org.connectorsdk.runtime.internal.sync.CountingMetrics;
import org.connectorsdk.runtime.internal.sync.DefaultConnectorContext;
import org.connectorsdk.testkit.MutableClock;

/**
 * The plugin's tests on the runtime's real machinery (transport with retries, rate limit, trust
 * and redaction; the connection tester), taken from the runtime's internal packages: a context
 * like the one the runtime lends a run, without a runtime around it.
 */
public final class RuntimeContexts {
    private RuntimeContexts() {
    }

    /** A context like the runtime lends a run: a fresh transport factory on {@code clock}, real waits. */
    public static ConnectorContext context(String instance, Collection<String> secrets, Clock clock) {
        return new DefaultConnectorContext(instance, secrets, new HttpTransportFactory(clock), clock,
                new Cancellation(), new CountingMetrics());
    }

    /** A context on fake time: its waits (rate limit, backoff) advance {@code clock} instead of sleeping. */
    public static ConnectorContext onFakeTime(String instance, Collection<String> secrets, MutableClock clock) {
        return new DefaultConnectorContext(instance, secrets, new HttpTransportFactory(clock, clock, 7), clock,
                new Cancellation(), new CountingMetrics());
    }

    /** The counters of a context made here. */
    public static Map<String, Long> metrics(ConnectorContext context) {
        return ((CountingMetrics) context.metrics()).snapshot();
    }

    /** The connection test exactly as the runtime runs it. */
    public static CheckReport check(Connector connector, ConnectorConfig config, ConnectorContext context) {
        return new ConnectionTester().run(connector, config, context);
    }
}
