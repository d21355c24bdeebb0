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
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;

/**
 * Figure 5: 1,000 instances in one runtime, all asked to run at once. The runs are started with
 * {@link ConnectorRuntime#runNow} from a bounded pool of callers rather than by the scheduler, so
 * the figure measures the workers, not the schedule's timing; the runtime's own worker pool
 * bounds how many run together.
 *
 * <p>Bounded threads: the peak number of the runtime's threads (workers, read-ahead threads, the
 * HTTP executor and the HttpClient selector) while they run must stay within a bound set by the
 * workers, not the instances; a batch of a fifth as many instances runs first for comparison.
 * (The HTTP executor is a fixed pool of {@code httpThreads}.) (The simulator and the callers
 * live in the same JVM; the JVM's total is reported too.) Peak live heap: the heap in use after a
 * full collection, sampled every second, for both batches (the simulator's share included). None starved: each
 * instance's wait before its run started, against its fair share of the queue.
 */
final class ConcurrencyFigure {
    static final int WORKERS = 8;
    static final int CALLERS = 16;
    /** Per running run its worker and its read-ahead thread, plus the fixed HTTP executor and the selectors: well within. */
    static final int THREAD_BOUND = 4 * WORKERS + 4;
    /** A full collection for the live heap every this many samples of 25 ms (one second). */
    private static final int LIVE_HEAP_EVERY = 40;

    private ConcurrencyFigure() {
    }

    /** What one batch of instances gave. */
    private record Batch(int instances, int processed, double seconds, double meanRun, double maxWait,
            double worstShare, int peakRuntimeThreads, Map<String, Integer> atPeak, int peakJvmThreads,
            long peakLiveHeap) {

        Map<String, Object> toJson() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("instances", instances);
            d.put("processed", processed);
            d.put("seconds", RateFigure.round(seconds));
            d.put("meanRunSeconds", RateFigure.round(meanRun));
            d.put("maxWaitSeconds", RateFigure.round(maxWait));
            d.put("worstWaitOverFairShare", RateFigure.round(worstShare));
            d.put("peakRuntimeThreads", peakRuntimeThreads);
            d.put("runtimeThreadsAtPeak", atPeak);
            d.put("peakJvmThreads", peakJvmThreads);
            d.put("peakLiveHeapBytes", peakLiveHeap);
            return d;
        }
    }

    static Figure run(int instances, int endpointsPerTenant, Path work) throws Exception {
        try (Tenant tenant = Tenant.start(endpointsPerTenant, 0)) {
            Batch quarter = measure(tenant, Math.max(WORKERS, instances / 5), endpointsPerTenant,
                    work.resolve("concurrency-quarter"));
            Batch all = measure(tenant, instances, endpointsPerTenant, work.resolve("concurrency-all"));
            // the bound depends on the workers only; the quarter batch shows the count next to fewer instances
            boolean bounded = all.peakRuntimeThreads() <= THREAD_BOUND;
            boolean pass = all.processed() == instances && bounded && all.worstShare() <= 2.0;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("workers", WORKERS);
            d.put("callers", CALLERS);
            d.put("endpointsPerInstance", endpointsPerTenant);
            d.put("threadBound", THREAD_BOUND);
            d.put("all", all.toJson());
            d.put("quarter", quarter.toJson());
            return new Figure("concurrency", String.format(
                    "%d instances in one runtime (%d workers), all due at once, %,d endpoints each", instances,
                    WORKERS, endpointsPerTenant),
                    String.format("%d/%d PROCESSED in %.1f s; %d runtime threads %s (JVM %d); peak live heap %.0f MB;"
                            + " worst wait %.2f x fair share", all.processed(), instances, all.seconds(),
                            all.peakRuntimeThreads(), all.atPeak(), all.peakJvmThreads(), all.peakLiveHeap() / 1e6,
                            all.worstShare()),
                    String.format("%d instances: %d runtime threads, peak live heap %.0f MB; bound %d;"
                            + " wait <= 2 x fair share", quarter.instances(), quarter.peakRuntimeThreads(),
                            quarter.peakLiveHeap() / 1e6, THREAD_BOUND), all.worstShare(),
                    "all run, bounded, none starved", pass, d);
        }
    }

    private static Batch measure(Tenant tenant, int instances, int endpointsPerTenant, Path work) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS, daemon("bench-caller-"));
        AtomicInteger peakThreads = new AtomicInteger();
        AtomicLong peakLiveHeap = new AtomicLong();
        AtomicInteger peakRuntime = new AtomicInteger();
        AtomicReference<Map<String, Integer>> atPeak = new AtomicReference<>(Map.of());
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            int samples = 0;
            while (sampling.get()) {
                peakThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
                if (samples++ % LIVE_HEAP_EVERY == 0) {
                    peakLiveHeap.accumulateAndGet(liveHeap(), Math::max);
                }
                Map<String, Integer> kinds = new TreeMap<>();
                int runtime = 0;
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    String name = t.getName();
                    if (name.startsWith("connector-") || name.startsWith("HttpClient-")) {
                        runtime++;
                        kinds.merge(name.replaceAll("-?[0-9]+", ""), 1, Integer::sum);
                    }
                }
                if (runtime > peakRuntime.get()) {
                    peakRuntime.set(runtime);
                    atPeak.set(kinds);
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-thread-sampler");
        sampler.setDaemon(true);
        try (ConnectorRuntime runtime = ConnectorRuntime.builder()
                .sink(new JsonLinesSink(work.resolve("out")))
                .stateStore(FileStateStore.open(work.resolve("state")))
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
            return new Batch(instances, processed, elapsed, meanRun, maxWait, worstShare, peakRuntime.get(),
                    atPeak.get(), peakThreads.get(), peakLiveHeap.get());
        } finally {
            sampling.set(false);
            callers.shutdownNow();
            Tenant.deleteTree(work);
        }
    }

    /** The heap in use after a full collection: what is live, garbage aside. */
    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
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
