package org.connectorsdk.cortexxdr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

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
 * Reads {@code incidents}: {@code get_incidents}, 100 a page, {@code modification_time} within
 * the window, sorted by {@code modification_time} ascending.
 *
 * <p><b>Keyset paging.</b> An incident modified while we page leaves the frozen window (its new
 * time is past the window's end); with plain offsets every later incident would move one place
 * forward and one would be skipped for good. So each page asks again from the last modification
 * time read ({@code gte}), skipping by offset only the incidents already read at exactly that
 * time; those re-read at the edge are recognised by id and dropped. A page not sorted by time
 * would break this, so it fails the read rather than lose incidents.
 *
 * <p><b>Restricted incidents.</b> A key whose role is scoped gets the ids of the incidents it may
 * not see in {@code restricted_incident_ids} instead of the incidents; they count towards the
 * page (so a page is not taken for the last), are counted as {@code incidents.restricted} and
 * logged, and are not synced.
 *
 * <p><b>Filters.</b> One status goes to the API ({@code status eq}); several statuses, and
 * severities (which {@code get_incidents} cannot filter on), are applied to each page here.
 */
final class IncidentPager extends EventPager {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentPager.class);

    static final String API = "get_incidents";

    static final String SINCE = "since";
    static final String SKIP = "skip";
    static final String AT_SINCE = "idsAtSince";
    static final String WINDOW_TOTAL = "windowTotal";

    IncidentPager(CortexXdrClient client, EventSettings settings, TimeWindow full) {
        super(client, settings, full, API, CortexXdrClient.GET_INCIDENTS, "incidents", "incident_id",
                "modification_time");
    }

    Page read(PageRequest request) {
        client.context().cancellation().throwIfCancelled();
        TimeWindow window = window(request);
        long lte = window.to().toEpochMilli() - 1;
        Checkpoint cp = request.checkpoint();
        long since = cp.getLong(SINCE, window.from().toEpochMilli());
        long skip = cp.getLong(SKIP, 0);
        Set<String> atSince = new TreeSet<>();
        cp.get(AT_SINCE).ifPresent(v -> ((List<?>) v).forEach(o -> atSince.add(String.valueOf(o))));
        long windowTotal = cp.getLong(WINDOW_TOTAL, -1);
        if (lte < since) {
            return Page.last(List.of(), cp);
        }

        List<Map<String, Object>> filters = new ArrayList<>();
        filters.add(filter("modification_time", "gte", since));
        filters.add(filter("modification_time", "lte", lte));
        if (settings.incidentStatuses().size() == 1) {
            filters.add(filter("status", "eq", settings.incidentStatuses().get(0)));
        }
        Items page = fetch(filters, skip);
        JsonNode list = page.list();
        OptionalLong total = page.total();
        if (windowTotal < 0 && total.isPresent()) {
            windowTotal = total.getAsLong();
        }

        List<Map<String, Object>> out = new ArrayList<>(list.size());
        long last = since;
        long previous = Long.MIN_VALUE;
        Set<String> atLast = new TreeSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode incident = unwrap(list.get(i));
            int number = i + 1;
            String id = id(incident).orElseThrow(() -> malformed("incident #" + number
                    + " of the page at modification_time " + since + " has no incident_id"));
            long time = time(incident).orElseThrow(() -> malformed("incident " + id
                    + " has neither modification_time nor creation_time"));
            if (time < previous) {
                throw new ConnectorException(ErrorKind.BAD_RESPONSE,
                        "Cortex XDR returned get_incidents out of modification_time order (incident " + id + " at "
                                + time + " after " + previous + "); stopping rather than miss incidents",
                        "The tenant ignores the sort on modification_time; contact Palo Alto Networks support,"
                                + " and check that the Base URL points at the tenant's API host");
            }
            previous = time;
            if (time > last) {
                last = time;
                atLast.clear();
            }
            if (time == last) {
                atLast.add(id);
            }
            if (time == since && atSince.contains(id) || !firstSighting(id, time) || !wanted(incident)) {
                continue;
            }
            out.add(record(incident, id));
        }

        // incidents withheld by the key's scope still take their places on the page
        long served = list.size() + (long) page.restricted();
        if (page.restricted() > 0) {
            client.context().metrics().count("incidents.restricted", page.restricted());
            LOG.warn("cortex-xdr: {} incidents of this page are outside the API key's scope"
                    + " (restricted_incident_ids) and are not synced", page.restricted());
        }
        boolean done = served < PAGE_SIZE || total.isPresent() && total.getAsLong() <= skip + served;
        Checkpoint next;
        if (last == since) {
            // the whole page sat at one time: step over it by offset
            atSince.addAll(atLast);
            next = checkpoint(since, skip + served, atSince, windowTotal);
        } else {
            next = checkpoint(last, 0, atLast, windowTotal);
        }
        return new Page(out, next, done, windowTotal >= 0 ? OptionalLong.of(windowTotal) : OptionalLong.empty());
    }

    private static Checkpoint checkpoint(long since, long skip, Set<String> ids, long windowTotal) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(SINCE, since);
        values.put(SKIP, skip);
        values.put(AT_SINCE, List.copyOf(ids));
        if (windowTotal >= 0) {
            values.put(WINDOW_TOTAL, windowTotal);
        }
        return new Checkpoint(values);
    }

    /** Some replies wrap an item as {@code {"incident": {...}}}. */
    static JsonNode unwrap(JsonNode item) {
        if (item.isObject() && !item.has("incident_id") && item.path("incident").isObject()) {
            return item.get("incident");
        }
        return item;
    }

    private static OptionalLong time(JsonNode incident) {
        OptionalLong t = millis(incident.get("modification_time"));
        return t.isPresent() ? t : millis(incident.get("creation_time"));
    }

    private boolean wanted(JsonNode incident) {
        String status = incident.path("status").asText("").toLowerCase(Locale.ROOT);
        String severity = incident.path("severity").asText("").toLowerCase(Locale.ROOT);
        if (settings.incidentStatuses().size() > 1 && !settings.incidentStatuses().contains(status)) {
            return false;
        }
        return settings.incidentSeverities().isEmpty() || settings.incidentSeverities().contains(severity);
    }

    private static ConnectorException malformed(String what) {
        return new ConnectorException(ErrorKind.BAD_RESPONSE, "Cortex XDR answered " + API + " with an unusable"
                + " incident: " + what, Remediation.BAD_RESPONSE);
    }
}
