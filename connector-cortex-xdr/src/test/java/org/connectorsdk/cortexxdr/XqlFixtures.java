package org.connectorsdk.cortexxdr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Synthetic XQL vulnerability rows (labelled so: no real reply is public) and helpers to serve
 * them. Endpoint {@code i} has id {@code %032x} of {@code i} and {@code i % 4} CVEs; one without
 * CVEs has the query's placeholder row ({@link #noCveRow}).
 */
final class XqlFixtures {
    private static final String[] SEVERITIES = {"CRITICAL", "HIGH", "MEDIUM", "LOW"};

    private XqlFixtures() {
    }

    static String endpointId(int i) {
        return String.format("%032x", i);
    }

    static Map<String, Object> endpoint(int i) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("endpoint_id", endpointId(i));
        e.put("endpoint_name", "host-" + i);
        return Map.copyOf(e);
    }

    static List<Map<String, Object>> endpoints(int from, int to) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(endpoint(i));
        }
        return out;
    }

    /** One synthetic row of the vulnerability query. */
    static Map<String, Object> row(int endpoint, int cve) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("endpoint_id", endpointId(endpoint));
        r.put("name", cveName(endpoint, cve));
        r.put("severity", SEVERITIES[(endpoint + cve) % 4]);
        r.put("severity_score", new BigDecimal("9.8").subtract(BigDecimal.valueOf(cve)));
        r.put("description", "Synthetic test vulnerability " + cve + " of endpoint " + endpoint);
        r.put("publication_date", 1_700_000_000_000L + cve * 86_400_000L);
        return r;
    }

    /**
     * The row the query keeps for an assessed endpoint without CVEs: an empty name, and the
     * va_cves fields the left join found nothing for as nulls.
     */
    static Map<String, Object> noCveRow(int endpoint) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("endpoint_id", endpointId(endpoint));
        r.put("name", "");
        r.put("severity", null);
        r.put("severity_score", null);
        r.put("description", null);
        r.put("publication_date", null);
        return r;
    }

    static String cveName(int endpoint, int cve) {
        return String.format("CVE-2024-%05d", endpoint * 10 + cve);
    }

    /** The rows of endpoints {@code [from, to)}, all assessed, sorted by endpoint id then CVE name. */
    static List<Map<String, Object>> rows(int from, int to, int cvesPerEndpointModulo) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int e = from; e < to; e++) {
            if (e % cvesPerEndpointModulo == 0) {
                out.add(noCveRow(e));
            }
            for (int c = 0; c < e % cvesPerEndpointModulo; c++) {
                out.add(row(e, c));
            }
        }
        return out;
    }

    static String json(Object value) {
        try {
            return CortexXdrJson.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] ndjson(List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> r : rows) {
            sb.append(json(r)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A SUCCESS reply of get_query_results with the rows inline. */
    static String success(List<Map<String, Object>> rows) {
        return json(Map.of("reply", Map.of("status", "SUCCESS", "number_of_results", rows.size(),
                "query_cost", Map.of("1098781949", 0.0013), "remaining_quota", 4.99,
                "results", Map.of("data", rows))));
    }

    /** A SUCCESS reply of get_query_results pointing at a stream. */
    static String successStream(int count, String streamId) {
        return json(Map.of("reply", Map.of("status", "SUCCESS", "number_of_results", count,
                "remaining_quota", 4.99, "results", Map.of("stream_id", streamId))));
    }

    static String pending() {
        return "{\"reply\": {\"status\": \"PENDING\", \"number_of_results\": 0, \"results\": {}}}";
    }

    static String error(int code, String message, String extra) {
        return json(Map.of("reply", Map.of("err_code", code, "err_msg", message, "err_extra", extra)));
    }

    static String resource(String name) {
        try (InputStream in = XqlFixtures.class.getResourceAsStream("/fixtures/xql/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
