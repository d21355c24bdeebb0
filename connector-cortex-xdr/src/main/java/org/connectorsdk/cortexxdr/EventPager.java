package org.connectorsdk.cortexxdr;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;

/**
 * The paging skeleton the event streams share ({@link IncidentPager}, {@link AlertPager}): one
 * request of {@value #PAGE_SIZE} items from an offset, filtered and sorted ascending on a time
 * field; its list and {@code total_count} read from the reply shapes seen; each item turned into
 * a record once per run. Each pager keeps its own way through a window in its checkpoint.
 *
 * <p><b>Windows.</b> An incremental read takes the runtime's frozen window. A full read (the
 * first run of an instance, or one asked for) ends where the runtime's window ends and reaches
 * back {@code eventLookback} (one day by default) from there; without a runtime window it is
 * the lookback up to the moment the run's reader was opened. Either way the window depends on
 * nothing but the run's plan, so it stays fixed for the run, also for a run that resumes it,
 * and no record falls between it and the next run's.
 *
 * <p><b>Duplicates.</b> A record is emitted once per run for each (id, cursor time): paging
 * can return a record twice (a millisecond of alerts paged by offset in a new order), always at
 * the latest time read, so {@link Seen} keeps the ids at that time only and what a read keeps
 * does not grow with its pages. Records already delivered by the previous run inside the
 * overlap are the runtime's to drop.
 */
abstract class EventPager {
    static final int PAGE_SIZE = 100;

    final CortexXdrClient client;
    final EventSettings settings;
    private final TimeWindow full;
    private final String api;
    private final String path;
    private final String listField;
    private final String idField;
    private final String sortField;
    private final Seen seen = new Seen();

    /**
     * @param full      the window of a full read
     * @param api       the call's name in messages, e.g. {@code get_incidents}
     * @param listField the reply field holding the items, e.g. {@code incidents}
     * @param idField   the item field holding its id, e.g. {@code incident_id}
     * @param sortField the time field the request filters and sorts on
     */
    EventPager(CortexXdrClient client, EventSettings settings, TimeWindow full, String api, String path,
            String listField, String idField, String sortField) {
        this.client = client;
        this.settings = settings;
        this.full = full;
        this.api = api;
        this.path = path;
        this.listField = listField;
        this.idField = idField;
        this.sortField = sortField;
    }

    /**
     * One page of items, what the reply said of their total, and how many items of the page the
     * key's scope withheld ({@code restricted_incident_ids}).
     */
    record Items(JsonNode list, OptionalLong total, int restricted) {
        Items(JsonNode list, OptionalLong total) {
            this(list, total, 0);
        }
    }

    /**
     * Asks for the {@value #PAGE_SIZE} items from {@code offset} that pass {@code filters},
     * sorted ascending on the sort field.
     */
    final Items fetch(List<Map<String, Object>> filters, long offset) {
        return fetch(filters, offset, sortField);
    }

    /** As {@link #fetch(List, long)}, sorted ascending on {@code sortOn} instead. */
    final Items fetch(List<Map<String, Object>> filters, long offset, String sortOn) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("filters", filters);
        data.put("search_from", offset);
        data.put("search_to", offset + PAGE_SIZE);
        data.put("sort", sortAscending(sortOn));
        JsonNode reply = CortexXdrClient.reply(client.parse(api, client.send(path, data)));
        return new Items(list(api, reply, listField), totalCount(reply),
                reply.path("restricted_incident_ids").isArray() ? reply.get("restricted_incident_ids").size() : 0);
    }

    /** The item's id as text, or empty when absent or blank. */
    final Optional<String> id(JsonNode item) {
        return id(item, idField);
    }

    /** True the first time this run meets the pair ({@code id}, cursor {@code time}). */
    final boolean firstSighting(String id, long time) {
        return seen.add(id, time);
    }

    /** The item as a record, with its id as text (ids come as strings or numbers). */
    final Map<String, Object> record(JsonNode item, String id) {
        Map<String, Object> record = CortexXdrJson.MAPPER.convertValue(item, CortexXdrJson.RECORD);
        record.put(idField, id);
        return record;
    }

    /**
     * The window of {@code request}: the runtime's in an incremental read; in a full read the
     * lookback up to the end of the runtime's window when the request carries one (so the
     * watermark the runtime saves is the end of what was read, and a resumed run reads the same
     * window), else up to when the reader opened.
     */
    final TimeWindow window(PageRequest request) {
        if (request.mode() == SyncMode.INCREMENTAL) {
            return request.window().orElse(full);
        }
        return request.window().map(w -> new TimeWindow(w.to().minus(settings.lookback()), w.to())).orElse(full);
    }

    /** An epoch-millisecond value (a number or a numeric string), or empty. */
    static OptionalLong millis(JsonNode node) {
        if (node == null) {
            return OptionalLong.empty();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return OptionalLong.of(node.asLong());
        }
        if (node.isTextual() && node.asText().strip().matches("\\d{1,18}")) {
            return OptionalLong.of(Long.parseLong(node.asText().strip()));
        }
        return OptionalLong.empty();
    }

    /** {@code reply.total_count} when it is a whole number. */
    static OptionalLong totalCount(JsonNode reply) {
        return reply.isObject() ? millis(reply.get("total_count")) : OptionalLong.empty();
    }

    /** A record's id as text (ids come as strings or numbers), or empty when absent or blank. */
    static Optional<String> id(JsonNode record, String field) {
        JsonNode id = record.get(field);
        if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(id.asText());
    }

    /**
     * The array {@code field} of a reply in the shapes seen: {@code {"reply": {field: [...]}}},
     * {@code {field: [...]}}, {@code {"reply": [...]}}, a bare array; {@code null} is an empty page.
     */
    static JsonNode list(String api, JsonNode reply, String field) {
        if (reply.isArray()) {
            return reply;
        }
        if (reply.isObject() && reply.path(field).isArray()) {
            return reply.get(field);
        }
        if (reply.isObject() && (reply.path(field).isNull() || reply.path(field).isMissingNode()
                && reply.path("total_count").asLong(-1) == 0)) {
            return CortexXdrJson.MAPPER.createArrayNode();
        }
        throw new ConnectorException(ErrorKind.BAD_RESPONSE,
                "Cortex XDR answered " + api + " without a list of " + field + " (reply fields: "
                        + (reply.isObject() ? String.join(", ", iterable(reply)) : reply.getNodeType()) + ")",
                Remediation.BAD_RESPONSE);
    }

    private static List<String> iterable(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Map<String, Object> filter(String field, String operator, Object value) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("field", field);
        f.put("operator", operator);
        f.put("value", value);
        return f;
    }

    static Map<String, Object> sortAscending(String field) {
        Map<String, Object> sort = new LinkedHashMap<>();
        sort.put("field", field);
        sort.put("keyword", "ASC");
        return sort;
    }

    /**
     * Within-run de-duplication of (id, cursor time) pairs for a read whose times ascend: a
     * repeat can only sit at the latest time read (a re-read edge, a page boundary shifted by a
     * late arrival), so only the ids at that time are kept, never one per record of the run.
     */
    static final class Seen {
        private long edge = Long.MIN_VALUE;
        private final Set<String> atEdge = new HashSet<>();

        /** True the first time this pair is offered (and for any pair older than the latest time). */
        boolean add(String id, long time) {
            if (time > edge) {
                edge = time;
                atEdge.clear();
            }
            return time < edge || atEdge.add(id);
        }
    }
}
