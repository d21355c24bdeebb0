package org.connectorsdk.runtime;

import java.time.Clock;
import java.util.Collection;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Metrics;

/** TEMPORARY stand-in for H2's transport factory (issue 3), deleted when the real one lands on main. */
final class HttpTransportFactory {
    HttpTransportFactory(Clock clock) {
    }

    HttpTransport create(HttpSettings settings, Collection<String> secretValues, CancellationSignal cancellation,
            Metrics metrics) {
        throw new ConnectorException(ErrorKind.INTERNAL, "HTTP transport not available in this build", null);
    }
}
