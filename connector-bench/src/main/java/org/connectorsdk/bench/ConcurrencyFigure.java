package org.connectorsdk.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.connectorsdk.api.ConnectorState;
import org.connectorsdk.api.RunSummary;
import org.connectorsdk.api.StateTransition;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;

/**
 * Figure 5: 200 instances in one runtime, all asked to run at once. Until the scheduler exists
 * (issue 6), the runs are started with {@link ConnectorRuntime#runNow} from a bounded pool of
 * callers; the runtime's own worker pool bounds how many run together. Reported: the peak number
 * of the runtime's threads (workers, HTTP executor, HTTP selector) while they run, and each
 * instance's wait before its run started against its fair share of the queue. (The simulator
 * and the callers live in the same JVM; the JVM's total is reported too.)
 */
final class ConcurrencyFigure {
    static final int WORKERS = 8;
    static final int CALLERS = 16;

    private ConcurrencyFigure() {
    }

    static Figure run(int instances, int endpointsPerTenant, Path work) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Tenant tenant = Tenant.start(endpointsPerTenant, 0)) {
            int baseline = threads.getThreadCount();
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS, daemon("bench-caller-"));
            AtomicInteger peakThreads = new AtomicInteger();
            AtomicInteger peakConnectorThreads = new AtomicInteger();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    peakThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
                    int connector = 0;
                    for (Thread t : Thread.getAllStackTraces().keySet()) {
                        // the runtime's workers and HTTP threads, and the JDK HttpClient's selector
                        if (t.getName().startsWith("connector-") || t.getName().startsWith("HttpClient-")) {
                            connector++;
                        }
                    }
                    peakConnectorThreads.accumulateAndGet(connector, Math::max);
                    try {
                        Thread.sleep(25);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-thread-sampler");
            sampler.setDaemon(true);
            try (ConnectorRuntime runtime = ConnectorRuntime.builder()
                    .sink(new JsonLinesSink(work.resolve("concurrency-out")))
                    .stateStore(FileStateStore.open(work.resolve("concurrency-state")))
                    .workers(WORKERS)
                    .build()) {
                List<Future<?>> registered = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    String name = name(i);
                    registered.add(callers.submit(() -> runtime.register(tenant.unthrottled(name, "assets"))));
                }
                for (Future<?> f : registered) {
                    f.get();
                }
                sampler.start();
                Instant start = Instant.now();
                long t0 = System.nanoTime();
                List<Future<RunSummary>> runs = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    String name = name(i);
                    runs.add(callers.submit(() -> runtime.runNow(name)));
                }
                int processed = 0;
                List<Double> durations = new ArrayList<>();
                for (Future<RunSummary> f : runs) {
                    RunSummary s = f.get(30, TimeUnit.MINUTES);
                    if (s.state() == ConnectorState.PROCESSED
                            && s.streams().get("assets").written() == endpointsPerTenant) {
                        processed++;
                    }
                    durations.add(Duration.between(s.startedAt(), s.finishedAt()).toNanos() / 1e9);
                }
                double elapsed = (System.nanoTime() - t0) / 1e9;
                sampling.set(false);
                sampler.join();
                double meanRun = durations.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                // wait of instance k (k-th asked): from the moment all were asked until its run
                // began. Its fair share is its place in the queue, k / workers + 1 turns of the
                // observed turn time (the whole batch's time over its number of turns), plus the
                // reordering the callers allow (they hand the runtime up to CALLERS runs at once,
                // in any order: CALLERS / WORKERS turns)
                double turn = elapsed / Math.ceil((double) instances / WORKERS);
                double worstShare = 0;
                double maxWait = 0;
                for (int i = 0; i < instances; i++) {
                    double wait = startOf(runtime, name(i), start);
                    maxWait = Math.max(maxWait, wait);
                    double fair = (i / WORKERS + 1 + (double) CALLERS / WORKERS) * turn;
                    worstShare = Math.max(worstShare, wait / fair);
                }
                int runtimeThreads = peakConnectorThreads.get();
                // per running run: its worker, its read-ahead thread and an HTTP thread; plus the selector
                int bound = 3 * WORKERS + 4;
                boolean pass = processed == instances && runtimeThreads <= bound && worstShare <= 2.0;
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("instances", instances);
                d.put("endpointsPerInstance", endpointsPerTenant);
                d.put("workers", WORKERS);
                d.put("callers", CALLERS);
                d.put("processed", processed);
                d.put("seconds", RateFigure.round(elapsed));
                d.put("meanRunSeconds", RateFigure.round(meanRun));
                d.put("maxWaitSeconds", RateFigure.round(maxWait));
                d.put("worstWaitOverFairShare", RateFigure.round(worstShare));
                d.put("threadsBefore", baseline);
                d.put("peakThreads", peakThreads.get());
                d.put("peakRuntimeThreads", runtimeThreads);
                d.put("threadBound", bound);
                return new Figure("concurrency", String.format(
                        "%d instances in one runtime (%d workers), all due at once, %,d endpoints each", instances,
                        WORKERS, endpointsPerTenant),
                        String.format("%d/%d PROCESSED in %.1f s, %d runtime threads (JVM %d), worst wait %.2f x"
                                + " fair share", processed, instances, elapsed, runtimeThreads, peakThreads.get(),
                                worstShare),
                        String.format("runtime threads <= %d, wait <= 2 x fair share", bound), worstShare,
                        "all run, bounded, none starved", pass, d);
            } finally {
                sampling.set(false);
                callers.shutdownNow();
                Tenant.deleteTree(work.resolve("concurrency-out"));
            }
        }
    }

    private static String name(int i) {
        return String.format("tenant-%03d", i);
    }

    /** Seconds from {@code start} until the instance's (only) run entered PROCESSING. */
    private static double startOf(ConnectorRuntime runtime, String name, Instant start) {
        for (StateTransition t : runtime.history(name).transitions()) {
            if (t.state() == ConnectorState.PROCESSING) {
                return Math.max(0, Duration.between(start, t.at()).toNanos() / 1e9);
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
