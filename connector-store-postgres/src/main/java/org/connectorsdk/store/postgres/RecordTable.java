package org.connectorsdk.store.postgres;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table that keeps records of one target model: the jsonb document and the columns platforms
 * query, each taken from the document by an SQL expression over {@code s.document}.
 */
record RecordTable(String name, String model, Map<String, String> columns) {
    static final RecordTable ASSETS = new RecordTable("assets", "asset", ordered(
            "external_asset_id", "s.document->>'externalAssetId'",
            "host_name", "s.document->>'hostName'"));
    static final RecordTable INCIDENTS = new RecordTable("incidents", "incident", ordered(
            "external_incident_id", "s.document->>'externalIncidentId'",
            "severity", "(s.document->>'severity')::integer",
            "status", "s.document->>'status'"));
    static final RecordTable DETECTIONS = new RecordTable("detections", "detection", ordered(
            "external_detection_id", "s.document->>'externalDetectionId'",
            "external_incident_id", "s.document->>'externalIncidentId'",
            "severity", "(s.document->>'severity')::integer",
            "status", "s.document->>'status'"));
    /** Records of any other model, or raw ones. */
    static final RecordTable RECORDS = new RecordTable("records", "", Map.of());

    static final List<RecordTable> ALL = List.of(ASSETS, INCIDENTS, DETECTIONS, RECORDS);

    /** The table that keeps records of {@code model}. */
    static RecordTable of(String model) {
        for (RecordTable t : ALL) {
            if (t.model.equals(model)) {
                return t;
            }
        }
        return RECORDS;
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
