package org.connectorsdk.api;

import java.time.Clock;

/**
 * What the runtime lends a plugin for one instance: an HTTP transport, a clock, a cancellation
 * signal and metrics. Plugins never build their own HTTP client.
 */
public interface ConnectorContext {
    /** The instance's name, for messages. */
    String instanceName();

    /**
     * A transport with the runtime's retries, backoff, rate limit, trust and redaction, bound to
     * {@code settings}. Transports sending to the same tenant (scheme, host and port) share one
     * request budget, whatever their {@link HttpSettings#rateLimitKey()}.
     */
    HttpTransport http(HttpSettings settings);

    Clock clock();

    CancellationSignal cancellation();

    Metrics metrics();
}
