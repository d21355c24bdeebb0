package org.connectorsdk.cortexxdr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

/**
 * Alerts of older tenants: {@code get_alerts_by_filter_data}, asked when a tenant does not offer
 * {@code get_alerts_multi_events} (HTTP 404), and the {@code alert_fields} shape its replies
 * use (as in the recorded reply {@code demisto-content__CortexXDRIR__get_alerts_by_filter_results.json}
 * among the test data). Each such alert is rewritten into the current names, so the one alert
 * map reads both: {@code internal_id} becomes {@code alert_id}, {@code alert_name} {@code name},
 * {@code source_insert_ts} (the detection time) {@code detection_timestamp}, and so on
 * ({@link #RENAMES}); severities stay as sent ({@code SEV_030_MEDIUM}, which the
 * {@code severity} converter reads). A field the alert already carries under its current name is
 * never overwritten.
 *
 * <p>The call filters on {@code source_insert_ts}, the detection time, so on an older tenant the
 * window is on the endpoint's clock: an alert from a host that was offline longer than the
 * runtime's overlap may fall before a delta window. The current call has no such gap.
 */
final class LegacyAlerts {
    static final String API = "get_alerts_by_filter_data";
    static final String PATH = "/public_api/v1/alerts/get_alerts_by_filter_data";
    /** The legacy name of the detection time, which the call filters on. */
    static final String SERVER_TIME = "source_insert_ts";

    /** Legacy field name to current field name. */
    static final Map<String, String> RENAMES = renames();

    private LegacyAlerts() {
    }

    private static Map<String, String> renames() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("internal_id", "alert_id");
        m.put("alert_name", "name");
        m.put("alert_description", "description");
        m.put("alert_category", "category");
        m.put(SERVER_TIME, "detection_timestamp");
        m.put("alert_source", "source");
        m.put("alert_action_status_readable", "action_pretty");
        m.put("alert_action_status", "action");
        m.put("agent_id", "endpoint_id");
        m.put("agent_hostname", "host_name");
        m.put("agent_ip_addresses", "host_ip");
        return Map.copyOf(m);
    }

    /** Whether {@code e} says the tenant has no {@code get_alerts_multi_events} (an older tenant). */
    static boolean multiEventsMissing(ConnectorException e) {
        return e.kind() == ErrorKind.BAD_REQUEST
                && e.getMessage().startsWith("Cortex XDR answered HTTP 404 to " + AlertPager.API);
    }

    /**
     * The request body of one page: alerts with {@code source_insert_ts} in
     * [{@code from}, {@code toExclusive}), sorted by it ascending, {@code offset} to
     * {@code offset + size}, of the given severities ({@code low} .. {@code critical}, sent in the
 * older {@code SEV_030_MEDIUM} form; all when empty).
     */
    static Map<String, Object> request(long from, long toExclusive, long offset, int size, List<String> severities) {
        List<Map<String, Object>> and = new ArrayList<>();
        and.add(Map.of("SEARCH_FIELD", SERVER_TIME, "SEARCH_TYPE", "RANGE",
                "SEARCH_VALUE", Map.of("from", from, "to", toExclusive - 1)));
        if (!severities.isEmpty()) {
            List<Map<String, Object>> or = new ArrayList<>();
            for (String severity : severities) {
                or.add(Map.of("SEARCH_FIELD", "severity", "SEARCH_TYPE", "EQ", "SEARCH_VALUE",
                        legacySeverity(severity)));
            }
            and.add(Map.of("OR", or));
        }
        Map<String, Object> filterData = new LinkedHashMap<>();
        filterData.put("sort", List.of(Map.of("FIELD", SERVER_TIME, "ORDER", "ASC")));
        filterData.put("paging", Map.of("from", offset, "to", offset + size));
        filterData.put("filter", Map.of("AND", and));
        return Map.of("filter_data", filterData);
    }

    /** {@code medium} as the older API writes it, {@code SEV_030_MEDIUM}; and so on for each severity. */
    static String legacySeverity(String severity) {
        return switch (severity.toLowerCase(java.util.Locale.ROOT)) {
            case "low" -> "SEV_020_LOW";
            case "medium" -> "SEV_030_MEDIUM";
            case "high" -> "SEV_040_HIGH";
            case "critical" -> "SEV_050_CRITICAL";
            default -> severity;
        };
    }

    /**
     * {@code item} in the current shape: an {@code alert_fields} object is lifted to the top
     * level (with the item's other fields) and its legacy names copied to the current ones; an
     * item without it is returned as it is.
     */
    static JsonNode normalise(JsonNode item) {
        if (!item.isObject() || !item.path("alert_fields").isObject()) {
            return item;
        }
        ObjectNode out = CortexXdrJson.MAPPER.createObjectNode();
        item.fieldNames().forEachRemaining(name -> {
            if (!name.equals("alert_fields")) {
                out.set(name, item.get(name));
            }
        });
        out.setAll((ObjectNode) item.get("alert_fields"));
        RENAMES.forEach((legacy, current) -> {
            JsonNode value = out.get(legacy);
            if (value != null && !value.isNull() && (!out.has(current) || out.get(current).isNull())) {
                out.set(current, value);
            }
        });
        return out;
    }
}
