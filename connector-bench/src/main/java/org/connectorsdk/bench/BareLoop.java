package org.connectorsdk.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;

/**
 * The reference for figure 2: the least a program must do to get the same data. It fetches the
 * same {@code get_endpoint} pages and the same XQL vulnerability rows as the connector, with an
 * {@link HttpClient} set up like the runtime's, parses every page and row into maps, and writes
 * the raw JSON to one file. No retries, no rate limiter, no join, no mapping, no checkpoints.
 */
final class BareLoop {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    /** The connector's query text does not matter to the simulator beyond naming va_endpoints. */
    private static final String QUERY = "dataset = va_endpoints | fields endpoint_id, cves | arrayexpand cves"
            + " | join type = inner (dataset = va_cves) as cve cve.name = cves | sort asc endpoint_id, asc name";

    private final HttpClient http;
    private final String baseUrl;

    BareLoop(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** Endpoints and vulnerability rows read. */
    record Counts(long endpoints, long rows) {
    }

    Counts run(Path file) throws IOException, InterruptedException {
        long endpoints = 0;
        long rows = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (long from = 0; ; from += 100) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("search_from", from);
                data.put("search_to", from + 100);
                data.put("sort", Map.of("field", "endpoint_id", "keyword", "ASC"));
                byte[] page = bytes(post(CortexXdrSimulator.GET_ENDPOINT, data));
                Map<String, Object> root = JSON.readValue(page, MAP);
                out.write(page);
                out.write('\n');
                Map<?, ?> reply = (Map<?, ?>) root.get("reply");
                int size = ((List<?>) reply.get("endpoints")).size();
                endpoints += size;
                long total = ((Number) reply.get("total_count")).longValue();
                if (size < 100 || from + size >= total) {
                    break;
                }
            }
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("query", QUERY);
            start.put("tenants", List.of());
            start.put("timeframe", Map.of("relativeTime", 7L * 24 * 3600 * 1000));
            String queryId = String.valueOf(JSON.readValue(bytes(post(CortexXdrSimulator.START_XQL_QUERY, start)), MAP)
                    .get("reply"));
            Map<?, ?> results;
            while (true) {
                Map<String, Object> poll = new LinkedHashMap<>();
                poll.put("query_id", queryId);
                poll.put("pending_flag", true);
                poll.put("limit", 1000);
                poll.put("format", "json");
                Map<?, ?> reply = (Map<?, ?>) JSON.readValue(bytes(post(CortexXdrSimulator.GET_QUERY_RESULTS, poll)),
                        MAP).get("reply");
                if ("SUCCESS".equals(reply.get("status"))) {
                    results = (Map<?, ?>) reply.get("results");
                    break;
                }
            }
            if (results.get("data") instanceof List<?> inline) {
                for (Object row : inline) {
                    out.write(JSON.writeValueAsBytes(row));
                    out.write('\n');
                    rows++;
                }
                return new Counts(endpoints, rows);
            }
            Map<String, Object> stream = new LinkedHashMap<>();
            stream.put("stream_id", results.get("stream_id"));
            stream.put("is_gzip_compressed", true);
            HttpResponse<InputStream> response = http.send(request(CortexXdrSimulator.GET_QUERY_RESULTS_STREAM, stream),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = new GZIPInputStream(response.body(), 1 << 16)) {
                rows += copyLines(in, out);
            }
        }
        return new Counts(endpoints, rows);
    }

    /** Parses each NDJSON line of {@code in} in place and writes its bytes; returns the lines. */
    private static long copyLines(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int filled = 0;
        long lines = 0;
        while (true) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
            int start = 0;
            for (int i = 0; i < filled; i++) {
                if (buffer[i] == '\n') {
                    if (i > start) {
                        JSON.readValue(buffer, start, i - start, MAP);
                        out.write(buffer, start, i - start + 1);
                        lines++;
                    }
                    start = i + 1;
                }
            }
            System.arraycopy(buffer, start, buffer, 0, filled - start);
            filled -= start;
            if (filled == buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
            }
        }
        if (filled > 0) {
            JSON.readValue(buffer, 0, filled, MAP);
            out.write(buffer, 0, filled);
            out.write('\n');
            lines++;
        }
        return lines;
    }

    private HttpResponse<byte[]> post(String path, Map<String, Object> requestData)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request(path, requestData), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered HTTP " + response.statusCode());
        }
        return response;
    }

    private HttpRequest request(String path, Map<String, Object> requestData) throws IOException {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", Tenant.KEY)
                .header("x-xdr-auth-id", Tenant.KEY_ID)
                .header("Content-Type", "application/json")
                .header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("request_data", requestData))))
                .build();
    }

    private static byte[] bytes(HttpResponse<byte[]> response) throws IOException {
        boolean gzip = response.headers().firstValue("Content-Encoding").map(v -> v.contains("gzip")).orElse(false);
        if (!gzip) {
            return response.body();
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            return in.readAllBytes();
        }
    }
}
