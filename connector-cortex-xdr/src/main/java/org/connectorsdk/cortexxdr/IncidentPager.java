package org.connectorsdk.cortexxdr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

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
 * <p><b>Keyset paging in a total order.</b> Offsets cannot be trusted: an incident modified
 * while we page leaves the frozen window and shifts every later one, and a vendor may order
 * incidents of equal {@code modification_time} differently on every request. So each page asks
 * again from the checkpoint's time ({@code gte}, offset 0) and emits only the incidents before
 * the page's last time, which it holds completely; the next page starts at that last time. A
 * full page sitting at one time (a tie larger than a page) is read on its own, by
 * {@code creation_time} the same way; should more than a page share both times, the read fails
 * rather than skip incidents. Each page's incidents leave in ({@code modification_time},
 * {@code incident_id}) order. The checkpoint is two numbers, and nothing a read keeps grows
 * with the pages it reads. A page not sorted by time fails the read rather than lose incidents.
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
    /** Present while a tie at {@link #SINCE} is read: the creation time it has reached. */
    static final String TIE_CREATED = "tieCreatedFrom";
    static final String WINDOW_TOTAL = "windowTotal";

    /** Ids are numbers as text: shorter first, so 9 comes before 10. */
    private static final Comparator<Incident> ORDER = Comparator.comparingLong(Incident::modified)
            .thenComparingInt((Incident i) -> i.id().length()).thenComparing(Incident::id);

    /** An incident of a page with the times it is paged by. */
    private record Incident(String id, long modified, long created, JsonNode item) {
    }

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
        long windowTotal = cp.getLong(WINDOW_TOTAL, -1);
        if (lte < since) {
            return Page.last(List.of(), cp);
        }
        boolean inTie = cp.get(TIE_CREATED).isPresent();
        long createdFrom = cp.getLong(TIE_CREATED, 0);

        List<Map<String, Object>> filters = new ArrayList<>();
        filters.add(filter("modification_time", "gte", since));
        filters.add(filter("modification_time", "lte", inTie ? since : lte));
        if (inTie) {
            filters.add(filter("creation_time", "gte", createdFrom));
        }
        if (settings.incidentStatuses().size() == 1) {
            filters.add(filter("status", "eq", settings.incidentStatuses().get(0)));
        }
        Items page = fetch(filters, 0, inTie ? "creation_time" : "modification_time");
        OptionalLong total = page.total();
        if (windowTotal < 0 && total.isPresent() && !inTie) {
            windowTotal = total.getAsLong();
        }
        OptionalLong reported = windowTotal >= 0 ? OptionalLong.of(windowTotal) : OptionalLong.empty();
        List<Incident> incidents = incidents(page.list(), since, inTie);
        // incidents withheld by the key's scope still take their places on the page
        long served = incidents.size() + (long) page.restricted();
        if (page.restricted() > 0) {
            client.context().metrics().count("incidents.restricted", page.restricted());
            LOG.warn("cortex-xdr: {} incidents of this page are outside the API key's scope"
                    + " (restricted_incident_ids) and are not synced", page.restricted());
        }
        boolean whole = served < PAGE_SIZE || total.isPresent() && total.getAsLong() <= served;
        if (!whole && incidents.isEmpty()) {
            throw new ConnectorException(ErrorKind.AUTHORIZATION, "Cortex XDR withheld a whole page of " + PAGE_SIZE
                    + " incidents from modification_time " + since + " (restricted_incident_ids), so the read cannot"
                    + " page past them without skipping the incidents after them",
                    "Give the API key's role access to these incidents, or deselect 'incidents' for this instance");
        }
        if (whole) {
            // the rest of the window (or of the tie) is on this page
            Checkpoint next = checkpoint(inTie ? since + 1 : lte + 1, null, windowTotal);
            return new Page(emit(incidents, Long.MAX_VALUE, inTie), next, !inTie, reported);
        }
        Incident lastOne = incidents.get(incidents.size() - 1);
        long last = inTie ? lastOne.created() : lastOne.modified();
        long from = inTie ? createdFrom : since;
        if (last > from) {
            Checkpoint next = inTie ? checkpoint(since, last, windowTotal) : checkpoint(last, null, windowTotal);
            return new Page(emit(incidents, last, inTie), next, false, reported);
        }
        if (!inTie) {
            // a full page at one modification_time: read that tie on its own, by creation_time
            client.context().metrics().count("incidents.ties", 1);
            return new Page(List.of(), checkpoint(since, 0L, windowTotal), false, reported);
        }
        throw new ConnectorException(ErrorKind.BAD_RESPONSE,
                "More than " + PAGE_SIZE + " Cortex XDR incidents share modification_time " + since
                        + " and creation_time " + last + "; get_incidents cannot page them in a stable order,"
                        + " so the read stops rather than skip incidents",
                "Contact Palo Alto Networks support about the bulk update that stamped these incidents; the"
                        + " next sync tries again");
    }

    /** The page's incidents in the vendor's order, checked to ascend on the paged time. */
    private List<Incident> incidents(JsonNode list, long since, boolean byCreation) {
        List<Incident> out = new ArrayList<>(list.size());
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < list.size(); i++) {
            JsonNode incident = unwrap(list.get(i));
            int number = i + 1;
            String id = id(incident).orElseThrow(() -> malformed("incident #" + number
                    + " of the page at modification_time " + since + " has no incident_id"));
            OptionalLong created = millis(incident.get("creation_time"));
            long modified = modified(incident, created).orElseThrow(() -> malformed("incident " + id
                    + " has neither modification_time nor creation_time"));
            long time = byCreation ? created.orElse(Long.MIN_VALUE) : modified;
            if (time < previous) {
                String field = byCreation ? "creation_time" : "modification_time";
                throw new ConnectorException(ErrorKind.BAD_RESPONSE,
                        "Cortex XDR returned get_incidents out of " + field + " order (incident " + id + " at "
                                + time + " after " + previous + "); stopping rather than miss incidents",
                        "The tenant ignores the sort on " + field + "; contact Palo Alto Networks support,"
                                + " and check that the Base URL points at the tenant's API host");
            }
            previous = time;
            out.add(new Incident(id, modified, created.orElse(Long.MIN_VALUE), incident));
        }
        return out;
    }

    /** The wanted incidents before {@code end} (on the paged time), once each, in the total order. */
    private List<Map<String, Object>> emit(List<Incident> incidents, long end, boolean byCreation) {
        Set<String> onPage = new HashSet<>();
        return incidents.stream()
                .filter(i -> (byCreation ? i.created() : i.modified()) < end && wanted(i.item()) && onPage.add(i.id()))
                .sorted(ORDER)
                .map(i -> record(i.item(), i.id()))
                .toList();
    }

    private static Checkpoint checkpoint(long since, Long tieCreatedFrom, long windowTotal) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(SINCE, since);
        if (tieCreatedFrom != null) {
            values.put(TIE_CREATED, tieCreatedFrom);
        }
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

    private static OptionalLong modified(JsonNode incident, OptionalLong created) {
        OptionalLong t = millis(incident.get("modification_time"));
        return t.isPresent() ? t : created;
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
