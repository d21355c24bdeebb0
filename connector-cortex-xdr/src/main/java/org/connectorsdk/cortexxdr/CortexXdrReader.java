package org.connectorsdk.cortexxdr;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.StreamReader;

/**
 * One run's reader: endpoints page by page through {@link EndpointPager}, each page handed to
 * an {@link Enrichment} (the vulnerability join when findings are synced) before it leaves.
 * Incidents and alerts are declared streams whose reading comes in a later version.
 */
final class CortexXdrReader implements StreamReader {
    private final CortexXdrClient client;
    private final EndpointPager endpoints;
    private final Enrichment enrichment;

    CortexXdrReader(CortexXdrClient client, Enrichment enrichment) {
        this.client = requireNonNull(client, "client is null");
        this.endpoints = new EndpointPager(client);
        this.enrichment = requireNonNull(enrichment, "enrichment is null");
    }

    @Override
    public Page read(PageRequest request) {
        client.context().cancellation().throwIfCancelled();
        String stream = request.stream().name();
        if (stream.equals(CortexXdrConnector.ASSETS.name())) {
            Page page = endpoints.read(request);
            if (page.records().isEmpty()) {
                return page;
            }
            // pages leave the pager in ascending endpoint_id order, as the join needs
            return new Page(enrichment.attach(page.records()), page.next(), page.done(), page.totalCount());
        }
        throw unsupported(stream);
    }

    @Override
    public void close() {
        enrichment.close();
    }

    static ConnectorException unsupported(String stream) {
        return new ConnectorException(ErrorKind.UNSUPPORTED,
                "The cortex-xdr connector cannot read the '" + stream + "' stream yet (this version reads assets"
                        + " only)",
                "Remove '" + stream + "' from the instance's 'events' field until a version that reads it");
    }

    /**
     * Adds data to a page of endpoints sorted by {@code endpoint_id}, ids ascending across pages
     * (the vulnerability join attaches {@code cves[]} this way).
     */
    @FunctionalInterface
    interface Enrichment extends AutoCloseable {
        /** Leaves endpoints as they are. */
        Enrichment NONE = endpoints -> endpoints;

        List<Map<String, Object>> attach(List<Map<String, Object>> endpointsSortedById);

        @Override
        default void close() {
        }
    }
}
