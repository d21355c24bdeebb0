package org.connectorsdk.cortexxdr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.google.auto.service.AutoService;

import org.connectorsdk.api.Capability;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSelection;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.api.SyncMode;

/**
 * The Palo Alto Networks Cortex XDR connector: host assets (endpoints) with their vulnerability
 * findings, and incidents and alerts as event streams.
 *
 * <pre>{@code
 * Connector xdr = new CortexXdrConnector();
 * ConnectorConfig config = xdr.configSpec().bind(Map.of("name", "tenant-eu",
 *         "baseUrl", "https://api-acme.xdr.eu.paloaltonetworks.com",
 *         "apiKey", "env:CORTEX_XDR_API_KEY", "apiKeyId", "2"));
 * }</pre>
 */
@AutoService(Connector.class)
public final class CortexXdrConnector implements Connector {
    /** The connector id. */
    public static final String ID = "cortex-xdr";

    static final String NAME = "name";
    static final String DESCRIPTION = "description";
    static final String BASE_URL = "baseUrl";
    static final String API_KEY = "apiKey";
    static final String API_KEY_ID = "apiKeyId";
    static final String SECURITY_LEVEL = "securityLevel";
    static final String DATA_TO_SYNC = "dataToSync";
    static final String EVENTS = "events";
    static final String BATCH_SIZE = "batchSize";
    static final String MAX_REQUESTS_PER_SECOND = "maxRequestsPerSecond";
    static final String REQUEST_TIMEOUT = "requestTimeout";
    static final String CA_CERTIFICATE = "caCertificate";
    static final String PLATFORM_FILTER = "platformFilter";
    static final String STATUS_FILTER = "statusFilter";
    static final String GROUP_FILTER = "groupFilter";
    static final String LAST_SEEN_AFTER = "lastSeenAfter";
    static final String LAST_SEEN_BEFORE = "lastSeenBefore";
    static final String VULNERABILITIES_UNAVAILABLE = "vulnerabilitiesUnavailable";
    static final String VULNERABILITY_MAX_AGE = "vulnerabilityMaxAge";
    static final String SOFTWARE_FIELD = "software";

    static final String ASSETS_AND_FINDINGS = "assets-and-findings";

    /** Endpoints (host assets), with CVEs attached when findings are selected. */
    public static final StreamSpec ASSETS = new StreamSpec("assets",
            "Cortex XDR endpoints (host assets), with their CVEs when findings are synced",
            List.of("endpoint_id"), Optional.of("last_seen"), Set.of(SyncMode.FULL, SyncMode.INCREMENTAL),
            Optional.of(Duration.ofDays(1))).asSnapshot();
    /**
     * Incidents, polled on their modification time. Resumable: a page checkpoint is a keyset
     * position in the run's frozen window ({@link IncidentPager}).
     */
    public static final StreamSpec INCIDENTS = new StreamSpec("incidents", "Cortex XDR incidents",
            List.of("incident_id"), Optional.of("modification_time"), Set.of(SyncMode.FULL, SyncMode.INCREMENTAL),
            Optional.of(Duration.ofMinutes(5))).asResumable();
    /**
     * Alerts, polled on their server creation (ingest) time: the API filters on
     * {@code server_creation_time}, and replies carry that time as {@code local_insert_ts}.
     * Resumable: a page checkpoint is a keyset position on that time ({@link AlertPager}).
     */
    public static final StreamSpec ALERTS = new StreamSpec("alerts", "Cortex XDR alerts",
            List.of("alert_id"), Optional.of(AlertPager.SERVER_TIME), Set.of(SyncMode.FULL, SyncMode.INCREMENTAL),
            Optional.of(Duration.ofMinutes(10))).asResumable();

    /**
     * Installed applications per endpoint, from the Host Insights host inventory (XQL); read in
     * full each run, once a day unless the instance says otherwise. Off unless {@code software}
     * is true.
     */
    public static final StreamSpec SOFTWARE = new StreamSpec("software",
            "Installed applications per endpoint (Host Insights host inventory, read with XQL)",
            List.of("endpoint_id", "application_name", "version"), Optional.empty(), Set.of(SyncMode.FULL),
            Optional.of(Duration.ofDays(1)));

    private static final String INSTANT_PATTERN =
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})";
    private static final String INSTANT_HINT = "an ISO-8601 instant with a zone, e.g. 2026-05-01T00:00:00Z";

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(ID, "Palo Alto Networks",
            "Cortex XDR", "Endpoint Security", "1.0.0", List.of("Host assets (compute)"), "REST API",
            "Unidirectional (Cortex XDR to platform)",
            Set.of(Capability.FINDINGS, Capability.INCREMENTAL_SYNC, Capability.SOURCE_TAGS, Capability.FILTERS,
                    Capability.EVENTS, Capability.INSTALLED_SOFTWARE));

    private static final ConfigSpec CONFIG_SPEC = withEventFields(
            ConfigField.string(NAME).label("Name").required()
                    .description("A name for this instance, unique among instances").build(),
            ConfigField.string(DESCRIPTION).label("Description").maxLength(180)
                    .description("What this instance is for (at most 180 characters)").build(),
            ConfigField.url(BASE_URL).label("Base URL").required()
                    .description("The tenant's API URL, https://api-<fqdn>; the protocol prefix is required")
                    .example("https://api-cortex-xdr-qualys-tenant2.xdr.us.paloaltonetworks.com").build(),
            ConfigField.secret(API_KEY).label("API Key").required()
                    .description("The API key (inline, env:NAME or file:PATH); masked everywhere").build(),
            ConfigField.string(API_KEY_ID).label("API Key ID").required().pattern("[0-9]+", "a number, e.g. 2")
                    .description("The numeric ID shown beside the key in Cortex XDR").example("2").build(),
            ConfigField.enumeration(SECURITY_LEVEL, "standard", "advanced").label("Security level")
                    .defaultValue("standard")
                    .description("The key's security level: standard, or advanced (hashed, time-stamped)").build(),
            ConfigField.enumeration(DATA_TO_SYNC, ASSETS_AND_FINDINGS, "assets", "none").label("Data to sync")
                    .defaultValue(ASSETS_AND_FINDINGS)
                    .description("Assets with their vulnerability findings, assets only, or none (events only)")
                    .build(),
            ConfigField.enumList(EVENTS, "incidents", "alerts").label("Events")
                    .description("Event streams to poll as well; none by default").build(),
            ConfigField.integer(BATCH_SIZE).label("Batch size").range(1, 100).defaultValue(100L)
                    .description("Endpoints per request (the API returns at most 100)").build(),
            ConfigField.integer(MAX_REQUESTS_PER_SECOND).label("Max requests per second").range(1, 10)
                    .defaultValue(5L)
                    .description("This tenant's request budget, shared by all its streams and checks"
                            + " (the tenant's limit is 10)").build(),
            ConfigField.duration(REQUEST_TIMEOUT).label("Request timeout")
                    .defaultValue("PT60S")
                    .description("How long one request attempt may take before it counts as failed and is"
                            + " retried, from PT1S to PT5M (ISO-8601)").build(),
            ConfigField.pem(CA_CERTIFICATE).label("CA certificate")
                    .description("An extra trusted CA (PEM, file:PATH or env:NAME) for private or test endpoints")
                    .build(),
            ConfigField.enumList(PLATFORM_FILTER, "windows", "linux", "macos", "android").label("Platform filter")
                    .description("Only endpoints of these platforms").build(),
            ConfigField.enumList(STATUS_FILTER, "connected", "disconnected", "lost", "uninstalled")
                    .label("Status filter").description("Only endpoints in these states").build(),
            ConfigField.string(GROUP_FILTER).label("Group filter")
                    .description("Only endpoints in these groups (names separated by commas)").build(),
            ConfigField.string(LAST_SEEN_AFTER).label("Last seen after").pattern(INSTANT_PATTERN, INSTANT_HINT)
                    .description("Only endpoints last seen at or after this instant").build(),
            ConfigField.string(LAST_SEEN_BEFORE).label("Last seen before").pattern(INSTANT_PATTERN, INSTANT_HINT)
                    .description("Only endpoints last seen at or before this instant").build(),
            ConfigField.enumeration(VULNERABILITIES_UNAVAILABLE, "fail", "assets-only")
                    .label("When vulnerability data is unavailable").defaultValue("fail")
                    .description("Fail the run, or sync assets without findings, when the tenant has no"
                            + " vulnerability data (Host Insights) or the XQL answer is incomplete or stale (such"
                            + " endpoints are then flagged _meta.unknown.finding); an endpoint never assessed is"
                            + " flagged 'not assessed' and never fails the run").build(),
            ConfigField.duration(VULNERABILITY_MAX_AGE).label("Vulnerability data max age")
                    .defaultValue("P7D")
                    .description("How old an endpoint's latest vulnerability assessment may be, from PT1H to P90D"
                            + " (ISO-8601); an older one makes its findings unknown (_meta.unknown.finding"
                            + " 'stale assessment'), handled as 'vulnerabilitiesUnavailable' says").build(),
            ConfigField.bool(SOFTWARE_FIELD).label("Installed software").defaultValue(false)
                    .description("Also sync each endpoint's installed applications (the software stream, read"
                            + " with XQL from the Host Insights host inventory; needs that add-on)").build());

    // ---- event streams (incidents, alerts): their setup fields follow the others -------------
    private static ConfigSpec withEventFields(ConfigField... fields) {
        List<ConfigField> all = new ArrayList<>(List.of(fields));
        all.addAll(EventSettings.FIELDS);
        return new ConfigSpec(all);
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConfigSpec configSpec() {
        return CONFIG_SPEC;
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        return CortexXdrChecks.all();
    }

    @Override
    public List<StreamSpec> streams() {
        return List.of(ASSETS, INCIDENTS, ALERTS, SOFTWARE);
    }

    /**
     * Assets unless {@code dataToSync} is {@code none}, plus the selected event streams, plus
     * {@code software} when {@code software} is true.
     */
    @Override
    public List<StreamSpec> selectedStreams(ConnectorConfig config) {
        List<StreamSpec> out = new ArrayList<>();
        if (!"none".equals(config.optionalString(DATA_TO_SYNC).orElse(ASSETS_AND_FINDINGS))) {
            out.add(ASSETS);
        }
        List<String> events = config.stringList(EVENTS);
        if (events.contains("incidents")) {
            out.add(INCIDENTS);
        }
        if (events.contains("alerts")) {
            out.add(ALERTS);
        }
        if (config.bool(SOFTWARE_FIELD)) {
            out.add(SOFTWARE);
        }
        return List.copyOf(out);
    }

    /**
     * The tenant (base URL and key id) and the stream's filters: platform, status, group and the
     * last-seen range for assets; status and severity for incidents; severity for alerts.
     */
    @Override
    public StreamSelection selection(ConnectorConfig config, StreamSpec stream) {
        List<String> names = switch (stream.name()) {
            case "assets" -> List.of(PLATFORM_FILTER, STATUS_FILTER, GROUP_FILTER, LAST_SEEN_AFTER, LAST_SEEN_BEFORE);
            case "incidents" -> List.of(EventSettings.INCIDENT_STATUS_FILTER, EventSettings.INCIDENT_SEVERITY_FILTER);
            case "alerts" -> List.of(EventSettings.ALERT_SEVERITY_FILTER);
            default -> List.of();
        };
        Map<String, Object> filters = new LinkedHashMap<>();
        for (String name : names) {
            Object value = config.values().get(name);
            if (value instanceof List<?> list ? !list.isEmpty() : value != null && !"".equals(value)) {
                filters.put(name, value instanceof List<?> list ? List.copyOf(list) : String.valueOf(value));
            }
        }
        return new StreamSelection(config.string(BASE_URL) + " key " + config.string(API_KEY_ID), filters);
    }

    /**
     * Another tenant widens, and so does a filter removed, a value added to a list filter, a
     * group changed, or the last-seen range moved outwards; a filter added or tightened narrows.
     */
    @Override
    public boolean widens(StreamSpec stream, StreamSelection before, StreamSelection after) {
        if (!before.source().equals(after.source())) {
            return true;
        }
        for (Map.Entry<String, Object> filter : before.filters().entrySet()) {
            Object was = filter.getValue();
            Object now = after.filters().get(filter.getKey());
            boolean wider = switch (filter.getKey()) {
                case LAST_SEEN_AFTER -> now == null || Instant.parse((String) now).isBefore(Instant.parse((String) was));
                case LAST_SEEN_BEFORE -> now == null || Instant.parse((String) now).isAfter(Instant.parse((String) was));
                default -> now == null || (was instanceof List<?> w && now instanceof List<?> n
                        ? !w.containsAll(n) : !Objects.equals(was, now));
            };
            if (wider) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<TransformMap> transformMaps() {
        List<TransformMap> maps = new ArrayList<>(CortexXdrMaps.all());
        maps.addAll(CortexXdrEventMaps.all());
        maps.add(CortexXdrSoftwareMap.map());
        return List.copyOf(maps);
    }

    /**
     * {@code assets} makes the asset map active; {@code assets-and-findings} (the default) the
     * vulnerability map, which carries each asset's findings; {@code none} neither. The incident
     * and alert maps are active when {@code events} selects their streams, the software map when
     * {@code software} is true.
     */
    @Override
    public List<TransformMap> activeMaps(ConnectorConfig config) {
        List<TransformMap> maps = new ArrayList<>(switch (config.optionalString(DATA_TO_SYNC)
                .orElse(ASSETS_AND_FINDINGS)) {
            case "assets" -> List.of(CortexXdrMaps.assetMap());
            case "none" -> List.<TransformMap>of();
            default -> List.of(CortexXdrMaps.vulnerabilityMap());
        });
        maps.addAll(CortexXdrEventMaps.active(config.stringList(EVENTS)));
        if (config.bool(SOFTWARE_FIELD)) {
            maps.add(CortexXdrSoftwareMap.map());
        }
        return List.copyOf(maps);
    }

    @Override
    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
        CortexXdrSettings settings = CortexXdrSettings.from(config);
        CortexXdrClient client = CortexXdrClient.open(settings, context);
        // Findings: the XQL vulnerability join attaches cves[] to each page of endpoints.
        return new CortexXdrReader(client, settings.dataToSync().equals(ASSETS_AND_FINDINGS)
                ? VulnerabilityEnricher.open(client) : CortexXdrReader.Enrichment.NONE, EventSettings.from(config));
    }
}
