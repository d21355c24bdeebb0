package org.connectorsdk.cortexxdr.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Incidents and their alerts, changing over time. The initial incidents are computed from
 * (seed, index) like the endpoints; only what tests change afterwards is stored: the creation time
 * of each added incident and the latest modification of each modified one.
 *
 * <p>Incident {@code i} has id {@code i + 1}; initial incidents were created in the week before
 * the event time base, in id order; its 1 to 6 alerts have ids {@code 50000000000 + 6 i + k} and
 * arrive a minute apart from the incident's creation (server time, {@code local_insert_ts}); about
 * one alert in twenty was detected on an offline host days before the server saw it
 * ({@code detection_timestamp} long before {@code local_insert_ts}).
 */
final class EventStore {

    static final int MAX_ALERTS_PER_INCIDENT = 6;
    static final long ALERT_ID_BASE = 50_000_000_000L;
    static final int ALERT_TOTAL_CAP = 9_999;
    static final int ALERT_RESULT_WINDOW = 10_000;
    private static final long MINUTE_MS = 60_000L;
    private static final String[] SEVERITIES = {"low", "medium", "high", "critical"};
    private static final String[] OPEN_STATUSES = {"new", "under_investigation"};
    private static final String[] RESOLVED = {"resolved_threat_handled", "resolved_known_issue",
        "resolved_false_positive", "resolved_duplicate", "resolved_other", "resolved_auto"};
    private static final String[][] ALERT_KINDS = {
        {"Behavioral Threat", "Malware", "XDR Agent", "TA0002 - Execution", "T1059.001 - Command and Scripting Interpreter: PowerShell"},
        {"Local Analysis Malware", "Malware", "XDR Agent", "TA0002 - Execution", "T1204 - User Execution"},
        {"WildFire Malware", "Malware", "XDR Agent", "TA0002 - Execution", "T1204.002 - User Execution: Malicious File"},
        {"Credential Dumping", "Credential Access", "XDR Analytics", "TA0006 - Credential Access", "T1003 - OS Credential Dumping"},
        {"Suspicious Registry Query", "Discovery", "XDR BIOC", "TA0007 - Discovery", "T1012 - Query Registry"},
        {"Port Scan", "Reconnaissance", "XDR Analytics", "TA0043 - Reconnaissance", "T1046 - Network Service Discovery"},
    };
    private static final String[] USERS = {"administrator", "svc_backup", "alice", "bob", "carol", "dave"};

    private record Modification(long time, int count) {
    }

    record IncidentFacts(int index, long creation, long modification, String status, String severity,
            int alertCount, boolean starred) {
        String id() {
            return Integer.toString(index + 1);
        }
    }

    record AlertFacts(IncidentFacts incident, int k, long number, long serverTime, long detectionTime,
            String severity, String[] kind) {
        String id() {
            return Long.toString(ALERT_ID_BASE + number);
        }
    }

    private final SyntheticTenant tenant;
    private final long baseMs;
    private final int initial;
    private final int endpointSpan;
    private final List<Long> added = new ArrayList<>();
    private final Map<Integer, Modification> modified = new HashMap<>();
    private int modifyCursor;
    private final long liveEveryMs;
    private long nextLiveMs;
    /** When set, items of equal sort key come in a different order on every request, as some vendors serve them. */
    volatile boolean shuffledTies;
    private final AtomicLong listRequests = new AtomicLong();

    EventStore(SyntheticTenant tenant, long baseMs, int initial, int endpointSpan, long liveEveryMs) {
        this.tenant = tenant;
        this.baseMs = baseMs;
        this.initial = initial;
        this.endpointSpan = Math.max(1, endpointSpan);
        this.liveEveryMs = liveEveryMs;
        this.nextLiveMs = baseMs + liveEveryMs;
    }

    /**
     * Live mode: for every {@code liveEveryMs} of clock time past the base, one incident is
     * added and one modified, stamped with that tick's time. Catching up on demand keeps it
     * deterministic for a given clock.
     */
    synchronized void catchUp(long nowMs) {
        if (liveEveryMs <= 0) {
            return;
        }
        while (nextLiveMs <= nowMs) {
            if (count() > 0) {
                modify(1, nextLiveMs);
            }
            add(1, nextLiveMs);
            nextLiveMs += liveEveryMs;
        }
    }

    private long spacing() {
        return Math.max(MINUTE_MS, 7 * SyntheticTenant.DAY_MS / Math.max(1, initial));
    }

    synchronized int count() {
        return initial + added.size();
    }

    synchronized List<String> add(int howMany, long at) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < howMany; i++) {
            added.add(at + i);
            ids.add(Integer.toString(initial + added.size()));
        }
        return ids;
    }

    /** Modifies {@code howMany} incidents, walking the tenant in a fixed, seed-shuffled order. */
    synchronized List<String> modify(int howMany, long at) {
        int total = count();
        if (howMany > total) {
            throw new IllegalArgumentException("Cannot modify " + howMany + " incidents: the tenant has " + total);
        }
        List<String> ids = new ArrayList<>();
        // a stride coprime with the count visits every incident once before repeating
        int stride = strideFor(total);
        for (int i = 0; i < howMany; i++) {
            int index = (int) ((long) (modifyCursor++) * stride % total);
            modifyAt(index, at);
            ids.add(Integer.toString(index + 1));
        }
        return ids;
    }

    synchronized void modify(String incidentId, long at) {
        int index = indexOf(incidentId);
        if (index < 0) {
            throw new IllegalArgumentException("No incident with id " + incidentId + " (ids are 1.." + count() + ")");
        }
        modifyAt(index, at);
    }

    private void modifyAt(int index, long at) {
        Modification previous = modified.get(index);
        modified.put(index, new Modification(at, previous == null ? 1 : previous.count() + 1));
    }

    private int strideFor(int total) {
        int stride = (int) Math.floorMod(tenant.hash(total, 51), (long) Math.max(1, total));
        while (gcd(stride, total) != 1) {
            stride++;
        }
        return stride;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? Math.abs(a) : gcd(b, a % b);
    }

    private int indexOf(String incidentId) {
        try {
            int index = Integer.parseInt(incidentId.trim()) - 1;
            return index >= 0 && index < count() ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    synchronized IncidentFacts facts(int index) {
        SplittableRandom r = new SplittableRandom(tenant.hash(index, 41));
        long spacing = spacing();
        long creation;
        long modification;
        if (index < initial) {
            creation = baseMs - (long) (initial - index) * spacing + (long) (r.nextDouble() * spacing / 2);
            modification = creation + (long) (r.nextDouble() * spacing / 2);
        } else {
            r.nextDouble();
            r.nextDouble();
            creation = added.get(index - initial);
            modification = creation;
        }
        double statusDraw = r.nextDouble();
        String status = statusDraw < 0.4 ? OPEN_STATUSES[0] : statusDraw < 0.7 ? OPEN_STATUSES[1]
                : RESOLVED[r.nextInt(RESOLVED.length)];
        if (index >= initial) {
            status = "new";
        }
        String severity = SEVERITIES[r.nextInt(SEVERITIES.length)];
        int alertCount = 1 + r.nextInt(MAX_ALERTS_PER_INCIDENT);
        boolean starred = r.nextDouble() < 0.1;
        Modification change = modified.get(index);
        if (change != null) {
            modification = Math.max(creation, change.time());
            status = switch (status) {
                case "new" -> change.count() == 1 ? "under_investigation" : "resolved_threat_handled";
                case "under_investigation" -> "resolved_threat_handled";
                default -> change.count() % 2 == 1 ? "under_investigation" : "resolved_threat_handled";
            };
        }
        return new IncidentFacts(index, creation, modification, status, severity, alertCount, starred);
    }

    AlertFacts alert(IncidentFacts incident, int k) {
        SplittableRandom r = new SplittableRandom(tenant.hash((long) incident.index() * MAX_ALERTS_PER_INCIDENT + k, 42));
        long server = incident.creation() + k * MINUTE_MS + r.nextInt(1000);
        long detection = r.nextDouble() < 0.05
                ? server - SyntheticTenant.DAY_MS - (long) (r.nextDouble() * 2 * SyntheticTenant.DAY_MS)
                : server - r.nextInt(60_000);
        String severity = k == 0 ? incident.severity() : SEVERITIES[r.nextInt(SEVERITIES.length)];
        String[] kind = ALERT_KINDS[r.nextInt(ALERT_KINDS.length)];
        return new AlertFacts(incident, k, (long) incident.index() * MAX_ALERTS_PER_INCIDENT + k, server, detection,
                severity, kind);
    }

    private int endpointIndex(IncidentFacts incident) {
        return (int) Math.floorMod(tenant.hash(incident.index(), 43), (long) endpointSpan);
    }

    private String hostName(int endpointIndex) {
        return tenant.facts(endpointIndex).name();
    }

    Map<String, Object> incident(IncidentFacts f) {
        SplittableRandom r = new SplittableRandom(tenant.hash(f.index(), 44));
        int endpoint = endpointIndex(f);
        String host = hostName(endpoint);
        String user = USERS[r.nextInt(USERS.length)];
        int[] bySeverity = new int[4];
        List<String> tactics = new ArrayList<>();
        List<String> techniques = new ArrayList<>();
        TreeSet<String> categories = new TreeSet<>();
        TreeSet<String> sources = new TreeSet<>();
        String firstName = null;
        for (int k = 0; k < f.alertCount(); k++) {
            AlertFacts a = alert(f, k);
            bySeverity[List.of(SEVERITIES).indexOf(a.severity())]++;
            if (!tactics.contains(a.kind()[3])) {
                tactics.add(a.kind()[3]);
            }
            if (!techniques.contains(a.kind()[4])) {
                techniques.add(a.kind()[4]);
            }
            categories.add(a.kind()[1]);
            sources.add(a.kind()[2]);
            if (firstName == null) {
                firstName = a.kind()[0];
            }
        }
        boolean resolved = f.status().startsWith("resolved");
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("incident_id", f.id());
        e.put("incident_name", null);
        e.put("creation_time", f.creation());
        e.put("modification_time", f.modification());
        e.put("detection_time", null);
        e.put("status", f.status());
        e.put("severity", f.severity());
        e.put("description", "'" + firstName + "' generated by " + sources.first() + " detected on host " + host
                + " involving user " + user + (f.alertCount() > 1 ? " along with " + (f.alertCount() - 1)
                + " other alert" + (f.alertCount() > 2 ? "s" : "") : ""));
        boolean assigned = !f.status().equals("new");
        e.put("assigned_user_mail", assigned ? "analyst@example.com" : null);
        e.put("assigned_user_pretty_name", assigned ? "SOC Analyst" : null);
        e.put("alert_count", f.alertCount());
        e.put("low_severity_alert_count", bySeverity[0]);
        e.put("med_severity_alert_count", bySeverity[1]);
        e.put("high_severity_alert_count", bySeverity[2]);
        e.put("critical_severity_alert_count", bySeverity[3]);
        e.put("user_count", 1);
        e.put("host_count", 1);
        e.put("notes", null);
        e.put("resolve_comment", resolved ? "Handled by the simulator's synthetic analyst" : null);
        e.put("resolved_timestamp", resolved ? f.modification() : null);
        e.put("manual_severity", null);
        e.put("manual_description", null);
        e.put("xdr_url", "https://simulator.xdr.example.com/incident-view?caseId=" + f.id());
        e.put("starred", f.starred());
        e.put("hosts", List.of(host + ":" + tenant.endpointId(endpoint)));
        e.put("users", List.of(user));
        e.put("incident_sources", List.copyOf(sources));
        e.put("rule_based_score", null);
        e.put("manual_score", null);
        e.put("aggregated_score", 30 + r.nextInt(70));
        e.put("wildfire_hits", r.nextInt(3));
        e.put("alerts_grouping_status", "Enabled");
        e.put("mitre_tactics_ids_and_names", tactics);
        e.put("mitre_techniques_ids_and_names", techniques);
        e.put("alert_categories", List.copyOf(categories));
        e.put("tags", List.of("DS:PANW/XDR Agent"));
        return e;
    }

    Map<String, Object> alert(AlertFacts a) {
        SplittableRandom r = new SplittableRandom(tenant.hash(a.number(), 45));
        IncidentFacts f = a.incident();
        int endpoint = endpointIndex(f);
        SyntheticTenant.Facts host = tenant.facts(endpoint);
        String remoteIp = "198.51.100." + (1 + r.nextInt(254));
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("alert_id", a.id());
        e.put("external_id", Long.toHexString(tenant.hash(a.number(), 46)) + Long.toHexString(tenant.hash(a.number(), 47)));
        e.put("case_id", f.index() + 1);
        e.put("detection_timestamp", a.detectionTime());
        e.put("local_insert_ts", a.serverTime());
        e.put("last_modified_ts", Math.max(a.serverTime(), f.modification()));
        e.put("event_timestamp", List.of(a.detectionTime()));
        e.put("severity", a.severity());
        e.put("name", a.kind()[0]);
        e.put("category", a.kind()[1]);
        e.put("description", a.kind()[0] + " detected (synthetic rule sim." + a.kind()[1].toLowerCase(Locale.ROOT)
                .replace(' ', '_') + "_" + a.k() + ")");
        e.put("source", a.kind()[2]);
        boolean prevented = r.nextDouble() < 0.3;
        e.put("action", prevented ? "BLOCKED" : "REPORTED");
        e.put("action_pretty", prevented ? "Prevented (Blocked)" : "Detected (Reported)");
        e.put("endpoint_id", tenant.endpointId(endpoint));
        e.put("host_name", host.name());
        // most replies carry host_ip as an array; some tenants send one comma-joined string
        e.put("host_ip", r.nextDouble() < 0.1 ? String.join(", ", host.ips()) : host.ips());
        e.put("agent_os_type", switch (host.os()) {
            case WINDOWS -> "Windows";
            case LINUX -> "Linux";
            case MAC -> "macOS";
        });
        e.put("mitre_tactic_id_and_name", a.kind()[3]);
        e.put("mitre_technique_id_and_name", a.kind()[4]);
        e.put("resolution_status", f.status().startsWith("resolved") ? "STATUS_025_RESOLVED"
                : f.status().equals("new") ? "STATUS_010_NEW" : "STATUS_020_UNDER_INVESTIGATION");
        e.put("resolution_comment", null);
        e.put("starred", false);
        e.put("is_whitelisted", false);
        e.put("alert_type", "Unclassified");
        e.put("matching_status", "MATCHED");
        e.put("tags", "DS:PANW/XDR Agent");
        e.put("original_tags", "DS:PANW/XDR Agent");
        e.put("events_length", 1);
        e.put("event_type", List.of(r.nextBoolean() ? "PROCESS" : "NETWORK"));
        e.put("user_name", List.of(USERS[r.nextInt(USERS.length)]));
        e.put("actor_process_image_name", List.of(r.nextBoolean() ? "powershell.exe" : "cmd.exe"));
        e.put("actor_process_command_line", List.of("powershell.exe -NoProfile -EncodedCommand U0lNVUxBVE9S"));
        e.put("action_remote_ip", List.of(remoteIp));
        e.put("action_remote_port", List.of(443));
        e.put("action_file_sha256", List.of(Long.toHexString(tenant.hash(a.number(), 48)) + "0".repeat(48)));
        return e;
    }

    // ---- queries --------------------------------------------------------------------------------

    Map<String, Object> getIncidents(JsonNode data) {
        long from = EndpointQuery.longOr(data, "search_from", 0);
        long to = EndpointQuery.longOr(data, "search_to", from + EndpointQuery.MAX_PAGE);
        checkRange(from, to);
        List<Predicate<IncidentFacts>> predicates = new ArrayList<>();
        for (JsonNode filter : filters(data)) {
            String field = EndpointQuery.text(filter.get("field"), "filter field");
            String operator = EndpointQuery.text(filter.get("operator"), "filter operator").toLowerCase(Locale.ROOT);
            JsonNode value = filter.get("value");
            switch (field) {
                case "modification_time" -> predicates.add(timeFilter(field, operator, value, IncidentFacts::modification));
                case "creation_time" -> predicates.add(timeFilter(field, operator, value, IncidentFacts::creation));
                case "incident_id_list" -> {
                    requireIn(field, operator);
                    Set<String> ids = new TreeSet<>(EndpointQuery.strings(field, value));
                    predicates.add(f -> ids.contains(f.id()));
                }
                case "status" -> {
                    Set<String> wanted = new TreeSet<>();
                    EndpointQuery.strings(field, value).forEach(s -> wanted.add(s.toLowerCase(Locale.ROOT)));
                    switch (operator) {
                        case "eq", "in" -> predicates.add(f -> wanted.contains(f.status()));
                        case "neq" -> predicates.add(f -> !wanted.contains(f.status()));
                        default -> throw ApiError.badRequest("Unsupported operator " + operator
                                + " for filter status (eq, neq, in)");
                    }
                }
                default -> throw ApiError.badRequest("Unsupported filter field: " + field);
            }
        }
        String sortField = sortField(data, "creation_time", Set.of("creation_time", "modification_time"));
        boolean ascending = ascending(data);
        List<IncidentFacts> matching = new ArrayList<>();
        int total = count();
        for (int i = 0; i < total; i++) {
            IncidentFacts f = facts(i);
            if (predicates.stream().allMatch(p -> p.test(f))) {
                matching.add(f);
            }
        }
        Comparator<IncidentFacts> byKey = Comparator.comparingLong(sortField.equals("creation_time")
                ? IncidentFacts::creation : IncidentFacts::modification);
        long request = listRequests.incrementAndGet();
        matching.sort((ascending ? byKey : byKey.reversed()).thenComparingLong(f -> tieOrder(f.index(), request)));
        List<Map<String, Object>> page = new ArrayList<>();
        for (long i = from; i < Math.min(matching.size(), from + Math.min(EndpointQuery.MAX_PAGE, to - from)); i++) {
            page.add(incident(matching.get((int) i)));
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("total_count", matching.size());
        reply.put("result_count", page.size());
        reply.put("incidents", page);
        reply.put("restricted_incident_ids", List.of());
        return Map.of("reply", reply);
    }

    Map<String, Object> getAlerts(JsonNode data) {
        long from = EndpointQuery.longOr(data, "search_from", 0);
        long to = EndpointQuery.longOr(data, "search_to", from + EndpointQuery.MAX_PAGE);
        checkRange(from, to);
        long end = from + Math.min(EndpointQuery.MAX_PAGE, to - from);
        if (end > ALERT_RESULT_WINDOW) {
            throw ApiError.serverError("The requested range " + from + ".." + to + " exceeds the maximum of "
                    + ALERT_RESULT_WINDOW + " results; narrow the filters, e.g. a smaller server_creation_time window");
        }
        List<Predicate<AlertFacts>> predicates = new ArrayList<>();
        for (JsonNode filter : filters(data)) {
            String field = EndpointQuery.text(filter.get("field"), "filter field");
            String operator = EndpointQuery.text(filter.get("operator"), "filter operator").toLowerCase(Locale.ROOT);
            JsonNode value = filter.get("value");
            switch (field) {
                case "creation_time" -> predicates.add(timeFilter(field, operator, value, AlertFacts::detectionTime));
                case "server_creation_time" -> predicates.add(timeFilter(field, operator, value, AlertFacts::serverTime));
                case "alert_id_list" -> {
                    requireIn(field, operator);
                    Set<String> ids = new TreeSet<>(EndpointQuery.strings(field, value));
                    predicates.add(a -> ids.contains(a.id()));
                }
                case "severity" -> {
                    requireIn(field, operator);
                    Set<String> wanted = new TreeSet<>();
                    EndpointQuery.strings(field, value).forEach(s -> wanted.add(s.toLowerCase(Locale.ROOT)));
                    predicates.add(a -> wanted.contains(a.severity()));
                }
                case "alert_source" -> {
                    requireIn(field, operator);
                    Set<String> wanted = new TreeSet<>();
                    EndpointQuery.strings(field, value).forEach(s -> wanted.add(s.toLowerCase(Locale.ROOT)));
                    predicates.add(a -> wanted.contains(a.kind()[2].toLowerCase(Locale.ROOT)));
                }
                default -> throw ApiError.badRequest("Unsupported filter field: " + field);
            }
        }
        String sortField = sortField(data, "server_creation_time", Set.of("creation_time", "server_creation_time"));
        boolean ascending = ascending(data);
        List<AlertFacts> matching = new ArrayList<>();
        int total = count();
        for (int i = 0; i < total; i++) {
            IncidentFacts f = facts(i);
            for (int k = 0; k < f.alertCount(); k++) {
                AlertFacts a = alert(f, k);
                if (predicates.stream().allMatch(p -> p.test(a))) {
                    matching.add(a);
                }
            }
        }
        Comparator<AlertFacts> byKey = Comparator.comparingLong(sortField.equals("creation_time")
                ? AlertFacts::detectionTime : AlertFacts::serverTime);
        long request = listRequests.incrementAndGet();
        matching.sort((ascending ? byKey : byKey.reversed()).thenComparingLong(a -> tieOrder(a.number(), request)));
        List<Map<String, Object>> page = new ArrayList<>();
        for (long i = from; i < Math.min(matching.size(), end); i++) {
            page.add(alert(matching.get((int) i)));
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("total_count", Math.min(ALERT_TOTAL_CAP, matching.size()));
        reply.put("result_count", page.size());
        reply.put("alerts", page);
        return Map.of("reply", reply);
    }

    /** The rank of an item among equal keys: its own number, or a hash that differs per request. */
    private long tieOrder(long number, long request) {
        return shuffledTies ? tenant.hash(number, request) : number;
    }

    private static void checkRange(long from, long to) {
        if (from < 0 || to < from) {
            throw ApiError.badRequest("Invalid search range: search_from " + from + ", search_to " + to
                    + " (zero-based offsets, search_from <= search_to)");
        }
    }

    private static List<JsonNode> filters(JsonNode data) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode filters = data == null ? null : data.get("filters");
        if (filters == null || filters.isNull()) {
            return out;
        }
        if (!filters.isArray()) {
            throw ApiError.badRequest("filters must be a list of {field, operator, value}");
        }
        filters.forEach(out::add);
        return out;
    }

    private static void requireIn(String field, String operator) {
        if (!operator.equals("in")) {
            throw ApiError.badRequest("Unsupported operator " + operator + " for filter " + field + " (in)");
        }
    }

    private static <T> Predicate<T> timeFilter(String field, String operator, JsonNode value,
            java.util.function.ToLongFunction<T> time) {
        if (value == null || !value.canConvertToLong()) {
            throw ApiError.badRequest("Filter " + field + " needs an epoch-millisecond number, got " + value);
        }
        long bound = value.asLong();
        return switch (operator) {
            case "gte" -> t -> time.applyAsLong(t) >= bound;
            case "lte" -> t -> time.applyAsLong(t) <= bound;
            default -> throw ApiError.badRequest("Unsupported operator " + operator + " for filter " + field
                    + " (gte, lte)");
        };
    }

    private static String sortField(JsonNode data, String fallback, Set<String> allowed) {
        JsonNode sort = data == null ? null : data.get("sort");
        if (sort == null || sort.isNull()) {
            return fallback;
        }
        String field = EndpointQuery.text(sort.get("field"), "sort.field").toLowerCase(Locale.ROOT);
        if (!allowed.contains(field)) {
            throw ApiError.badRequest("Unsupported sort field: " + field + " " + new TreeSet<>(allowed));
        }
        return field;
    }

    private static boolean ascending(JsonNode data) {
        JsonNode sort = data == null ? null : data.get("sort");
        JsonNode keyword = sort == null ? null : sort.get("keyword");
        if (keyword == null || keyword.isNull()) {
            return true;
        }
        return switch (keyword.asText().toUpperCase(Locale.ROOT)) {
            case "ASC" -> true;
            case "DESC" -> false;
            default -> throw ApiError.badRequest("Unsupported sort keyword: " + keyword.asText() + " (ASC, DESC)");
        };
    }
}
