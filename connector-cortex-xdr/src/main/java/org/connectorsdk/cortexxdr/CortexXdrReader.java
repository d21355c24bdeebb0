package org.connectorsdk.cortexxdr;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.TimeWindow;

/**
 * One run's reader: each stream's name dispatched once, to its pager. {@code assets} pages
 * endpoints through {@link EndpointPager}, each page handed to an {@link Enrichment} (the
 * vulnerability join when findings are synced) before it leaves; {@code incidents} and
 * {@code alerts} page through {@link IncidentPager} and {@link AlertPager}, whose full-read
 * window reaches back the event lookback from the end of the runtime's window (from the moment
 * this reader is opened when a request carries no window); {@code software} through
 * {@link SoftwarePager}.
 */
final class CortexXdrReader implements StreamReader {
    private final CortexXdrClient client;
    private final Enrichment enrichment;
    private final Map<String, Function<PageRequest, Page>> pagers;
    private final SoftwarePager software;

    CortexXdrReader(CortexXdrClient client, Enrichment enrichment, EventSettings events) {
        this.client = requireNonNull(client, "client is null");
        this.enrichment = requireNonNull(enrichment, "enrichment is null");
        requireNonNull(events, "events is null");
        EndpointPager endpoints = new EndpointPager(client);
        this.software = new SoftwarePager(client);
        Instant openedAt = client.context().clock().instant();
        TimeWindow full = new TimeWindow(openedAt.minus(events.lookback()), openedAt);
        this.pagers = Map.of(
                CortexXdrConnector.ASSETS.name(), request -> enrich(endpoints.read(request)),
                CortexXdrConnector.INCIDENTS.name(), new IncidentPager(client, events, full)::read,
                CortexXdrConnector.ALERTS.name(), new AlertPager(client, events, full)::read,
                CortexXdrConnector.SOFTWARE.name(), software::read);
    }

    @Override
    public Page read(PageRequest request) {
        client.context().cancellation().throwIfCancelled();
        String stream = request.stream().name();
        Function<PageRequest, Page> pager = pagers.get(stream);
        if (pager == null) {
            throw unsupported(stream);
        }
        return pager.apply(request);
    }

    private Page enrich(Page page) {
        if (page.records().isEmpty()) {
            return page;
        }
        // pages leave the pager in ascending endpoint_id order, as the join needs
        return new Page(enrichment.attach(page.records()), page.next(), page.done(), page.totalCount());
    }

    @Override
    public void close() {
        try {
            enrichment.close();
        } finally {
            software.close();
        }
    }

    static ConnectorException unsupported(String stream) {
        return new ConnectorException(ErrorKind.UNSUPPORTED,
                "The cortex-xdr connector cannot read the '" + stream + "' stream (it reads assets, incidents,"
                        + " alerts and software)",
                "Ask only for the connector's streams: assets, incidents, alerts and software");
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
