package org.connectorsdk.cortexxdr.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Cortex XDR tenant on {@code https://127.0.0.1:<port>}, for tests, the demo and
 * benchmarks: the public API's paths, both key levels, paging, sorting and filters, XQL over
 * synthetic vulnerability data, a request-rate limit and faults on demand.
 *
 * <pre>{@code
 * try (CortexXdrSimulator tenant = CortexXdrSimulator.builder()
 *         .endpoints(250).seed(42)
 *         .standardKey("1", "standard-key").advancedKey("2", "advanced-key")
 *         .start()) {
 *     String url = tenant.baseUrl();              // https://127.0.0.1:<port>
 *     String trust = tenant.caCertificatePem();   // the instance's caCertificate
 *     tenant.faults().onPath(CortexXdrSimulator.GET_ENDPOINT).request(2).respond(TenantFault.status(503));
 * }
 * }</pre>
 *
 * <p><b>The tenant.</b> Endpoints are computed from (seed, index) on every request and never
 * stored, so a million endpoints cost no memory; the same seed gives byte-identical replies.
 * Endpoint ids are 32 lowercase hex characters whose first 8 are the index, so
 * {@code endpoint_id} order is index order. Times derive from a fixed reference instant
 * ({@link #referenceTime()}, 2026-11-01T00:00:00Z), not from the clock. Live endpoints are the
 * indexes {@code [firstEndpointIndex(), firstEndpointIndex() + endpointCount())}; the tenant can
 * grow and shrink while a client pages ({@link #addEndpoints}, {@link #removeEndpoints}), its
 * endpoints check in ({@link #seeEndpoints} moves {@code last_seen}) and gain or lose CVEs
 * ({@link #addCves}, {@link #removeCves}), so delta runs have something to find.
 *
 * <p><b>Auth.</b> Standard keys: {@code Authorization: <key>} and {@code x-xdr-auth-id}. Advanced
 * keys: {@code x-xdr-auth-id}, a 64-character {@code x-xdr-nonce}, {@code x-xdr-timestamp} in epoch
 * ms within 5 minutes of the simulator's clock, and {@code Authorization} = lowercase hex SHA-256 of
 * key + nonce + timestamp. Anything else (wrong key or id, a key used at the other level, a stale
 * timestamp) gets the vendor's exact 401 envelope.
 *
 * <p><b>Paging.</b> {@code get_endpoint} caps {@code search_to - search_from} at 100 results
 * (no error); a negative or inverted range and unknown filter or sort fields are 400s.
 *
 * <p><b>XQL.</b> The simulator does not interpret XQL: any query mentioning {@code va_endpoints}
 * yields one row per (endpoint, CVE) of the live tenant's assessed endpoints, sorted by
 * {@code endpoint_id} then CVE name, with the fields {@code endpoint_id, assessed_at, name,
 * severity, severity_score, description, publication_date}; an assessed endpoint without CVEs has
 * one row {@code endpoint_id, assessed_at} and {@code name} {@code ""} (what the connector's query
 * makes of an empty {@code cves} array), and an endpoint never assessed ({@link #assessed(int)};
 * none unless {@link Builder#unassessedEndpoints(double)} says so) has no row. {@code assessed_at}
 * (epoch ms) is an hour before the query started on the simulator's clock, unless
 * {@link #lastAssessment(int, Instant)} set it. Any query mentioning {@code host_inventory} (the Host Insights inventory)
 * yields one row per (endpoint, installed application), sorted by {@code endpoint_id} then
 * application name, with the fields of {@link #softwareFor(int)}. All vulnerability and software
 * data is <b>synthetic</b> (see {@link #cvesFor(int)}).
 * Results over 1,000 rows come as a {@code stream_id} whose body is gzip NDJSON (the body itself
 * is gzip data, without {@code Content-Encoding}), streamed without being held in memory.
 *
 * <p><b>Incidents and alerts.</b> {@code get_incidents} and {@code get_alerts_multi_events} page
 * like {@code get_endpoint} (100 per request at most) with their time filters and sorts; alerts
 * report {@code total_count} capped at 9,999 and refuse offsets past 10,000 results with a 500
 * asking for a narrower window. Tests change incidents over time with
 * {@link #addIncidents(int, Instant)} and {@link #modifyIncidents(int, Instant)}, or let them
 * arrive at a rate on the simulator's clock ({@link Builder#liveEvents}); ties in time can come in a
 * new order on every request ({@link #shuffleTiesOnEveryRequest}).
 *
 * <p>Replies are gzip-compressed ({@code Content-Encoding: gzip}) when the request accepts it.
 */
public final class CortexXdrSimulator implements AutoCloseable {

    /** Paged endpoint list. */
    public static final String GET_ENDPOINT = "/public_api/v1/endpoints/get_endpoint";
    /** Key check without data access; answers {@code true}. */
    public static final String VALIDATE_KEY = "/api_keys/validate";
    /** Starts an XQL query; answers {@code {"reply": "<query id>"}}. */
    public static final String START_XQL_QUERY = "/public_api/v1/xql/start_xql_query";
    /** Polls an XQL query. */
    public static final String GET_QUERY_RESULTS = "/public_api/v1/xql/get_query_results";
    /** Streams a large XQL result as gzip NDJSON. */
    public static final String GET_QUERY_RESULTS_STREAM = "/public_api/v1/xql/get_query_results_stream";
    /** Paged incidents. */
    public static final String GET_INCIDENTS = "/public_api/v1/incidents/get_incidents";
    /** Paged alerts, event fields as arrays ({@code total_count} capped at 9,999). */
    public static final String GET_ALERTS_MULTI_EVENTS = "/public_api/v2/alerts/get_alerts_multi_events";
    /** The v1 path of the same call, answered in the same shape. */
    static final String GET_ALERTS_MULTI_EVENTS_V1 = "/public_api/v1/alerts/get_alerts_multi_events";
    /** The alert call of older tenants: the same alerts, each as {@code {"alert_fields": {...}}}. */
    public static final String GET_ALERTS_BY_FILTER_DATA = "/public_api/v1/alerts/get_alerts_by_filter_data";

    private static final Logger LOG = LoggerFactory.getLogger(CortexXdrSimulator.class);
    private static final String RESOURCES = "/org/connectorsdk/cortexxdr/simulator/";
    private static final char[] KEYSTORE_PASSWORD = "simulator-test-only".toCharArray();
    private static final long MAX_CLOCK_SKEW_MS = Duration.ofMinutes(5).toMillis();
    private static final int MAX_REQUEST_BYTES = 1 << 20;

    private enum KeyLevel { STANDARD, ADVANCED }

    private record ApiKey(String id, String secret, KeyLevel level) {
        @Override
        public String toString() {
            return "ApiKey[id=" + id + ", level=" + level + ", secret=[hidden]]";
        }
    }

    @FunctionalInterface
    private interface Route {
        Reply handle(JsonNode requestData);
    }

    private final SyntheticTenant tenant;
    private final SyntheticCves cves;
    private final SyntheticSoftware software;
    private final XqlEngine xql;
    private final EventStore events;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, ApiKey> keys;
    private final Clock clock;
    private final int requestedPort;
    private final FaultPlan faults;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Map<String, AtomicLong> requestCounts = new ConcurrentHashMap<>();
    private final Map<String, byte[]> lastBodies = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> forbidden = new ConcurrentHashMap<>();
    private final Map<String, LicenceFailure> unlicensed = new ConcurrentHashMap<>();
    private final Set<String> restrictedIncidents = ConcurrentHashMap.newKeySet();
    private volatile boolean olderTenant;
    private volatile RequestWindow rateLimit;
    private final RateWindow rateWindow;
    private volatile Integer rateLimitRetryAfterSeconds;
    private int firstIndex;
    private int endIndex;
    private HttpsServer server;
    private ExecutorService executor;

    private CortexXdrSimulator(Builder builder) {
        this.tenant = new SyntheticTenant(builder.seed);
        this.cves = new SyntheticCves(tenant);
        this.software = new SyntheticSoftware(tenant);
        this.xql = new XqlEngine(tenant, builder.clock, cves, software, mapper, builder.unassessedShare);
        this.xql.pendingPolls = builder.xqlPendingPolls;
        long eventBase = builder.eventTimeBase != null ? builder.eventTimeBase.toEpochMilli()
                : builder.clock.millis() / 1000 * 1000;
        this.events = new EventStore(tenant, eventBase, builder.incidents, builder.endpoints,
                builder.liveEvents == null ? 0 : builder.liveEvents.toMillis());
        this.keys = Map.copyOf(builder.keys);
        this.clock = builder.clock;
        this.requestedPort = builder.port;
        this.faults = builder.faults;
        this.endIndex = builder.endpoints;
        this.rateLimitRetryAfterSeconds = builder.rateLimitRetryAfterSeconds;
        this.rateWindow = builder.rateWindow;
        if (builder.requestsPerSecond > 0) {
            this.rateLimit = new RequestWindow(clock, builder.requestsPerSecond, rateWindow);
        }
        routes.put(GET_ENDPOINT, this::getEndpoint);
        routes.put(VALIDATE_KEY, data -> Reply.json(200, Boolean.TRUE));
        routes.put(START_XQL_QUERY, data -> {
            int[] range = liveRange();
            return xql.start(data, range[0], range[1]);
        });
        routes.put(GET_QUERY_RESULTS, xql::results);
        routes.put(GET_QUERY_RESULTS_STREAM, xql::stream);
        routes.put(GET_INCIDENTS, data -> {
            events.catchUp(clock.millis());
            return Reply.json(200, withoutRestricted(events.getIncidents(data)));
        });
        routes.put(GET_ALERTS_MULTI_EVENTS, this::getAlerts);
        routes.put(GET_ALERTS_MULTI_EVENTS_V1, this::getAlerts);
        LegacyAlertReplies legacy = new LegacyAlertReplies(mapper);
        routes.put(GET_ALERTS_BY_FILTER_DATA, data -> {
            events.catchUp(clock.millis());
            return Reply.json(200, legacy.legacyReply(events.getAlerts(legacy.currentRequest(data))));
        });
    }

    /** A builder with no endpoints, seed 0, no keys, no rate limit and no faults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds HTTPS on 127.0.0.1 and starts answering. */
    public synchronized CortexXdrSimulator start() {
        if (server != null) {
            throw new IllegalStateException("Cortex XDR simulator already started on port " + port());
        }
        try {
            HttpsServer https = HttpsServer.create(
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), requestedPort), 64);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext()));
            AtomicInteger threads = new AtomicInteger();
            executor = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "cortex-xdr-simulator-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            https.setExecutor(executor);
            https.createContext("/", this::handle);
            https.start();
            server = https;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not bind the Cortex XDR simulator on 127.0.0.1:" + requestedPort
                    + "; choose another port or 0 for an ephemeral one", e);
        }
        LOG.info("Cortex XDR simulator listening on {} with {} endpoints", baseUrl(), endpointCount());
        return this;
    }

    private static SSLContext sslContext() {
        try (InputStream in = resource("simulator.p12")) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, KEYSTORE_PASSWORD);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, KEYSTORE_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("The simulator's bundled test keystore " + RESOURCES
                    + "simulator.p12 could not be loaded; rebuild the jar", e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = CortexXdrSimulator.class.getResourceAsStream(RESOURCES + name);
        if (in == null) {
            throw new IOException("missing resource " + RESOURCES + name);
        }
        return in;
    }

    /** Stops the server at once; in-flight exchanges are cut. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** {@code https://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "https://127.0.0.1:" + port();
    }

    /** The bound port. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The Cortex XDR simulator is not started; call start() first");
        }
        return server.getAddress().getPort();
    }

    /** PEM of the test-only CA that signed the simulator's certificate (trust it to talk to the simulator). */
    public String caCertificatePem() {
        return bundledCaCertificatePem();
    }

    /** The same PEM, without a simulator instance. */
    public static String bundledCaCertificatePem() {
        try (InputStream in = resource("simulator-ca.pem")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("The simulator's bundled CA certificate is missing", e);
        }
    }

    /** The live fault plan; rules added now apply to the next requests. */
    public FaultPlan faults() {
        return faults;
    }

    /** Requests received on a path (trailing slash ignored), whatever their outcome. */
    public long requestCount(String path) {
        AtomicLong count = requestCounts.get(normalizePath(path));
        return count == null ? 0 : count.get();
    }

    /** Requests received on all paths. */
    long totalRequestCount() {
        return requestCounts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** The instant the synthetic tenant calls "now": every first/last seen time is before it. */
    public static Instant referenceTime() {
        return Instant.ofEpochMilli(SyntheticTenant.REFERENCE_TIME_MS);
    }

    // ---- the tenant -------------------------------------------------------------------------

    /** Number of live endpoints. */
    public synchronized int endpointCount() {
        return endIndex - firstIndex;
    }

    /** Index of the first live endpoint (0 unless {@link #removeFirstEndpoints(int)} was called). */
    public synchronized int firstEndpointIndex() {
        return firstIndex;
    }

    private synchronized int[] liveRange() {
        return new int[] {firstIndex, endIndex};
    }

    /** Appends {@code count} endpoints after the last one (the tenant grows). */
    public synchronized void addEndpoints(int count) {
        requireNonNegative(count);
        endIndex = Math.addExact(endIndex, count);
    }

    /** Removes the last {@code count} endpoints (the tenant shrinks at its end). */
    public synchronized void removeEndpoints(int count) {
        requireNonNegative(count);
        endIndex = Math.max(firstIndex, endIndex - count);
    }

    /** Removes the first {@code count} endpoints: every later endpoint moves {@code count} offsets forward. */
    public synchronized void removeFirstEndpoints(int count) {
        requireNonNegative(count);
        firstIndex = Math.min(endIndex, firstIndex + count);
    }

    private static void requireNonNegative(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("Endpoint count change must not be negative, got " + count);
        }
    }

    /**
     * The endpoint at {@code index} exactly as {@code get_endpoint} returns it (a fresh mutable map
     * in field order). Any non-negative index works, live or not.
     */
    public Map<String, Object> endpoint(int index) {
        requireIndex(index);
        return tenant.endpoint(index);
    }

    /** The {@code endpoint_id} of the endpoint at {@code index}. */
    public String endpointId(int index) {
        requireIndex(index);
        return tenant.endpointId(index);
    }

    /** The ids of the live endpoints in {@code endpoint_id} order: a lazy view of this moment's tenant. */
    public List<String> endpointIds() {
        int[] range = liveRange();
        return new AbstractList<>() {
            @Override
            public String get(int position) {
                Objects.checkIndex(position, size());
                return tenant.endpointId(range[0] + position);
            }

            @Override
            public int size() {
                return range[1] - range[0];
            }
        };
    }

    /**
     * The <b>synthetic</b> CVEs of the endpoint at {@code index}, sorted by name: maps with
     * {@code name}, {@code severity}, {@code description}, {@code publication_date},
     * {@code severity_score}. Generated test data, not real advisories; every description says so.
     * XQL serves them only for an endpoint that is {@link #assessed(int)}.
     */
    public List<Map<String, Object>> cvesFor(int index) {
        requireIndex(index);
        return cves.forEndpoint(index);
    }

    /**
     * The <b>synthetic</b> installed applications of the endpoint at {@code index}, as its host
     * inventory rows sorted by application name: maps with {@code endpoint_id},
     * {@code endpoint_name}, {@code application_name}, {@code vendor}, {@code version} and
     * {@code installation_date} (epoch milliseconds). XQL queries over {@code host_inventory}
     * return these rows.
     */
    public List<Map<String, Object>> softwareFor(int index) {
        requireIndex(index);
        return software.rows(index);
    }

    /**
     * The endpoints at {@code indexes} check in at {@code at}: their {@code last_seen} moves
     * there (never back), so an incremental read on {@code last_seen} finds them.
     */
    public void seeEndpoints(Instant at, int... indexes) {
        for (int index : indexes) {
            requireIndex(index);
            tenant.seen(index, at.toEpochMilli());
        }
    }

    /**
     * The endpoint at {@code index} gains {@code count} CVEs it did not have (seeded choice;
     * {@code draw} varies it); returns their names. The next XQL query sees them.
     */
    public List<String> addCves(int index, int count, long draw) {
        requireIndex(index);
        requireNonNegative(count);
        return cves.add(index, count, 1_000 + draw);
    }

    /**
     * The endpoint at {@code index} was last assessed for vulnerabilities at {@code at}: the
     * {@code assessed_at} of its XQL rows from the next query on (e.g. long ago, for a stale
     * assessment). An endpoint never assessed until then has rows from then on.
     */
    public void lastAssessment(int index, Instant at) {
        requireIndex(index);
        xql.assessedAt(index, at.toEpochMilli());
    }

    /**
     * Whether the endpoint at {@code index} has a vulnerability assessment, and so rows in the
     * {@code va_endpoints} XQL results: true unless it is among the share
     * {@link Builder#unassessedEndpoints(double)} drew as never assessed and no
     * {@link #lastAssessment(int, Instant)} was set for it.
     */
    public boolean assessed(int index) {
        requireIndex(index);
        return xql.assessed(index);
    }

    /** The endpoint at {@code index} loses its first {@code count} CVEs by name (remediated); returns their names. */
    public List<String> removeCves(int index, int count) {
        requireIndex(index);
        requireNonNegative(count);
        return cves.remove(index, count);
    }

    private static void requireIndex(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("Endpoint index must not be negative, got " + index);
        }
    }

    // ---- incidents and alerts ------------------------------------------------------------------

    /** Number of incidents (initial plus added); ids are {@code "1"} to {@code "<count>"}. */
    public int incidentCount() {
        events.catchUp(clock.millis());
        return events.count();
    }

    /** Number of alerts over all incidents. */
    public int alertCount() {
        int total = 0;
        for (int i = 0; i < events.count(); i++) {
            total += events.facts(i).alertCount();
        }
        return total;
    }

    /** The incident with this id as {@code get_incidents} returns it now. */
    public Map<String, Object> incident(String incidentId) {
        return events.incident(events.facts(incidentIndex(incidentId)));
    }

    /** The alerts of this incident as {@code get_alerts_multi_events} returns them now, by alert id. */
    public List<Map<String, Object>> alertsOf(String incidentId) {
        EventStore.IncidentFacts facts = events.facts(incidentIndex(incidentId));
        List<Map<String, Object>> alerts = new java.util.ArrayList<>();
        for (int k = 0; k < facts.alertCount(); k++) {
            alerts.add(events.alert(events.alert(facts, k)));
        }
        return alerts;
    }

    private int incidentIndex(String incidentId) {
        Objects.requireNonNull(incidentId, "incidentId is null");
        try {
            int index = Integer.parseInt(incidentId) - 1;
            if (index >= 0 && index < events.count()) {
                return index;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("No incident with id " + incidentId + " (ids are 1.." + events.count() + ")");
    }

    /**
     * Adds {@code count} new incidents created (and modified) at {@code at}, status {@code new},
     * each with its alerts arriving from {@code at} on; returns their ids.
     */
    public List<String> addIncidents(int count, Instant at) {
        requireNonNegative(count);
        return events.add(count, at.toEpochMilli());
    }

    /**
     * Modifies {@code count} distinct incidents at {@code at} (their status moves on and their
     * {@code modification_time} becomes {@code at}); the choice is fixed by the seed. Returns their ids.
     */
    public List<String> modifyIncidents(int count, Instant at) {
        requireNonNegative(count);
        return events.modify(count, at.toEpochMilli());
    }

    /**
     * Serves incidents and alerts of equal sort time in a different order on every request
     * ({@code true}), as a vendor without a tie-breaker may, or in id order ({@code false}, the
     * default).
     */
    public void shuffleTiesOnEveryRequest(boolean shuffled) {
        events.shuffledTies = shuffled;
    }

    /** Modifies one incident at {@code at}. */
    public void modifyIncident(String incidentId, Instant at) {
        events.modify(incidentId, at.toEpochMilli());
    }

    // ---- roles, licences, limits --------------------------------------------------------------

    /** The key with this id gets 403 on these paths (its role lacks permission). */
    public void forbid(String keyId, String... paths) {
        Set<String> set = forbidden.computeIfAbsent(keyId, id -> ConcurrentHashMap.newKeySet());
        for (String path : paths) {
            set.add(normalizePath(path));
        }
    }

    /** Undoes {@link #forbid(String, String...)}. */
    public void allow(String keyId, String... paths) {
        Set<String> set = forbidden.get(keyId);
        if (set != null) {
            for (String path : paths) {
                set.remove(normalizePath(path));
            }
        }
    }

    /** These paths are outside the tenant's licence, answered the given way for every key. */
    public void unlicense(LicenceFailure failure, String... paths) {
        Objects.requireNonNull(failure, "failure is null");
        for (String path : paths) {
            unlicensed.put(normalizePath(path), failure);
        }
    }

    /** The three XQL paths are outside the licence (no Host Insights add-on). */
    public void unlicenseXql(LicenceFailure failure) {
        unlicense(failure, START_XQL_QUERY, GET_QUERY_RESULTS, GET_QUERY_RESULTS_STREAM);
    }

    /** Undoes {@link #unlicense(LicenceFailure, String...)}. */
    public void license(String... paths) {
        for (String path : paths) {
            unlicensed.remove(normalizePath(path));
        }
    }

    /** Changes the request-rate limit now, counted in the same kind of window; 0 or less removes it. */
    public void requestsPerSecond(double limit) {
        rateLimit = limit > 0 ? new RequestWindow(clock, limit, rateWindow) : null;
    }

    /** {@code Retry-After} seconds on rate-limit 429s, or null for none (the default). */
    void rateLimitRetryAfter(Integer seconds) {
        rateLimitRetryAfterSeconds = seconds;
    }

    /** How many {@code PENDING} answers a new XQL query gives before its result (default 1). */
    public void xqlPendingPolls(int polls) {
        requireNonNegative(polls);
        xql.pendingPolls = polls;
    }

    /** Queries started from now on end with status {@code FAIL} (or succeed again with false). */
    public void failXqlQueries(boolean fail) {
        xql.failQueries = fail;
    }

    /** The daily XQL quota; a query's cost is taken when its result is first read. 0 exhausts it. */
    public void xqlQuota(double quota) {
        xql.quota = quota;
    }

    /**
     * Makes incidents {@code ids} invisible to every key, as a scoped role does: {@code get_incidents}
     * leaves them out and lists their ids in {@code restricted_incident_ids}.
     */
    public void restrictIncidents(String... ids) {
        restrictedIncidents.addAll(List.of(ids));
    }

    /**
     * Whether the tenant behaves as an older one: {@code get_alerts_multi_events} answers 404,
     * and alerts are read with {@link #GET_ALERTS_BY_FILTER_DATA} only.
     */
    public void olderTenant(boolean older) {
        this.olderTenant = older;
    }

    /** How many started, not yet finished queries the tenant allows (default 4, as the real one). */
    public void maxParallelXqlQueries(int max) {
        xql.maxParallel = max;
    }

    /** Queries started whose final status has not been read yet. */
    public int runningXqlQueries() {
        return xql.runningQueries();
    }

    // ---- request pipeline ---------------------------------------------------------------------

    static String normalizePath(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private void handle(HttpExchange exchange) {
        String path = normalizePath(exchange.getRequestURI().getPath());
        long number = requestCounts.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
        TenantFault fault = faults.match(path, number).orElse(null);
        try {
            byte[] requestBody = readBody(exchange.getRequestBody());
            if (fault != null && !fault.delay.isZero()) {
                Thread.sleep(fault.delay.toMillis());
            }
            Reply reply;
            byte[] previous = lastBodies.get(path);
            if (fault != null && fault.replacesAnswer()) {
                reply = faultReply(fault);
            } else if (fault != null && fault.kind == TenantFault.Kind.REPEAT_PREVIOUS_PAGE && previous != null) {
                reply = Reply.raw(200, "application/json", previous);
            } else {
                reply = answer(exchange, path, requestBody);
                if (fault != null) {
                    adjustTotalCount(fault, reply);
                }
            }
            if (fault != null && fault.retryAfter != null) {
                reply.header("Retry-After", fault.retryAfter);
            }
            send(exchange, path, reply, fault);
        } catch (IOException e) {
            LOG.debug("Simulator exchange on {} ended early: {}", path, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Simulator failed to answer {}", path, e);
        } finally {
            exchange.close();
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (out.size() + n <= MAX_REQUEST_BYTES) {
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static Reply faultReply(TenantFault fault) {
        return switch (fault.kind) {
            case STATUS -> Replies.forStatus(fault.status);
            case ENVELOPE -> Reply.json(fault.status, Replies.envelope(fault.status, fault.errMsg, fault.errExtra));
            case HTML_LOGIN_PAGE -> Replies.htmlLoginPage();
            case EMPTY_BODY -> Reply.raw(200, "application/json", new byte[0]);
            default -> throw new IllegalStateException("not a replacing fault: " + fault);
        };
    }

    @SuppressWarnings("unchecked")
    private static void adjustTotalCount(TenantFault fault, Reply reply) {
        if (reply.status != 200 || !(reply.json instanceof Map<?, ?> outer)
                || !(outer.get("reply") instanceof Map<?, ?> inner) || !inner.containsKey("total_count")) {
            return;
        }
        Map<String, Object> target = (Map<String, Object>) inner;
        long truth = ((Number) target.get("total_count")).longValue();
        switch (fault.kind) {
            case TOTAL_COUNT_ABSENT -> target.remove("total_count");
            case TOTAL_COUNT_VALUE -> target.put("total_count", fault.number);
            case TOTAL_COUNT_DELTA -> target.put("total_count", Math.max(0, truth + fault.number));
            default -> {
                // other faults leave the tree alone
            }
        }
    }

    private Reply answer(HttpExchange exchange, String path, byte[] requestBody) {
        try {
            Route route = routes.get(path);
            if (route == null) {
                return Reply.json(404, Replies.envelope(404, "Not Found", "No API at " + path));
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                return Reply.json(405, Replies.envelope(405, "Method Not Allowed",
                        path + " accepts POST only, got " + exchange.getRequestMethod()));
            }
            RequestWindow limit = rateLimit;
            if (limit != null && !limit.tryAcquire()) {
                Reply reply = Replies.tooManyRequests();
                Integer retryAfter = rateLimitRetryAfterSeconds;
                if (retryAfter != null) {
                    reply.header("Retry-After", retryAfter.toString());
                }
                return reply;
            }
            ApiKey key = authenticate(exchange);
            if (key == null) {
                return Replies.unauthorized();
            }
            LicenceFailure licence = unlicensed.get(path);
            if (licence != null) {
                return licence == LicenceFailure.PAYMENT_REQUIRED
                        ? Replies.paymentRequired(path) : Replies.licenceServerError(path);
            }
            Set<String> denied = forbidden.get(key.id());
            if (denied != null && denied.contains(path)) {
                return Replies.forbidden(path);
            }
            JsonNode body;
            try {
                body = requestBody.length == 0 ? mapper.createObjectNode() : mapper.readTree(requestBody);
            } catch (IOException e) {
                throw ApiError.badRequest("The request body is not valid JSON");
            }
            if (body == null || !body.isObject()) {
                throw ApiError.badRequest("The request body must be a JSON object {\"request_data\": {...}}");
            }
            return route.handle(body.get("request_data"));
        } catch (ApiError e) {
            return e.toReply();
        }
    }

    private ApiKey authenticate(HttpExchange exchange) {
        String id = exchange.getRequestHeaders().getFirst("x-xdr-auth-id");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (id == null || authorization == null) {
            return null;
        }
        ApiKey key = keys.get(id.trim());
        if (key == null) {
            return null;
        }
        if (key.level() == KeyLevel.STANDARD) {
            return constantTimeEquals(authorization, key.secret()) ? key : null;
        }
        String nonce = exchange.getRequestHeaders().getFirst("x-xdr-nonce");
        String timestamp = exchange.getRequestHeaders().getFirst("x-xdr-timestamp");
        if (nonce == null || timestamp == null || nonce.length() != 64) {
            return null;
        }
        long millis;
        try {
            millis = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return null;
        }
        if (Math.abs(clock.millis() - millis) > MAX_CLOCK_SKEW_MS) {
            return null;
        }
        return constantTimeEquals(authorization, sha256Hex(key.secret() + nonce + timestamp)) ? key : null;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Withholds the restricted incidents of a {@code get_incidents} reply: each leaves the page
     * and its id goes to {@code restricted_incident_ids}, as for a key whose role is scoped.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> withoutRestricted(Map<String, Object> body) {
        if (restrictedIncidents.isEmpty()) {
            return body;
        }
        Map<String, Object> reply = (Map<String, Object>) body.get("reply");
        List<Map<String, Object>> visible = new ArrayList<>();
        List<String> withheld = new ArrayList<>();
        for (Map<String, Object> incident : (List<Map<String, Object>>) reply.get("incidents")) {
            String id = String.valueOf(incident.get("incident_id"));
            if (restrictedIncidents.contains(id)) {
                withheld.add(id);
            } else {
                visible.add(incident);
            }
        }
        reply.put("result_count", visible.size());
        reply.put("incidents", visible);
        reply.put("restricted_incident_ids", withheld);
        return body;
    }

    private Reply getAlerts(JsonNode requestData) {
        if (olderTenant) {
            return Reply.json(404, Replies.envelope(404, "Not Found", "No API at get_alerts_multi_events"));
        }
        events.catchUp(clock.millis());
        return Reply.json(200, events.getAlerts(requestData));
    }

    private Reply getEndpoint(JsonNode requestData) {
        int[] range = liveRange();
        EndpointQuery query = EndpointQuery.parse(tenant, requestData);
        EndpointQuery.Page page = query.run(range[0], range[1]);
        List<Map<String, Object>> endpoints = EndpointQuery.records(tenant, page);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("total_count", page.totalCount());
        reply.put("result_count", endpoints.size());
        reply.put("endpoints", endpoints);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reply", reply);
        return Reply.json(200, body);
    }

    private void send(HttpExchange exchange, String path, Reply reply, TenantFault fault) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType);
        reply.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        TenantFault.Kind kind = fault == null ? null : fault.kind;
        if (reply.writer != null) {
            exchange.sendResponseHeaders(reply.status, 0);
            try (OutputStream out = kind == TenantFault.Kind.STALLED_BODY
                    ? new StallingStream(exchange.getResponseBody(), TenantFault.STALL_AFTER_BYTES, fault.number)
                    : exchange.getResponseBody()) {
                reply.writer.writeTo(out);
            }
            return;
        }
        byte[] body = reply.json != null ? mapper.writeValueAsBytes(reply.json) : reply.bytes;
        if (reply.status == 200 && reply.json != null) {
            lastBodies.put(path, body);
        }
        if (kind == TenantFault.Kind.TRUNCATED_JSON) {
            body = Arrays.copyOf(body, body.length / 2);
        }
        String acceptEncoding = exchange.getRequestHeaders().getFirst("Accept-Encoding");
        if (body.length > 0 && acceptEncoding != null
                && acceptEncoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            body = gzip(body);
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        if (kind == TenantFault.Kind.CONNECTION_RESET) {
            exchange.sendResponseHeaders(reply.status, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            // Closing with bytes still owed makes the server drop the connection: the client
            // sees the body end early (EOF / reset) instead of a complete reply.
            throw new IOException("connection reset injected by fault plan");
        }
        if (kind == TenantFault.Kind.STALLED_BODY) {
            exchange.sendResponseHeaders(reply.status, body.length);
            try (OutputStream out = new StallingStream(exchange.getResponseBody(),
                    Math.min(TenantFault.STALL_AFTER_BYTES, body.length / 2), fault.number)) {
                out.write(body);
            }
            return;
        }
        exchange.sendResponseHeaders(reply.status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Passes the first bytes on, then waits without writing and drops the connection. */
    private static final class StallingStream extends FilterOutputStream {
        private final long stallMillis;
        private long left;

        StallingStream(OutputStream out, long passBytes, long stallMillis) {
            super(out);
            this.left = passBytes;
            this.stallMillis = stallMillis;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int pass = (int) Math.min(len, left);
            out.write(b, off, pass);
            left -= pass;
            if (pass < len) {
                out.flush();
                try {
                    Thread.sleep(stallMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("body stalled by the fault plan");
            }
        }
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "CortexXdrSimulator[" + (server == null ? "stopped" : baseUrl()) + ", endpoints="
                + endpointCount() + ", seed=" + tenant.seed() + "]";
    }

    /** Builds a {@link CortexXdrSimulator}; {@link #start()} builds and starts it. */
    public static final class Builder {
        private int endpoints;
        private long seed;
        private final Map<String, ApiKey> keys = new LinkedHashMap<>();
        private double requestsPerSecond;
        private RateWindow rateWindow = RateWindow.SLIDING;
        private Integer rateLimitRetryAfterSeconds;
        private FaultPlan faults = FaultPlan.create();
        private Clock clock = Clock.systemUTC();
        private int port;
        private int xqlPendingPolls = 1;
        private double unassessedShare;
        private int incidents;
        private Instant eventTimeBase;
        private Duration liveEvents;

        private Builder() {
        }

        /**
         * Live events for demos and schedulers: for every {@code every} of clock time after the
         * event time base, one incident is added and one modified (with that moment's time).
         * Off by default.
         */
        public Builder liveEvents(Duration every) {
            Objects.requireNonNull(every, "every is null");
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("Live event interval must be positive, got " + every);
            }
            this.liveEvents = every;
            return this;
        }

        /** Number of incidents at start (default 0), created during the week before the event time base. */
        public Builder incidents(int count) {
            requireNonNegative(count);
            this.incidents = count;
            return this;
        }

        /**
         * The instant the initial incidents lead up to (default: the clock's instant when the
         * simulator is built, to the second). Fix it (or the clock) for byte-identical event replies.
         */
        public Builder eventTimeBase(Instant base) {
            this.eventTimeBase = Objects.requireNonNull(base, "base is null");
            return this;
        }

        /** Number of endpoints at start (default 0). */
        public Builder endpoints(int count) {
            requireNonNegative(count);
            this.endpoints = count;
            return this;
        }

        /** Seed of the synthetic tenant (default 0); the same seed gives byte-identical replies. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** A standard-level key: {@code Authorization: <key>} with {@code x-xdr-auth-id: <keyId>}. */
        public Builder standardKey(String keyId, String key) {
            return key(keyId, key, KeyLevel.STANDARD);
        }

        /** An advanced-level key: nonce, timestamp and the SHA-256 of key + nonce + timestamp. */
        public Builder advancedKey(String keyId, String key) {
            return key(keyId, key, KeyLevel.ADVANCED);
        }

        private Builder key(String keyId, String key, KeyLevel level) {
            Objects.requireNonNull(keyId, "keyId is null");
            Objects.requireNonNull(key, "key is null");
            if (keys.containsKey(keyId)) {
                throw new IllegalArgumentException("Simulator key id " + keyId + " is given twice; use one id per key");
            }
            keys.put(keyId, new ApiKey(keyId, key, level));
            return this;
        }

        /**
         * A tenant-wide request budget, whatever the key, answered with 429 beyond it (default:
         * none).
         */
        public Builder requestsPerSecond(double limit) {
            this.requestsPerSecond = limit;
            return this;
        }

        /**
         * How the budget is counted: in any second ({@link RateWindow#SLIDING}, the default and
         * the hardest to meet) or per calendar second ({@link RateWindow#FIXED}).
         */
        public Builder rateWindow(RateWindow window) {
            this.rateWindow = Objects.requireNonNull(window, "window is null");
            return this;
        }

        /** {@code Retry-After} seconds on rate-limit 429s (default: no header). */
        Builder rateLimitRetryAfter(int seconds) {
            this.rateLimitRetryAfterSeconds = seconds;
            return this;
        }

        /** Faults to start with; more can be added later through {@link CortexXdrSimulator#faults()}. */
        Builder faultPlan(FaultPlan plan) {
            this.faults = Objects.requireNonNull(plan, "plan is null");
            return this;
        }

        /** Clock for advanced-key timestamps and the rate limit (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock is null");
            return this;
        }

        /** Port to bind on 127.0.0.1 (default 0: ephemeral). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Simulator port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** PENDING answers before an XQL result (default 1). */
        public Builder xqlPendingPolls(int polls) {
            requireNonNegative(polls);
            this.xqlPendingPolls = polls;
            return this;
        }

        /**
         * The share of endpoints, from 0 (the default: every endpoint is assessed) to 1, that were
         * never assessed for vulnerabilities (just enrolled, no Host Insights data, an agent too
         * old): they have no {@code va_endpoints} row. Which ones is drawn from the seed per
         * endpoint, so it costs no memory; {@link CortexXdrSimulator#assessed(int)} tells.
         */
        public Builder unassessedEndpoints(double share) {
            if (!(share >= 0.0 && share <= 1.0)) {
                throw new IllegalArgumentException("Share of unassessed endpoints must be 0..1, got " + share);
            }
            this.unassessedShare = share;
            return this;
        }

        /** The simulator, not yet listening. */
        public CortexXdrSimulator build() {
            return new CortexXdrSimulator(this);
        }

        /** The simulator, listening. */
        public CortexXdrSimulator start() {
            return build().start();
        }
    }
}
