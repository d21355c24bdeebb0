package org.connectorsdk.cortexxdr;

import java.time.Duration;
import java.util.List;

import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

/**
 * The event streams' part of an instance's config: the incident and alert filters and how far
 * back the first read looks.
 *
 * <p>The overlap that re-reads the edge of the previous window is the runtime's (its run policy,
 * five minutes by default), not a plugin setting: the runtime fixes every incremental window.
 *
 * @param incidentStatuses   incident statuses to keep; empty for all
 * @param incidentSeverities incident severities to keep; empty for all
 * @param alertSeverities    alert severities to keep; empty for all
 * @param lookback           how far back a full read of incidents or alerts reaches (the first run)
 */
record EventSettings(List<String> incidentStatuses, List<String> incidentSeverities, List<String> alertSeverities,
        Duration lookback) {

    static final String INCIDENT_STATUS_FILTER = "incidentStatusFilter";
    static final String INCIDENT_SEVERITY_FILTER = "incidentSeverityFilter";
    static final String ALERT_SEVERITY_FILTER = "alertSeverityFilter";
    static final String EVENT_LOOKBACK = "eventLookback";

    static final Duration DEFAULT_LOOKBACK = Duration.ofDays(1);

    /** The setup fields, in form order; the connector appends them to its spec. */
    static final List<ConfigField> FIELDS = List.of(
            ConfigField.enumList(INCIDENT_STATUS_FILTER, "new", "under_investigation", "resolved_threat_handled",
                    "resolved_known_issue", "resolved_duplicate", "resolved_false_positive", "resolved_other",
                    "resolved_auto", "resolved_security_testing")
                    .label("Incident status filter").description("Only incidents in these states").build(),
            ConfigField.enumList(INCIDENT_SEVERITY_FILTER, "low", "medium", "high", "critical")
                    .label("Incident severity filter").description("Only incidents of these severities").build(),
            ConfigField.enumList(ALERT_SEVERITY_FILTER, "low", "medium", "high", "critical")
                    .label("Alert severity filter").description("Only alerts of these severities").build(),
            ConfigField.duration(EVENT_LOOKBACK).label("Event lookback").defaultValue(DEFAULT_LOOKBACK)
                    .description("How far back the first (full) read of incidents and alerts reaches; later runs"
                            + " read only what changed").example("P1D").build());

    EventSettings {
        incidentStatuses = List.copyOf(incidentStatuses);
        incidentSeverities = List.copyOf(incidentSeverities);
        alertSeverities = List.copyOf(alertSeverities);
        if (lookback.isNegative() || lookback.isZero()) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "Config field '" + EVENT_LOOKBACK + "' must be a positive duration, got " + lookback,
                    "Set '" + EVENT_LOOKBACK + "' to an ISO-8601 duration such as P1D (one day) or PT12H");
        }
    }

    static EventSettings from(ConnectorConfig config) {
        return new EventSettings(config.stringList(INCIDENT_STATUS_FILTER),
                config.stringList(INCIDENT_SEVERITY_FILTER), config.stringList(ALERT_SEVERITY_FILTER),
                config.duration(EVENT_LOOKBACK).orElse(DEFAULT_LOOKBACK));
    }
}
