package org.connectorsdk.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;

/**
 * Figure 4's child JVM (started with {@code -Xmx256m}): one full assets-and-findings sync of the
 * tenant at the given URL through the runtime into a JSON Lines sink, measuring the heap on the
 * way, then one line {@code RESULT {json}} on stdout.
 *
 * <p>Two measures: the live heap (used after a full collection, sampled {@value #SAMPLES} times at
 * evenly spaced points of the read and at the end: what the run holds on to) and the highest heap
 * use any collection saw before collecting (garbage included: it depends mostly on the heap size).
 * The same number of samples at every tenant size matters: each sample also holds the page in
 * flight, whose size varies with its endpoints' CVEs, and the largest of 200 such samples is
 * larger than the largest of 2 though nothing grows.
 */
public final class MemoryChild {
    static final int SAMPLES = 50;

    private MemoryChild() {
    }

    /** Arguments: base URL, CA certificate file, output directory. */
    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        String caPem = Files.readString(Path.of(args[1]));
        Path work = Path.of(args[2]);
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        AtomicLong peakBeforeGc = new AtomicLong();
        AtomicLong gcs = new AtomicLong();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                gcs.incrementAndGet();
                long before = sum(info.getGcInfo().getMemoryUsageBeforeGc(), heapPools);
                peakBeforeGc.accumulateAndGet(before, Math::max);
            }, null, null);
        }
        AtomicLong peakLive = new AtomicLong();
        AtomicLong samples = new AtomicLong();
        AtomicLong nextSample = new AtomicLong();
        long started = System.nanoTime();
        RunSummary summary;
        try (ConnectorRuntime runtime = ConnectorRuntime.builder()
                .sink(new JsonLinesSink(work.resolve("out")))
                .stateStore(FileStateStore.open(work.resolve("state")))
                .workers(1)
                .build()) {
            runtime.register(Tenant.unthrottled("memory", baseUrl, caPem, "assets-and-findings"));
            summary = runtime.runNow("memory", progress -> {
                if (progress.stream().equals("assets") && progress.records() >= nextSample.get()) {
                    peakLive.accumulateAndGet(liveHeap(), Math::max);
                    samples.incrementAndGet();
                    long step = Math.max(1, progress.totalCount().orElse(0) / SAMPLES);
                    nextSample.set(progress.records() + step);
                }
            });
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        peakLive.accumulateAndGet(liveHeap(), Math::max);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("state", summary.state().name());
        result.put("error", summary.error().map(Object::toString).orElse(""));
        result.put("written", summary.streams().isEmpty() ? 0 : summary.streams().get("assets").written());
        result.put("vulnerabilityRows", summary.counter("xql.rows"));
        result.put("seconds", seconds);
        result.put("peakLiveHeapBytes", peakLive.get());
        result.put("liveSamples", samples.get() + 1);
        result.put("peakHeapBeforeGcBytes", peakBeforeGc.get());
        result.put("collections", gcs.get());
        result.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long sum(Map<String, MemoryUsage> usage, Set<String> pools) {
        long total = 0;
        for (var e : usage.entrySet()) {
            if (pools.contains(e.getKey())) {
                total += e.getValue().getUsed();
            }
        }
        return total;
    }
}
