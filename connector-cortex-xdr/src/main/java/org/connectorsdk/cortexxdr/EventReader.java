package org.connectorsdk.cortexxdr;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.Partition;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;

/**
 * Reads the event streams, {@code incidents} ({@link IncidentPager}) and {@code alerts}
 * ({@link AlertPager}), and hands every other stream to the reader it wraps.
 *
 * <p><b>Windows.</b> An incremental read takes the runtime's frozen window. A full read (the
 * first run of an instance, or one asked for) reaches back {@code eventLookback} (one day by
 * default) from the moment this reader was opened, so the window stays fixed for the run.
 *
 * <p><b>Duplicates.</b> A record is emitted once per run for each (id, cursor time): paging
 * can return a record twice (an edge re-read, a page boundary the source reorders), and a set of
 * 64-bit hashes (8 bytes a record) drops the second copy. Records already delivered by the
 * previous run inside the overlap are the runtime's to drop.
 */
final class EventReader implements StreamReader {
    static final TypeReference<Map<String, Object>> RECORD = new TypeReference<>() {
    };
    /** Floats as BigDecimal, as the client reads them, so no precision is lost. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final StreamReader others;
    private final IncidentPager incidents;
    private final AlertPager alerts;

    EventReader(StreamReader others, CortexXdrClient client, EventSettings settings) {
        this.others = requireNonNull(others, "others is null");
        requireNonNull(client, "client is null");
        requireNonNull(settings, "settings is null");
        Instant openedAt = client.context().clock().instant();
        TimeWindow full = new TimeWindow(openedAt.minus(settings.lookback()), openedAt);
        this.incidents = new IncidentPager(client, settings, full);
        this.alerts = new AlertPager(client, settings, full);
    }

    /** Wraps {@code others} so that the event streams are read here; validates the event settings now. */
    static StreamReader wrap(StreamReader others, CortexXdrClient client, ConnectorConfig config) {
        return new EventReader(others, client, EventSettings.from(config));
    }

    @Override
    public List<Partition> partitions(StreamSpec stream, SyncMode mode, Optional<TimeWindow> window) {
        return isEvent(stream.name()) ? List.of(Partition.WHOLE) : others.partitions(stream, mode, window);
    }

    @Override
    public Page read(PageRequest request) {
        String stream = request.stream().name();
        if (stream.equals(CortexXdrConnector.INCIDENTS.name())) {
            return incidents.read(request);
        }
        if (stream.equals(CortexXdrConnector.ALERTS.name())) {
            return alerts.read(request);
        }
        return others.read(request);
    }

    @Override
    public void close() {
        others.close();
    }

    private static boolean isEvent(String stream) {
        return stream.equals(CortexXdrConnector.INCIDENTS.name()) || stream.equals(CortexXdrConnector.ALERTS.name());
    }

    // ---- shared by the pagers -------------------------------------------------------------------

    /** The window of {@code request}: the runtime's in an incremental read, the lookback otherwise. */
    static TimeWindow window(PageRequest request, TimeWindow full) {
        return request.mode() == SyncMode.INCREMENTAL ? request.window().orElse(full) : full;
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
            return JSON.createArrayNode();
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

    /** Within-run de-duplication of (id, cursor time) pairs, 8 bytes each. */
    static final class Seen {
        private final EndpointPager.LongHashSet hashes = new EndpointPager.LongHashSet();

        /** True the first time this pair is offered. */
        boolean add(String id, long time) {
            return hashes.add(EndpointPager.hash64(id + '|' + time));
        }
    }
}
