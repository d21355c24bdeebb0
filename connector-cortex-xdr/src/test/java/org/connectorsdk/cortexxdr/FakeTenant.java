package org.connectorsdk.cortexxdr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Metrics;
import org.connectorsdk.api.ProbeResult;

/**
 * An in-memory tenant behind a fake {@link HttpTransport}: answers {@code get_endpoint} from a
 * sorted set of ids, so paging edge cases (growth, shrinking, a server that ignores offsets)
 * can be staged request by request without a network.
 */
class FakeTenant implements HttpTransport, ConnectorContext {
    private static final ObjectMapper JSON = new ObjectMapper();

    final TreeSet<String> ids = new TreeSet<>();
    final List<JsonNode> requests = new ArrayList<>();
    boolean sendTotalCount = true;
    boolean ignoreOffsets;
    /** The most endpoints one reply carries, whatever was asked. */
    int pageCap = 100;
    /** Added to the true total_count. */
    int totalCountDelta;
    /** Called with the 1-based request number before it is answered. */
    IntConsumer beforeRequest = n -> { };
    final Map<String, Long> counters = new LinkedHashMap<>();
    /** What the connector last asked the transport for. */
    Optional<HttpSettings> httpSettings = Optional.empty();

    FakeTenant(int endpoints) {
        for (int i = 0; i < endpoints; i++) {
            ids.add(id(i));
        }
    }

    /** A 32-hex-character id, spread over the id space like real ones. */
    static String id(long n) {
        return String.format("%016x%016x", EndpointPager.hash64("e" + n), n);
    }

    @Override
    public Response send(Request request) {
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        requests.add(body);
        beforeRequest.accept(requests.size());
        JsonNode data = body.path("request_data");
        int from = data.path("search_from").asInt(0);
        int to = data.path("search_to").asInt(from + 100);
        if (ignoreOffsets) {
            from = 0;
            to = 100;
        }
        List<String> sorted = new ArrayList<>(ids);
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = from; i < Math.min(Math.min(to, from + pageCap), sorted.size()); i++) {
            page.add(Map.of("endpoint_id", sorted.get(i), "endpoint_name", "host-" + i));
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        if (sendTotalCount) {
            reply.put("total_count", sorted.size() + totalCountDelta);
        }
        reply.put("result_count", page.size());
        reply.put("endpoints", page);
        try {
            return new Response(200, Map.of("content-type", List.of("application/json")),
                    JSON.writeValueAsBytes(Map.of("reply", reply)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StreamingResponse open(Request request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ProbeResult probeTcp(URI uri, Duration timeout) {
        return ProbeResult.ok("fake");
    }

    @Override
    public ProbeResult probeTls(URI uri, Duration timeout) {
        return ProbeResult.ok("fake");
    }

    @Override
    public String instanceName() {
        return "fake";
    }

    @Override
    public HttpTransport http(HttpSettings settings) {
        httpSettings = Optional.of(settings);
        return this;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public CancellationSignal cancellation() {
        return CancellationSignal.NONE;
    }

    @Override
    public Metrics metrics() {
        return (name, delta) -> counters.merge(name, delta, Long::sum);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
