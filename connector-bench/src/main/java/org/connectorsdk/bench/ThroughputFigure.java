package org.connectorsdk.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.runtime.internal.http.HttpTransportFactory;

/**
 * Figure 2: endpoints per second of a full assets-and-findings sync through the runtime (reader,
 * XQL join, vulnerability map, JSON Lines sink, file state store) against {@link BareLoop} on
 * the same unlimited tenant. Both run alternately, after one warm-up each; the best time of each
 * counts, so a burst of load from another process hurts neither side more than the other.
 */
final class ThroughputFigure {
    private ThroughputFigure() {
    }

    static Figure run(int endpoints, int rounds, boolean warmUp, Path work) throws Exception {
        Path out = work.resolve("throughput-out");
        try (Tenant tenant = Tenant.start(endpoints, 0);
                ConnectorRuntime runtime = ConnectorRuntime.builder()
                        .sink(new JsonLinesSink(out))
                        .stateStore(FileStateStore.open(work.resolve("throughput-state")))
                        .workers(1)
                        .build()) {
            HttpClient http = bareClient(tenant.caPem());
            BareLoop bare = new BareLoop(http, tenant.baseUrl());
            List<Double> bareSeconds = new ArrayList<>();
            List<Double> sdkSeconds = new ArrayList<>();
            BareLoop.Counts counts = null;
            RunSummary last = null;
            int total = rounds + (warmUp ? 1 : 0);
            for (int round = 0; round < total; round++) {
                Files.createDirectories(out);
                long t0 = System.nanoTime();
                counts = bare.run(out.resolve("bare.jsonl"));
                double b = (System.nanoTime() - t0) / 1e9;
                Tenant.deleteTree(out);

                // a fresh instance each round: a second run of one instance would be a delta run
                String name = "throughput-" + round;
                runtime.register(tenant.unthrottled(name, "assets-and-findings"));
                long t1 = System.nanoTime();
                last = runtime.runNow(name);
                double s = (System.nanoTime() - t1) / 1e9;
                Tenant.deleteTree(out);
                if (last.state() != ConnectorState.PROCESSED) {
                    throw new IllegalStateException("The throughput sync ended " + last.state() + ": "
                            + last.error().map(Object::toString).orElse(""));
                }
                if (!warmUp || round > 0) {
                    bareSeconds.add(b);
                    sdkSeconds.add(s);
                }
            }
            double bestBare = bareSeconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double bestSdk = sdkSeconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double sdkRate = endpoints / bestSdk;
            double bareRate = endpoints / bestBare;
            double ratio = sdkRate / bareRate;
            long written = last.streams().get("assets").written();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("endpoints", endpoints);
            d.put("vulnerabilityRows", counts.rows());
            d.put("written", written);
            d.put("rounds", rounds);
            d.put("sdkSeconds", sdkSeconds);
            d.put("bareSeconds", bareSeconds);
            d.put("sdkEndpointsPerSecond", Math.round(sdkRate));
            d.put("bareEndpointsPerSecond", Math.round(bareRate));
            d.put("sdkCounters", last.counters());
            boolean pass = written == endpoints && counts.endpoints() == endpoints && ratio >= 0.9;
            return new Figure("throughput", String.format(
                    "end-to-end sync, %,d endpoints + %,d CVE rows, no rate limit, JSON Lines sink", endpoints,
                    counts.rows()),
                    String.format("%,.0f endpoints/s", sdkRate),
                    String.format("bare loop %,.0f endpoints/s", bareRate), ratio, ">= 0.9", pass, d);
        }
    }

    /**
     * The bare loop's client, made by the runtime's own {@link HttpTransportFactory#httpClient}
     * so both sides of the comparison speak HTTP alike (the default 10-second connect timeout).
     */
    private static HttpClient bareClient(String caPem) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "bare-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        return HttpTransportFactory.httpClient(Optional.of(caPem), Duration.ofSeconds(10), executor);
    }
}
