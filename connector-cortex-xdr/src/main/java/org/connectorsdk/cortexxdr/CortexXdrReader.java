package org.connectorsdk.cortexxdr;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.StreamReader;

/**
 * One run's reader: endpoints page by page through {@link EndpointPager}. Incidents and alerts
 * are declared streams whose reading comes in a later version.
 */
final class CortexXdrReader implements StreamReader {
    private final CortexXdrClient client;
    private final EndpointPager endpoints;

    CortexXdrReader(CortexXdrClient client) {
        this.client = client;
        this.endpoints = new EndpointPager(client);
    }

    @Override
    public Page read(PageRequest request) {
        client.context().cancellation().throwIfCancelled();
        String stream = request.stream().name();
        if (stream.equals(CortexXdrConnector.ASSETS.name())) {
            return endpoints.read(request);
        }
        throw unsupported(stream);
    }

    static ConnectorException unsupported(String stream) {
        return new ConnectorException(ErrorKind.UNSUPPORTED,
                "The cortex-xdr connector cannot read the '" + stream + "' stream yet (this version reads assets"
                        + " only)",
                "Remove '" + stream + "' from the instance's 'events' field until a version that reads it");
    }
}
