package org.connectorsdk.cortexxdr;

import java.util.ArrayList;
import java.util.List;

import org.connectorsdk.api.TransformMap;

/**
 * The Cortex XDR event maps: each {@code get_incidents} record to an {@code incident}, each
 * {@code get_alerts_multi_events} record to a {@code detection} (the target model's OCSF-aligned
 * incident and detection findings). The tables are in the module's README.
 *
 * <p>Converters: {@code epochMillisToIso} for epoch milliseconds; {@code severity} normalises
 * low/medium/high/critical (also {@code SEV_040_HIGH}) to 2..5 while {@code sourceSeverity} keeps
 * the vendor's word; {@code eventStatus} turns {@code new}, {@code under_investigation},
 * {@code resolved_*} (also {@code STATUS_020_UNDER_INVESTIGATION}) into New / In Progress /
 * Resolved; {@code beforeLastColon} / {@code afterLastColon} split an incident's
 * {@code "host:endpoint_id"}; {@code mitreId} / {@code mitreName} split {@code "TA0002 - Execution"};
 * a source path ending in {@code []} takes a field that is an array in v2 replies and one value
 * in others (a command line is never split at its commas); {@code toArray} also splits
 * {@code host_ip} sent as one comma-joined string; {@code toText} writes numeric ids as text.
 */
final class CortexXdrEventMaps {
    static final String INCIDENT_MAP = "Cortex XDR Incident Transform Map";
    static final String ALERT_MAP = "Cortex XDR Alert Transform Map";

    private static final TransformMap INCIDENT = TransformMap.named(INCIDENT_MAP).activeByDefault(false)
            .from("incidents").to("incident")
            .required("incident_id", "externalIncidentId", "toText")
            .optional("incident_name", "title", "trimEmptyToNull")
            .optional("description", "description", "trimEmptyToNull")
            .optional("severity", "severity", "severity")
            .optional("severity", "sourceSeverity", "trimEmptyToNull")
            .optional("status", "status", "eventStatus")
            .optional("status", "sourceStatus", "trimEmptyToNull")
            .optional("creation_time", "createdTime", "epochMillisToIso")
            .optional("modification_time", "modifiedTime", "epochMillisToIso")
            .optional("detection_time", "detectedTime", "epochMillisToIso")
            .optional("resolved_timestamp", "resolvedTime", "epochMillisToIso")
            .optional("assigned_user_mail", "assignee.email", "trimEmptyToNull")
            .optional("assigned_user_pretty_name", "assignee.name", "trimEmptyToNull")
            .optional("hosts[]", "affectedHosts[].hostName", "beforeLastColon")
            .optional("hosts[]", "affectedHosts[].externalAssetId", "afterLastColon")
            .optional("users[]", "affectedUsers", "trimEmptyToNull")
            .optional("mitre_tactics_ids_and_names[]", "tactics[].uid", "mitreId")
            .optional("mitre_tactics_ids_and_names[]", "tactics[].name", "mitreName")
            .optional("mitre_techniques_ids_and_names[]", "techniques[].uid", "mitreId")
            .optional("mitre_techniques_ids_and_names[]", "techniques[].name", "mitreName")
            .optional("alert_count", "alertCount", "toNumber")
            .optional("aggregated_score", "riskScore", "toNumber")
            .optional("incident_sources", "sources", "toArray")
            .optional("alert_categories", "categories", "toArray")
            .optional("tags", "tags", "toArray")
            .optional("starred", "starred")
            .optional("xdr_url", "sourceUrl", "trimEmptyToNull")
            .build();

    private static final TransformMap ALERT = TransformMap.named(ALERT_MAP).activeByDefault(false)
            .from("alerts").to("detection")
            .required("alert_id", "externalDetectionId", "toText")
            .optional("case_id", "externalIncidentId", "toText")
            .optional("name", "title", "trimEmptyToNull")
            .optional("description", "description", "trimEmptyToNull")
            .optional("category", "category", "trimEmptyToNull")
            .optional("severity", "severity", "severity")
            .optional("severity", "sourceSeverity", "trimEmptyToNull")
            .optional("resolution_status", "status", "eventStatus")
            .optional("resolution_status", "sourceStatus", "trimEmptyToNull")
            .optional("action_pretty", "action", "trimEmptyToNull")
            .optional("source", "detectionSource", "trimEmptyToNull")
            .optional("detection_timestamp", "createdTime", "epochMillisToIso")
            .optional("local_insert_ts", "receivedTime", "epochMillisToIso")
            .optional("last_modified_ts", "modifiedTime", "epochMillisToIso")
            .optional("endpoint_id", "device.externalAssetId", "trimEmptyToNull")
            .optional("host_name", "device.hostName", "trimEmptyToNull")
            .optional("host_ip", "device.ipAddresses", "toArray")
            .optional("agent_os_type", "device.osType", "trimEmptyToNull")
            .optional("user_name[]", "affectedUsers", "trimEmptyToNull")
            .optional("mitre_tactic_id_and_name[]", "tactics[].uid", "mitreId")
            .optional("mitre_tactic_id_and_name[]", "tactics[].name", "mitreName")
            .optional("mitre_technique_id_and_name[]", "techniques[].uid", "mitreId")
            .optional("mitre_technique_id_and_name[]", "techniques[].name", "mitreName")
            .optional("actor_process_image_name[]", "evidence.processImageNames", "trimEmptyToNull")
            .optional("actor_process_command_line[]", "evidence.processCommandLines", "trimEmptyToNull")
            .optional("action_remote_ip[]", "evidence.remoteIpAddresses", "trimEmptyToNull")
            .optional("action_file_sha256[]", "evidence.fileSha256", "trimEmptyToNull")
            .optional("tags", "tags", "toArray")
            .build();

    private CortexXdrEventMaps() {
    }

    /** {@code incidents} to {@code incident}; active when the instance's {@code events} select incidents. */
    static TransformMap incidentMap() {
        return INCIDENT;
    }

    /** {@code alerts} to {@code detection}; active when the instance's {@code events} select alerts. */
    static TransformMap alertMap() {
        return ALERT;
    }

    /** The maps of the selected event streams ({@code incidents}, {@code alerts}), incident map first. */
    static List<TransformMap> active(List<String> events) {
        List<TransformMap> out = new ArrayList<>(2);
        if (events.contains(INCIDENT.sourceStream())) {
            out.add(INCIDENT);
        }
        if (events.contains(ALERT.sourceStream())) {
            out.add(ALERT);
        }
        return List.copyOf(out);
    }

    /** Both maps, incident map first. */
    static List<TransformMap> all() {
        return List.of(INCIDENT, ALERT);
    }
}
