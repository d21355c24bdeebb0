package org.connectorsdk.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StreamStats;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.RateWindow;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.runtime.internal.http.HttpTransportFactory;

/**
 * Figure 2 and its companion: full assets syncs of N endpoints against a tenant that answers 429
 * beyond 10 requests per second (sliding window unless told otherwise). The bound is N/100/R
 * seconds (100 endpoints per page). Three lines:
 * <ul>
 *   <li>budget = the tenant's limit, next to a naive loop (sequential pages, a 1 s sleep on a 429)
 *       measured against a fresh tenant in the same run;</li>
 *   <li>budget = 90% of the limit;</li>
 *   <li>two instances with different keys on one tenant, 8 req/s each, run at once.</li>
 * </ul>
 */
final class RateFigure {
    static final int TENANT_LIMIT = 10;
    static final int BELOW_LIMIT = 9;
    static final int SHARED_BUDGET = 8;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RateFigure() {
    }

    /** What one sync at a budget gave. */
    private record Sync(double seconds, long pages, long http429, long written, ConnectorState state,
            long settledPerMinute) {
    }

    static List<Figure> run(int endpoints, RateWindow window, Path work) throws Exception {
        List<Figure> figures = new ArrayList<>();
        Naive naive = naiveLoop(endpoints, window);
        Sync atLimit = sync(endpoints, window, TENANT_LIMIT, work);
        double bound = endpoints / 100.0 / TENANT_LIMIT;
        figures.add(figure("rate", endpoints, window, TENANT_LIMIT, atLimit, bound, 1.10, 3,
                String.format("N/100/R = %.1f s; naive loop %.1f s (%.2f x), %d x HTTP 429", bound, naive.seconds(),
                        naive.seconds() / bound, naive.http429()), naive));
        Sync below = sync(endpoints, window, BELOW_LIMIT, work);
        figures.add(figure("rate90", endpoints, window, BELOW_LIMIT, below, endpoints / 100.0 / BELOW_LIMIT, 1.05, 0,
                String.format("N/100/R = %.1f s", endpoints / 100.0 / BELOW_LIMIT), null));
        figures.add(shared(endpoints * 3 / 10, window, work));
        return figures;
    }

    private static Figure figure(String id, int endpoints, RateWindow window, int budget, Sync sync, double bound,
            double maxRatio, long max429, String reference, Naive naive) {
        double ratio = sync.seconds() / bound;
        boolean pass = sync.state() == ConnectorState.PROCESSED && sync.written() == endpoints
                && sync.http429() <= max429 && ratio <= maxRatio;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("endpoints", endpoints);
        d.put("budgetPerSecond", budget);
        d.put("tenantLimitPerSecond", TENANT_LIMIT);
        d.put("rateWindow", window.optionValue());
        d.put("seconds", round(sync.seconds()));
        d.put("boundSeconds", round(bound));
        d.put("pages", sync.pages());
        d.put("http429", sync.http429());
        d.put("settledRequestsPerMinute", sync.settledPerMinute());
        d.put("state", sync.state().name());
        if (naive != null) {
            d.put("naiveLoopSeconds", round(naive.seconds()));
            d.put("naiveLoopHttp429", naive.http429());
        }
        return new Figure(id, String.format("full assets sync, %,d endpoints at %d req/s (tenant limit %d/s, %s)",
                endpoints, budget, TENANT_LIMIT, window.optionValue()),
                String.format("%.1f s, %d x HTTP 429, settled at %.1f req/s", sync.seconds(), sync.http429(),
                        sync.settledPerMinute() / 60.0),
                reference, ratio, String.format("<= %.2f and <= %d x 429", maxRatio, max429), pass, d);
    }

    private static Sync sync(int endpoints, RateWindow window, int budget, Path work) throws InterruptedException {
        try (Tenant tenant = Tenant.start(endpoints, TENANT_LIMIT, window);
                ConnectorRuntime runtime = ConnectorRuntime.builder()
                        .sink(new JsonLinesSink(work.resolve("rate-out")))
                        .stateStore(FileStateStore.open(work.resolve("rate-state-" + budget)))
                        .workers(1)
                        .build()) {
            runtime.register(tenant.throttled("rate", "assets", budget));
            // the connection checks spent some of the tenant's second; start the run on an empty window
            Thread.sleep(1_500);
            long before = tenant.simulator.requestCount(CortexXdrSimulator.GET_ENDPOINT);
            long started = System.nanoTime();
            RunSummary summary = runtime.runNow("rate");
            double seconds = (System.nanoTime() - started) / 1e9;
            long requests = tenant.simulator.requestCount(CortexXdrSimulator.GET_ENDPOINT) - before;
            StreamStats assets = summary.streams().get("assets");
            long pages = assets == null ? 0 : assets.pages();
            Tenant.deleteTree(work.resolve("rate-out"));
            // every page is one answered request; anything beyond was refused with a 429 and retried
            return new Sync(seconds, pages, requests - pages, assets == null ? 0 : assets.written(), summary.state(),
                    summary.counter("http.settledRequestsPerMinute"));
        }
    }

    /** Two instances with different keys on one tenant, at {@link #SHARED_BUDGET} each, run at once. */
    private static Figure shared(int endpoints, RateWindow window, Path work) throws Exception {
        try (Tenant tenant = Tenant.start(endpoints, TENANT_LIMIT, window);
                ConnectorRuntime runtime = ConnectorRuntime.builder()
                        .sink(new JsonLinesSink(work.resolve("shared-out")))
                        .stateStore(FileStateStore.open(work.resolve("shared-state")))
                        .workers(2)
                        .build()) {
            runtime.register(tenant.throttled("first", "assets", SHARED_BUDGET, Tenant.KEY_ID, Tenant.KEY));
            runtime.register(tenant.throttled("second", "assets", SHARED_BUDGET, Tenant.SECOND_KEY_ID,
                    Tenant.SECOND_KEY));
            Thread.sleep(1_500);
            long before = tenant.simulator.requestCount(CortexXdrSimulator.GET_ENDPOINT);
            long started = System.nanoTime();
            CompletableFuture<RunSummary> first = CompletableFuture.supplyAsync(() -> runtime.runNow("first"));
            CompletableFuture<RunSummary> second = CompletableFuture.supplyAsync(() -> runtime.runNow("second"));
            List<RunSummary> runs = List.of(first.join(), second.join());
            double seconds = (System.nanoTime() - started) / 1e9;
            long requests = tenant.simulator.requestCount(CortexXdrSimulator.GET_ENDPOINT) - before;
            long pages = 0;
            long processed = 0;
            long throttled = 0;
            for (RunSummary s : runs) {
                StreamStats assets = s.streams().get("assets");
                pages += assets == null ? 0 : assets.pages();
                throttled += s.counter("http.throttled");
                if (s.state() == ConnectorState.PROCESSED && assets != null && assets.written() == endpoints) {
                    processed++;
                }
            }
            long http429 = requests - pages;
            double rate = requests / seconds;
            boolean pass = processed == 2 && rate <= TENANT_LIMIT && http429 == 0;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("endpointsPerInstance", endpoints);
            d.put("budgetPerInstance", SHARED_BUDGET);
            d.put("rateWindow", window.optionValue());
            d.put("seconds", round(seconds));
            d.put("requests", requests);
            d.put("requestsPerSecond", round(rate));
            d.put("http429", http429);
            d.put("http429SeenByRuns", throttled);
            d.put("processed", processed);
            Tenant.deleteTree(work.resolve("shared-out"));
            return new Figure("rateSharedTenant", String.format("two instances, two keys, one tenant (limit %d/s, %s),"
                    + " %d req/s each, %,d endpoints each, at once", TENANT_LIMIT, window.optionValue(), SHARED_BUDGET,
                    endpoints),
                    String.format("%d/2 PROCESSED in %.1f s; combined %.2f req/s; %d x HTTP 429", processed, seconds,
                            rate, http429),
                    String.format("tenant limit %d req/s", TENANT_LIMIT), rate / TENANT_LIMIT,
                    "<= 1.00 and 0 x 429, both PROCESSED", pass, d);
        }
    }

    /** What the naive loop gave. */
    private record Naive(double seconds, long http429) {
    }

    /**
     * The loop an operator might write instead: sequential {@code get_endpoint} pages as fast as
     * the tenant answers, sleeping one second on a 429 and asking again.
     */
    private static Naive naiveLoop(int endpoints, RateWindow window) throws IOException, InterruptedException {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-naive-http");
            t.setDaemon(true);
            return t;
        });
        try (Tenant tenant = Tenant.start(endpoints, TENANT_LIMIT, window)) {
            HttpClient http = HttpTransportFactory.httpClient(Optional.of(tenant.caPem()), Duration.ofSeconds(10),
                    executor);
            long http429 = 0;
            long started = System.nanoTime();
            for (long from = 0; from < endpoints; ) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("search_from", from);
                data.put("search_to", from + 100);
                data.put("sort", Map.of("field", "endpoint_id", "keyword", "ASC"));
                HttpRequest request = HttpRequest.newBuilder(URI.create(tenant.baseUrl() + CortexXdrSimulator.GET_ENDPOINT))
                        .header("Authorization", Tenant.KEY)
                        .header("x-xdr-auth-id", Tenant.KEY_ID)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                JSON.writeValueAsBytes(Map.of("request_data", data))))
                        .build();
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() == 429) {
                    http429++;
                    Thread.sleep(1_000);
                    continue;
                }
                if (response.statusCode() != 200) {
                    throw new IOException("the naive loop got HTTP " + response.statusCode());
                }
                JSON.readTree(response.body());
                from += 100;
            }
            return new Naive((System.nanoTime() - started) / 1e9, http429);
        } finally {
            executor.shutdownNow();
        }
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
