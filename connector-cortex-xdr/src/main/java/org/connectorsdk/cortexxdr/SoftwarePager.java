package org.connectorsdk.cortexxdr;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code software}: the installed applications of every endpoint, from one XQL query per
 * run over the Host Insights host inventory ({@value #QUERY}), its rows streamed and handed out
 * {@value #PAGE_ROWS} a page, so memory does not grow with the tenant. Field names and the
 * preset are documented in the module's {@code NOTES-software.md}, with what is known and what
 * is assumed.
 *
 * <p>The query starts with the first page; waiting for it, the tenant's limit of parallel
 * queries and the result stream are {@link XqlClient}'s, as for the vulnerability enrichment.
 * A checkpoint holds the number of rows already handed out: should the stream break, the page
 * fails, and the retried page step runs a fresh query and skips that many rows (the query sorts
 * them, so the same rows come first again). A tenant without the XQL licence (Host Insights)
 * fails the run with {@link ErrorKind#LICENSE} and says how to go on without the stream.
 */
final class SoftwarePager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SoftwarePager.class);

    /** One row per (endpoint, installed application), sorted so a re-run query repeats the order. */
    static final String QUERY = String.join(" ",
            "preset = host_inventory_applications",
            "| fields endpoint_id, endpoint_name, application_name, vendor, version, installation_date",
            "| sort asc endpoint_id, asc application_name, asc version");

    /**
     * How far back the query looks: the inventory holds each endpoint's latest report; a week
     * covers endpoints that did not report every day.
     */
    static final Duration TIMEFRAME = Duration.ofDays(7);

    /** Rows handed out per page. */
    static final int PAGE_ROWS = 500;

    /** Checkpoint key: rows already handed out in this run. */
    static final String ROWS = "rows";

    private final XqlClient xql;
    private final CortexXdrClient client;
    private XqlClient.Rows rows;
    private long position;

    SoftwarePager(CortexXdrClient client) {
        this.client = requireNonNull(client, "client is null");
        this.xql = new XqlClient(client);
    }

    Page read(PageRequest request) {
        client.context().cancellation().throwIfCancelled();
        long handedOut = request.checkpoint().getLong(ROWS, 0);
        try {
            if (rows == null || position != handedOut) {
                start(handedOut);
            }
            List<Map<String, Object>> out = new ArrayList<>(PAGE_ROWS);
            while (out.size() < PAGE_ROWS && rows.hasNext()) {
                out.add(new LinkedHashMap<>(rows.next()));
            }
            position += out.size();
            client.context().metrics().count("xql.rows", out.size());
            boolean done = !rows.hasNext();
            if (done) {
                closeRows();
            }
            return new Page(out, Checkpoint.of(ROWS, position), done, OptionalLong.empty());
        } catch (RuntimeException e) {
            // the rows passed are gone: a retried page step starts a fresh query
            closeRows();
            throw e;
        }
    }

    private void start(long skip) {
        closeRows();
        LOG.info("cortex-xdr: starting the XQL software query over the host inventory{}",
                skip > 0 ? " (resuming after " + skip + " rows)" : "");
        try {
            XqlClient.Result result = xql.await(xql.start(QUERY, TIMEFRAME));
            if (result.partial()) {
                LOG.warn("cortex-xdr: the XQL software query {} was only PARTIAL_SUCCESS: some endpoints may lack"
                        + " applications in this run", result.queryId());
                client.context().metrics().count("xql.partial", 1);
            }
            rows = xql.rows(result);
        } catch (ConnectorException e) {
            if (e.kind() == ErrorKind.LICENSE) {
                String said = e.getMessage().contains(" (HTTP ")
                        ? e.getMessage().substring(e.getMessage().lastIndexOf(" (HTTP ")) : "";
                throw new ConnectorException(ErrorKind.LICENSE, "Cortex XDR refused the installed-software query: the"
                        + " tenant is not licensed for XQL over the host inventory (Host Insights)" + said,
                        Remediation.SOFTWARE_LICENCE, e);
            }
            throw e;
        }
        position = 0;
        while (position < skip && rows.hasNext()) {
            rows.next();
            position++;
        }
    }

    private void closeRows() {
        if (rows != null) {
            try {
                rows.close();
            } finally {
                rows = null;
            }
        }
    }

    /** Releases the result stream, if one is open. */
    @Override
    public void close() {
        closeRows();
    }
}
