package org.connectorsdk.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StreamStats;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;

/**
 * Figure 1: a full assets sync of N endpoints with a budget of R requests per second against a
 * tenant that answers 429 beyond 10 per second. The bound is N/100/R seconds (100 endpoints per
 * page); the run should take little more than that and never hit the tenant's limit.
 */
final class RateFigure {
    static final double TENANT_LIMIT = 10;
    static final int BUDGET = 9;

    private RateFigure() {
    }

    static Figure run(int endpoints, Path work) throws InterruptedException {
        try (Tenant tenant = Tenant.start(endpoints, TENANT_LIMIT);
                ConnectorRuntime runtime = ConnectorRuntime.builder()
                        .sink(new JsonLinesSink(work.resolve("rate-out")))
                        .stateStore(FileStateStore.open(work.resolve("rate-state")))
                        .workers(1)
                        .build()) {
            runtime.register(tenant.throttled("rate", "assets", BUDGET));
            // the connection checks spent some of the tenant's second; start the run on a full bucket
            Thread.sleep(1_500);
            long before = tenant.simulator.requestCount(CortexXdrSimulator.GET_ENDPOINT);
            long started = System.nanoTime();
            RunSummary summary = runtime.runNow("rate");
            double seconds = (System.nanoTime() - started) / 1e9;
            long requests = tenant.simulator.requestCount(CortexXdrSimulator.GET_ENDPOINT) - before;
            StreamStats assets = summary.streams().get("assets");
            long pages = assets == null ? 0 : assets.pages();
            long written = assets == null ? 0 : assets.written();
            // every page is one answered request; anything beyond was refused with a 429 and retried
            long tooMany = requests - pages;
            double bound = endpoints / 100.0 / BUDGET;
            double ratio = seconds / bound;
            boolean pass = summary.state() == ConnectorState.PROCESSED && written == endpoints && tooMany == 0
                    && ratio <= 1.15;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("endpoints", endpoints);
            d.put("budgetPerSecond", BUDGET);
            d.put("tenantLimitPerSecond", TENANT_LIMIT);
            d.put("seconds", round(seconds));
            d.put("boundSeconds", round(bound));
            d.put("pages", pages);
            d.put("requests", requests);
            d.put("http429", tooMany);
            d.put("retries", summary.counter("http.retries"));
            d.put("written", written);
            d.put("state", summary.state().name());
            Tenant.deleteTree(work.resolve("rate-out"));
            return new Figure("rate", String.format("full assets sync, %,d endpoints at %d req/s (tenant limit %.0f/s)",
                    endpoints, BUDGET, TENANT_LIMIT),
                    String.format("%.1f s, %d x HTTP 429", seconds, tooMany),
                    String.format("N/100/R = %.1f s", bound), ratio, "<= 1.15 and 0 x 429", pass, d);
        }
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
