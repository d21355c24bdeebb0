package org.connectorsdk.cortexxdr.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.zip.GZIPOutputStream;

/**
 * The three XQL calls over the synthetic datasets. The simulator does not interpret XQL: the
 * dataset a query names decides its rows. A query that mentions {@code host_inventory} (the Host
 * Insights inventory, e.g. {@code preset = host_inventory_applications}) returns every
 * (endpoint, application) row, sorted by {@code endpoint_id} then application name; one that
 * mentions {@code va_endpoints} every (endpoint, CVE) row of the assessed endpoints, and one row
 * with an empty {@code name} for an assessed endpoint without CVEs, sorted by {@code endpoint_id}
 * then CVE {@code name}, each with its endpoint's {@code assessed_at} (epoch ms:
 * {@link #ASSESSMENT_LAG} before the query started unless a test set it); an endpoint never
 * assessed has no row. Both of the tenant as it was when the query started.
 */
final class XqlEngine {

    /** The rows of one synthetic dataset, endpoint by endpoint. */
    private interface Dataset {
        int count(int index);

        void addRows(Query query, int index, List<Map<String, Object>> out);

        void writeRows(Query query, int index, OutputStream out) throws IOException;
    }

    /** How long before a query an endpoint was last assessed, unless {@link #assessedAt} says otherwise. */
    static final Duration ASSESSMENT_LAG = Duration.ofHours(1);

    static final int MAX_INLINE_ROWS = 1000;
    /** The rest of an assessed endpoint's row when it has no CVE: the query's placeholder, an empty name. */
    private static final byte[] NO_CVE_TAIL = "\"name\":\"\"}".getBytes(StandardCharsets.US_ASCII);
    private static final double COST_PER_QUERY = 0.0013580555555555555;

    /** How a query is doing. RUNNING counts against the parallel limit until its final status is read. */
    private static final class Query {
        final String id;
        final int first;
        final int end;
        final Dataset dataset;
        final long startedAt;
        int pendingPollsLeft;
        boolean failed;
        boolean finished;
        String streamId;
        long rows = -1;
        double cost;

        Query(String id, int first, int end, Dataset dataset, long startedAt, int pendingPolls, boolean failed) {
            this.id = id;
            this.first = first;
            this.end = end;
            this.dataset = dataset;
            this.startedAt = startedAt;
            this.pendingPollsLeft = pendingPolls;
            this.failed = failed;
        }
    }

    private final SyntheticTenant tenant;
    private final Clock clock;
    private final SyntheticCves cves;
    private final SyntheticSoftware software;
    private final ObjectMapper mapper;
    private final Dataset vulnerabilities = new Dataset() {
        @Override
        public int count(int index) {
            return assessed(index) ? Math.max(1, cves.count(index)) : 0;
        }

        @Override
        public void addRows(Query query, int index, List<Map<String, Object>> out) {
            addCveRows(index, assessedAt(query, index), out);
        }

        @Override
        public void writeRows(Query query, int index, OutputStream out) throws IOException {
            writeCveRows(index, assessedAt(query, index), out);
        }
    };
    private final Dataset applications = new Dataset() {
        @Override
        public int count(int index) {
            return software.count(index);
        }

        @Override
        public void addRows(Query query, int index, List<Map<String, Object>> out) {
            out.addAll(software.rows(index));
        }

        @Override
        public void writeRows(Query query, int index, OutputStream out) throws IOException {
            for (Map<String, Object> row : software.rows(index)) {
                out.write(mapper.writeValueAsBytes(row));
                out.write('\n');
            }
        }
    };
    private final String tenantQuotaKey;
    private final Map<String, Query> queries = new ConcurrentHashMap<>();
    private final Map<String, Query> streams = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();
    /** Each pool CVE's row JSON after the endpoint id, serialized once (bounded by the pool size). */
    private final AtomicReferenceArray<byte[]> rowTails = new AtomicReferenceArray<>(SyntheticCves.POOL);
    /** Epoch ms of the latest assessment of endpoints a test set one for, by index. */
    private final Map<Integer, Long> assessments = new ConcurrentHashMap<>();
    /** The share of endpoints never assessed (no va_endpoints row), drawn per endpoint from the seed. */
    private final double unassessedShare;

    volatile int pendingPolls = 1;
    volatile int maxParallel = 4;
    volatile boolean failQueries;
    volatile double quota = 5.0;
    private double usedQuota;

    XqlEngine(SyntheticTenant tenant, Clock clock, SyntheticCves cves, SyntheticSoftware software,
            ObjectMapper mapper, double unassessedShare) {
        this.tenant = tenant;
        this.unassessedShare = unassessedShare;
        this.clock = clock;
        this.cves = cves;
        this.software = software;
        this.mapper = mapper;
        this.tenantQuotaKey = Long.toString(1_000_000_000L + Math.floorMod(SyntheticTenant.mix(tenant.seed()),
                1_000_000_000L));
    }

    synchronized Reply start(JsonNode requestData, int first, int end) {
        JsonNode query = requestData == null ? null : requestData.get("query");
        if (query == null || !query.isTextual() || query.asText().isBlank()) {
            throw ApiError.badRequest("request_data.query is required");
        }
        String text = query.asText().toLowerCase(Locale.ROOT);
        Dataset dataset = text.contains("host_inventory") ? applications
                : text.contains("va_endpoints") ? vulnerabilities : null;
        if (dataset == null) {
            throw ApiError.serverError("The simulator only answers queries over the datasets va_endpoints and"
                    + " host_inventory; it does not interpret XQL");
        }
        if (usedQuota >= quota) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("error_type", "QUOTA_EXCEEDED");
            extra.put("message", "query usage exceeded max daily quota");
            extra.put("used_quota", usedQuota);
            extra.put("max_quota", quota);
            throw new ApiError(500, Replies.SERVER_ERROR_MSG, extra);
        }
        long running = queries.values().stream().filter(q -> !q.finished).count();
        if (running >= maxParallel) {
            throw ApiError.serverError("reached max allowed amount of parallel running queries (" + maxParallel
                    + "), please wait for running queries to finish");
        }
        long n = counter.incrementAndGet();
        String id = String.format(Locale.ROOT, "%014x_%d_inv", tenant.hash(n, 31) >>> 8, n);
        queries.put(id, new Query(id, first, end, dataset, clock.millis(), pendingPolls, failQueries));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reply", id);
        return Reply.json(200, body);
    }

    synchronized Reply results(JsonNode requestData) {
        JsonNode idNode = requestData == null ? null : requestData.get("query_id");
        if (idNode == null || !idNode.isTextual()) {
            throw ApiError.badRequest("request_data.query_id is required");
        }
        Query query = queries.get(idNode.asText());
        if (query == null) {
            throw ApiError.serverError("Query ID " + idNode.asText() + " was not found");
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        if (query.pendingPollsLeft > 0) {
            query.pendingPollsLeft--;
            reply.put("status", "PENDING");
            return wrap(reply);
        }
        if (!query.finished) {
            query.finished = true;
            query.cost = query.failed ? 0.0 : COST_PER_QUERY;
            usedQuota += query.cost;
            if (!query.failed) {
                long rows = 0;
                for (int i = query.first; i < query.end; i++) {
                    rows += query.dataset.count(i);
                }
                query.rows = rows;
                if (rows > MAX_INLINE_ROWS) {
                    query.streamId = String.format(Locale.ROOT, "%016x%016x", tenant.hash(query.id.hashCode(), 32),
                            tenant.hash(query.id.hashCode(), 33));
                    streams.put(query.streamId, query);
                }
            }
        }
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put(tenantQuotaKey, query.cost);
        reply.put("status", query.failed ? "FAIL" : "SUCCESS");
        reply.put("number_of_results", query.failed ? 0 : query.rows);
        reply.put("query_cost", cost);
        reply.put("remaining_quota", Math.max(0.0, quota - usedQuota));
        Map<String, Object> results = new LinkedHashMap<>();
        if (query.failed) {
            results.put("data", List.of());
        } else if (query.streamId != null) {
            results.put("stream_id", query.streamId);
        } else {
            List<Map<String, Object>> data = new ArrayList<>();
            for (int i = query.first; i < query.end; i++) {
                query.dataset.addRows(query, i, data);
            }
            results.put("data", data);
        }
        reply.put("results", results);
        return wrap(reply);
    }

    Reply stream(JsonNode requestData) {
        JsonNode idNode = requestData == null ? null : requestData.get("stream_id");
        if (idNode == null || !idNode.isTextual()) {
            throw ApiError.badRequest("request_data.stream_id is required");
        }
        Query query = streams.get(idNode.asText());
        if (query == null) {
            throw ApiError.serverError("Stream ID " + idNode.asText() + " was not found");
        }
        JsonNode gzipNode = requestData.get("is_gzip_compressed");
        boolean gzip = gzipNode == null || gzipNode.asBoolean(true);
        // The body itself is gzip (no Content-Encoding), as public clients gunzip it themselves.
        return Reply.stream(gzip ? "application/octet-stream" : "application/x-ndjson", out -> {
            OutputStream target = gzip ? new GZIPOutputStream(out, 64 * 1024) : new BufferedOutputStream(out, 64 * 1024);
            for (int i = query.first; i < query.end; i++) {
                query.dataset.writeRows(query, i, target);
            }
            target.close();
        });
    }

    /** Endpoint {@code index}'s latest vulnerability assessment is at {@code epochMillis} from now on. */
    void assessedAt(int index, long epochMillis) {
        assessments.put(index, epochMillis);
    }

    /**
     * Whether endpoint {@code index} has a vulnerability assessment: one was set for it, or it is
     * not among the {@link #unassessedShare} drawn as never assessed.
     */
    boolean assessed(int index) {
        if (unassessedShare == 0.0 || assessments.containsKey(index)) {
            return true;
        }
        return (tenant.hash(index, 14) >>> 11) * 0x1.0p-53 >= unassessedShare;
    }

    private long assessedAt(Query query, int index) {
        Long set = assessments.get(index);
        return set != null ? set : query.startedAt - ASSESSMENT_LAG.toMillis();
    }

    private void writeCveRows(int index, long assessedAt, OutputStream target) throws IOException {
        if (!assessed(index)) {
            return;
        }
        byte[] head = ("{\"endpoint_id\":\"" + tenant.endpointId(index) + "\",\"assessed_at\":" + assessedAt + ",")
                .getBytes(StandardCharsets.US_ASCII);
        if (cves.count(index) == 0) {
            target.write(head);
            target.write(NO_CVE_TAIL);
            target.write('\n');
            return;
        }
        for (int j : cves.poolMembers(index)) {
            target.write(head);
            target.write(rowTail(j));
            target.write('\n');
        }
    }

    /** {@code "name":..,"severity":..,"severity_score":..,"description":..,"publication_date":..}} as Jackson writes it. */
    private byte[] rowTail(int j) throws IOException {
        byte[] tail = rowTails.get(j);
        if (tail == null) {
            Map<String, Object> cve = cves.cve(j);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", cve.get("name"));
            row.put("severity", cve.get("severity"));
            row.put("severity_score", cve.get("severity_score"));
            row.put("description", cve.get("description"));
            row.put("publication_date", cve.get("publication_date"));
            byte[] json = mapper.writeValueAsBytes(row);
            tail = java.util.Arrays.copyOfRange(json, 1, json.length);
            rowTails.compareAndSet(j, null, tail);
        }
        return tail;
    }

    private void addCveRows(int index, long assessedAt, List<Map<String, Object>> out) {
        if (!assessed(index)) {
            return;
        }
        String endpointId = tenant.endpointId(index);
        if (cves.count(index) == 0) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("endpoint_id", endpointId);
            row.put("assessed_at", assessedAt);
            row.put("name", "");
            out.add(row);
            return;
        }
        for (Map<String, Object> cve : cves.forEndpoint(index)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("endpoint_id", endpointId);
            row.put("assessed_at", assessedAt);
            row.put("name", cve.get("name"));
            row.put("severity", cve.get("severity"));
            row.put("severity_score", cve.get("severity_score"));
            row.put("description", cve.get("description"));
            row.put("publication_date", cve.get("publication_date"));
            out.add(row);
        }
    }

    synchronized int runningQueries() {
        return (int) queries.values().stream().filter(q -> !q.finished).count();
    }

    private static Reply wrap(Map<String, Object> reply) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reply", reply);
        return Reply.json(200, body);
    }
}
