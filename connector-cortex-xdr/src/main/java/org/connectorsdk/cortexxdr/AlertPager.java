package org.connectorsdk.cortexxdr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.TimeWindow;

/**
 * Reads {@code alerts}: {@code /public_api/v2/alerts/get_alerts_multi_events}, 100 a page, with
 * {@code server_creation_time} within the window (server ingest time: {@code creation_time} is
 * the endpoint's clock, and alerts from hosts that were offline arrive with old creation times
 * that a window on it would miss), sorted by it ascending.
 *
 * <p><b>The 9,999 cap.</b> The API reports at most 9,999 as {@code total_count} and refuses
 * offsets past 10,000 results. A window whose first page reports the cap is split in halves,
 * and each half is paged (split again if it is still capped). The windows still to read are a
 * stack kept in the checkpoint, earlier half on top, so alerts leave in time order. Should a
 * window still reach offset 10,000 (a tenant that leaves out {@code total_count}), the read
 * restarts from the server time of the last alert read, the re-read edge dropped by id. More
 * alerts than that in one millisecond cannot be read through the API: the read fails (the run
 * ends ERRORED) rather than skip them silently.
 *
 * <p>Alerts come in the v2 shape (event fields as arrays) or the v1 one (one value each); both
 * pass through unchanged for the transform map, with {@code alert_id} as text. A tenant without
 * {@code get_alerts_multi_events} is read through {@link LegacyAlerts}, whose {@code alert_fields}
 * shape is rewritten into the current names.
 */
final class AlertPager extends EventPager {
    private static final Logger LOG = LoggerFactory.getLogger(AlertPager.class);

    static final String API = "get_alerts_multi_events";
    /** What {@code total_count} says when there may be more. */
    static final long TOTAL_CAP = 9_999;
    /** The furthest offset the API serves. */
    static final long RESULT_WINDOW = 10_000;
    /** The alert field holding the server (ingest) time that {@code server_creation_time} filters on. */
    static final String SERVER_TIME = "local_insert_ts";

    static final String WINDOWS = "windows";
    static final String OFFSET = "offset";

    /** Whether this tenant answered {@code get_alerts_multi_events} with 404: an older tenant. */
    private boolean legacy;

    AlertPager(CortexXdrClient client, EventSettings settings, TimeWindow full) {
        super(client, settings, full, API, CortexXdrClient.GET_ALERTS, "alerts", "alert_id", "server_creation_time");
    }

    Page read(PageRequest request) {
        client.context().cancellation().throwIfCancelled();
        Checkpoint cp = request.checkpoint();
        List<long[]> windows = new ArrayList<>();
        if (cp.isStart()) {
            TimeWindow w = window(request);
            if (w.to().isAfter(w.from())) {
                windows.add(new long[] {w.from().toEpochMilli(), w.to().toEpochMilli()});
            }
        } else {
            cp.get(WINDOWS).ifPresent(v -> ((List<?>) v).forEach(o -> {
                List<?> pair = (List<?>) o;
                windows.add(new long[] {((Number) pair.get(0)).longValue(), ((Number) pair.get(1)).longValue()});
            }));
        }
        long offset = cp.getLong(OFFSET, 0);
        if (windows.isEmpty()) {
            return Page.last(List.of(), checkpoint(windows, 0));
        }
        long[] top = windows.get(windows.size() - 1);
        long from = top[0];
        long to = top[1];

        List<Map<String, Object>> filters = new ArrayList<>();
        filters.add(filter("server_creation_time", "gte", from));
        filters.add(filter("server_creation_time", "lte", to - 1));
        if (!settings.alertSeverities().isEmpty()) {
            filters.add(filter("severity", "in", settings.alertSeverities()));
        }
        Items page = fetchAlerts(filters, from, to, offset);
        JsonNode list = page.list();
        OptionalLong total = page.total();
        boolean capped = total.isPresent() && total.getAsLong() >= TOTAL_CAP;

        if (offset == 0 && capped && to - from <= 1) {
            throw tooManyAtOnce(from);
        }
        if (offset == 0 && capped) {
            long mid = from + (to - from) / 2;
            windows.remove(windows.size() - 1);
            windows.add(new long[] {mid, to});
            windows.add(new long[] {from, mid});
            client.context().metrics().count("alerts.window.splits", 1);
            LOG.debug("cortex-xdr: {} alerts or more with server_creation_time in [{}, {}); reading its halves",
                    TOTAL_CAP, from, to);
            return new Page(List.of(), checkpoint(windows, 0), false, OptionalLong.empty());
        }

        List<Map<String, Object>> out = new ArrayList<>(list.size());
        long lastTime = from;
        for (int i = 0; i < list.size(); i++) {
            JsonNode alert = LegacyAlerts.normalise(list.get(i));
            int number = i + 1;
            String id = id(alert).orElseThrow(() -> new ConnectorException(
                    ErrorKind.BAD_RESPONSE, "Cortex XDR answered " + API + " with alert #" + number
                            + " of the page at search_from " + offset + " lacking an alert_id",
                    Remediation.BAD_RESPONSE));
            OptionalLong serverTime = millis(alert.get(SERVER_TIME));
            if (serverTime.isPresent()) {
                lastTime = Math.max(lastTime, serverTime.getAsLong());
            }
            if (!firstSighting(id, serverTime.orElse(-1))) {
                continue;
            }
            out.add(record(alert, id));
        }

        long next = offset + list.size();
        boolean windowDone = list.size() < PAGE_SIZE || total.isPresent() && !capped && next >= total.getAsLong();
        if (windowDone) {
            windows.remove(windows.size() - 1);
            next = 0;
        } else if (next + PAGE_SIZE > RESULT_WINDOW) {
            windows.remove(windows.size() - 1);
            if (lastTime > from) {
                // the API serves no further offset: go on from the last server time read
                windows.add(new long[] {lastTime, to});
            } else {
                throw tooManyAtOnce(from);
            }
            next = 0;
        }
        // no total: each window has its own, and the runtime checks the page count of the stream against it
        return new Page(out, checkpoint(windows, next), windows.isEmpty(), OptionalLong.empty());
    }

    /** A page from {@code get_alerts_multi_events}, or from {@link LegacyAlerts} on an older tenant. */
    private Items fetchAlerts(List<Map<String, Object>> filters, long from, long to, long offset) {
        if (!legacy) {
            try {
                return fetch(filters, offset);
            } catch (ConnectorException e) {
                if (!LegacyAlerts.multiEventsMissing(e)) {
                    throw e;
                }
                legacy = true;
                LOG.info("cortex-xdr: the tenant has no {}; reading alerts with {}", API, LegacyAlerts.API);
            }
        }
        JsonNode reply = CortexXdrClient.reply(client.parse(LegacyAlerts.API, client.send(LegacyAlerts.PATH,
                LegacyAlerts.request(from, to, offset, PAGE_SIZE, settings.alertSeverities()))));
        return new Items(list(LegacyAlerts.API, reply, "alerts"), totalCount(reply));
    }

    /** The run ends ERRORED rather than publish a millisecond's alerts in part. */
    private static ConnectorException tooManyAtOnce(long serverTime) {
        return new ConnectorException(ErrorKind.BAD_RESPONSE,
                "More than " + TOTAL_CAP + " Cortex XDR alerts share server_creation_time " + serverTime + " ("
                        + Instant.ofEpochMilli(serverTime) + "); " + API + " serves at most " + RESULT_WINDOW
                        + " results of one query and no narrower filter splits one millisecond, so the read stops"
                        + " rather than skip alerts",
                "Narrow the alerts this instance reads with 'alertSeverityFilter', or contact Palo Alto Networks"
                        + " support about the burst; the next sync tries again");
    }

    private static Checkpoint checkpoint(List<long[]> windows, long offset) {
        List<List<Long>> stack = new ArrayList<>(windows.size());
        for (long[] w : windows) {
            stack.add(List.of(w[0], w[1]));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(WINDOWS, stack);
        values.put(OFFSET, offset);
        return new Checkpoint(values);
    }
}
