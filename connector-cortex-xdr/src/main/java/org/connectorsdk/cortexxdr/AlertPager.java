package org.connectorsdk.cortexxdr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * <p><b>Keyset paging on server time.</b> Each page asks again from the checkpoint's server time
 * ({@code gte}, offset 0) and emits only the alerts before the page's last server time, which it
 * holds completely; the next page starts at that time. An alert's server time is fixed when the
 * tenant ingests it, so the checkpoint, one number, is a position in the run's frozen window that
 * no alert arriving, changing or becoming visible late can shift: the next page, whether read a
 * millisecond later or by a run resuming this one hours later, neither skips nor repeats an
 * alert. Offsets would be shifted by each of those, and the API refuses offsets past 10,000.
 * Each page's alerts leave in (server time, {@code alert_id}) order.
 *
 * <p><b>A page or more in one millisecond.</b> A full page at one server time is read on its own,
 * by offset within that millisecond (the API sorts on one field only), ids already emitted at
 * that time dropped. More alerts in one millisecond than the API serves of one query cannot be
 * read: the read fails (the run ends ERRORED) rather than skip them silently.
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

    static final String SINCE = "since";
    /** Present while one millisecond is read by offset: the offset it has reached. */
    static final String TIE_OFFSET = "tieOffset";

    /** Ids are numbers as text: shorter first, so 9 comes before 10. */
    private static final Comparator<Alert> ORDER = Comparator.comparingLong(Alert::serverTime)
            .thenComparingInt((Alert a) -> a.id().length()).thenComparing(Alert::id);

    /** An alert of a page with the server time it is paged by. */
    private record Alert(String id, long serverTime, JsonNode item) {
    }

    /** Whether this tenant answered {@code get_alerts_multi_events} with 404: an older tenant. */
    private boolean legacy;

    AlertPager(CortexXdrClient client, EventSettings settings, TimeWindow full) {
        super(client, settings, full, API, CortexXdrClient.GET_ALERTS, "alerts", "alert_id", "server_creation_time");
    }

    Page read(PageRequest request) {
        client.context().cancellation().throwIfCancelled();
        TimeWindow window = window(request);
        long end = window.to().toEpochMilli();
        Checkpoint cp = request.checkpoint();
        long since = cp.getLong(SINCE, window.from().toEpochMilli());
        if (since >= end) {
            return Page.last(List.of(), checkpoint(end, -1));
        }
        if (cp.get(TIE_OFFSET).isPresent()) {
            return readTie(since, cp.getLong(TIE_OFFSET, 0));
        }
        JsonNode list = fetchAlerts(since, end, 0).list();
        List<Alert> alerts = alerts(list, since);
        if (list.size() < PAGE_SIZE) {
            // the rest of the window is on this page
            return Page.last(emit(alerts, Long.MAX_VALUE), checkpoint(end, -1));
        }
        long last = alerts.get(alerts.size() - 1).serverTime();
        if (last > since) {
            return new Page(emit(alerts, last), checkpoint(last, -1), false, OptionalLong.empty());
        }
        // a full page at one server time: read that millisecond on its own, by offset
        client.context().metrics().count("alerts.ties", 1);
        LOG.debug("cortex-xdr: {} alerts or more with server_creation_time {}; reading that millisecond by offset",
                PAGE_SIZE, since);
        return new Page(List.of(), checkpoint(since, 0), false, OptionalLong.empty());
    }

    /** A page of the alerts of millisecond {@code at}, from {@code offset}. */
    private Page readTie(long at, long offset) {
        Items page = fetchAlerts(at, at + 1, offset);
        if (offset == 0 && page.total().isPresent() && page.total().getAsLong() >= TOTAL_CAP) {
            throw tooManyAtOnce(at);
        }
        List<Alert> alerts = alerts(page.list(), at);
        long next = offset + page.list().size();
        if (page.list().size() < PAGE_SIZE) {
            return new Page(emit(alerts, Long.MAX_VALUE), checkpoint(at + 1, -1), false, OptionalLong.empty());
        }
        if (next + PAGE_SIZE > RESULT_WINDOW) {
            throw tooManyAtOnce(at);
        }
        return new Page(emit(alerts, Long.MAX_VALUE), checkpoint(at, next), false, OptionalLong.empty());
    }

    /** A page from {@code get_alerts_multi_events}, or from {@link LegacyAlerts} on an older tenant. */
    private Items fetchAlerts(long from, long toExclusive, long offset) {
        if (!legacy) {
            List<Map<String, Object>> filters = new ArrayList<>();
            filters.add(filter("server_creation_time", "gte", from));
            filters.add(filter("server_creation_time", "lte", toExclusive - 1));
            if (!settings.alertSeverities().isEmpty()) {
                filters.add(filter("severity", "in", settings.alertSeverities()));
            }
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
                LegacyAlerts.request(from, toExclusive, offset, PAGE_SIZE, settings.alertSeverities()))));
        return new Items(list(LegacyAlerts.API, reply, "alerts"), totalCount(reply));
    }

    /**
     * The page's alerts in the vendor's order, checked to ascend on the time the call sorts on:
     * {@code local_insert_ts}, or on an older tenant {@code source_insert_ts}.
     */
    private List<Alert> alerts(JsonNode list, long from) {
        String field = legacy ? LegacyAlerts.SERVER_TIME : SERVER_TIME;
        List<Alert> out = new ArrayList<>(list.size());
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < list.size(); i++) {
            JsonNode alert = LegacyAlerts.normalise(list.get(i));
            int number = i + 1;
            String id = id(alert).orElseThrow(() -> malformed("alert #" + number + " of the page at"
                    + " server_creation_time " + from + " has no alert_id"));
            long time = millis(alert.get(field)).orElseThrow(() -> malformed("alert " + id + " has no " + field));
            if (time < previous) {
                throw new ConnectorException(ErrorKind.BAD_RESPONSE, "Cortex XDR returned " + API + " out of"
                        + " server_creation_time order (alert " + id + " at " + time + " after " + previous
                        + "); stopping rather than miss alerts",
                        "The tenant ignores the sort on server_creation_time; contact Palo Alto Networks support,"
                                + " and check that the Base URL points at the tenant's API host");
            }
            previous = time;
            out.add(new Alert(id, time, alert));
        }
        return out;
    }

    /** The alerts before {@code end}, once each, in the total order. */
    private List<Map<String, Object>> emit(List<Alert> alerts, long end) {
        return alerts.stream().filter(a -> a.serverTime() < end).sorted(ORDER)
                .filter(a -> firstSighting(a.id(), a.serverTime())).map(a -> record(a.item(), a.id())).toList();
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

    private static ConnectorException malformed(String what) {
        return new ConnectorException(ErrorKind.BAD_RESPONSE, "Cortex XDR answered " + API + " with an unusable"
                + " alert: " + what, Remediation.BAD_RESPONSE);
    }

    /** The position {@code since}, inside that millisecond at {@code tieOffset} unless it is negative. */
    private static Checkpoint checkpoint(long since, long tieOffset) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(SINCE, since);
        if (tieOffset >= 0) {
            values.put(TIE_OFFSET, tieOffset);
        }
        return new Checkpoint(values);
    }
}
