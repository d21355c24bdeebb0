package org.connectorsdk.cortexxdr.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code get_alerts_by_filter_data}, the alert call of older tenants, over the same alerts as
 * {@code get_alerts_multi_events}: its {@code filter_data} request (a {@code source_insert_ts}
 * RANGE, severity EQ terms, {@code paging}, {@code sort}) is read as the current request, and
 * each alert is answered in the legacy shape of the recorded replies public integrations test
 * with: {@code {"alert_fields": {...}, "incident_fields": ...}}, legacy field names, severities
 * such as {@code SEV_030_MEDIUM}, {@code local_insert_ts} (the server's time) kept and
 * {@code source_insert_ts} the detection time, which the RANGE filters on.
 */
final class LegacyAlertReplies {
    /** Current field name to legacy field name. */
    private static final Map<String, String> LEGACY_NAMES = Map.of(
            "alert_id", "internal_id",
            "name", "alert_name",
            "description", "alert_description",
            "category", "alert_category",
            "detection_timestamp", "source_insert_ts",
            "source", "alert_source",
            "action_pretty", "alert_action_status_readable",
            "action", "alert_action_status",
            "endpoint_id", "agent_id",
            "host_name", "agent_hostname");

    private final ObjectMapper mapper;

    LegacyAlertReplies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The current {@code request_data} that asks for what {@code legacyRequestData} asks for. */
    ObjectNode currentRequest(JsonNode legacyRequestData) {
        JsonNode filterData = legacyRequestData == null ? mapper.createObjectNode()
                : legacyRequestData.path("filter_data");
        ObjectNode current = mapper.createObjectNode();
        JsonNode paging = filterData.path("paging");
        current.put("search_from", paging.path("from").asLong(0));
        current.put("search_to", paging.path("to").asLong(paging.path("from").asLong(0) + 100));
        ArrayNode filters = current.putArray("filters");
        for (JsonNode term : filterData.path("filter").path("AND")) {
            if (term.has("OR")) {
                ArrayNode severities = mapper.createArrayNode();
                for (JsonNode or : term.get("OR")) {
                    requireField(or, "severity");
                    // SEV_030_MEDIUM -> medium
                    String value = or.path("SEARCH_VALUE").asText();
                    severities.add(value.substring(value.lastIndexOf('_') + 1).toLowerCase(Locale.ROOT));
                }
                filters.addObject().put("field", "severity").put("operator", "in").set("value", severities);
                continue;
            }
            requireField(term, "source_insert_ts");
            if (!"RANGE".equals(term.path("SEARCH_TYPE").asText())) {
                throw ApiError.badRequest("Unsupported SEARCH_TYPE " + term.path("SEARCH_TYPE").asText()
                        + " for source_insert_ts (RANGE)");
            }
            JsonNode range = term.path("SEARCH_VALUE");
            filters.addObject().put("field", "creation_time").put("operator", "gte")
                    .put("value", range.path("from").asLong());
            filters.addObject().put("field", "creation_time").put("operator", "lte")
                    .put("value", range.path("to").asLong());
        }
        for (JsonNode sort : filterData.path("sort")) {
            requireField(sort.path("FIELD").asText(), "source_insert_ts");
            current.putObject("sort").put("field", "creation_time")
                    .put("keyword", sort.path("ORDER").asText("ASC"));
        }
        return current;
    }

    private static void requireField(JsonNode term, String expected) {
        requireField(term.path("SEARCH_FIELD").asText(), expected);
    }

    private static void requireField(String field, String expected) {
        if (!expected.equals(field)) {
            throw ApiError.badRequest("Unsupported filter field: " + field);
        }
    }

    /** The current reply {@code {"reply": {..., "alerts": [...]}}} in the legacy shape. */
    @SuppressWarnings("unchecked")
    Map<String, Object> legacyReply(Map<String, Object> currentReply) {
        Map<String, Object> reply = (Map<String, Object>) currentReply.get("reply");
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map<String, Object> alert : (List<Map<String, Object>>) reply.get("alerts")) {
            Map<String, Object> fields = new LinkedHashMap<>();
            alert.forEach((name, value) -> fields.put(LEGACY_NAMES.getOrDefault(name, name), value));
            Object ips = fields.remove("host_ip");
            fields.put("agent_ip_addresses", ips instanceof String s ? List.of(s.split(",\\s*")) : ips);
            fields.put("severity", legacySeverity(String.valueOf(alert.get("severity"))));
            Map<String, Object> legacy = new LinkedHashMap<>();
            legacy.put("alert_fields", fields);
            legacy.put("incident_fields", "None");
            alerts.add(legacy);
        }
        Map<String, Object> legacy = new LinkedHashMap<>();
        legacy.put("total_count", reply.get("total_count"));
        legacy.put("result_count", alerts.size());
        legacy.put("alerts", alerts);
        return Map.of("reply", legacy);
    }

    /** {@code medium} as {@code SEV_030_MEDIUM}, and so on. */
    static String legacySeverity(String severity) {
        String word = severity.toUpperCase(Locale.ROOT);
        return switch (word) {
            case "INFO", "INFORMATIONAL" -> "SEV_010_INFO";
            case "LOW" -> "SEV_020_LOW";
            case "MEDIUM" -> "SEV_030_MEDIUM";
            case "HIGH" -> "SEV_040_HIGH";
            case "CRITICAL" -> "SEV_050_CRITICAL";
            default -> word;
        };
    }
}
