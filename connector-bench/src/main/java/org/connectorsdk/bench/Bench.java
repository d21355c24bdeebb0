package org.connectorsdk.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.connectorsdk.cortexxdr.simulator.RateWindow;

/**
 * The end-to-end bench: every figure of issue 9 measured side by side in one run against the
 * Cortex XDR simulator, printed as one table and written as JSON to
 * {@code target/bench/bench-<mode>.json}.
 *
 * <pre>
 * java -jar connector-bench/target/connector-bench.jar [--quick | --full] [--out DIR] [--rate-window sliding|fixed]
 * </pre>
 *
 * Exit code 0 when every target is met, 1 when one is missed, 2 on bad arguments.
 */
public final class Bench {

    /** How big each figure runs. */
    enum Mode {
        QUICK(2_000, 2_000, 1, false, 500, 2_000, 40, 10),
        DEFAULT(20_000, 20_000, 2, true, 10_000, 200_000, 1_000, 500),
        FULL(20_000, 20_000, 3, true, 10_000, 1_000_000, 1_000, 500);

        final int rateEndpoints;
        final int throughputEndpoints;
        final int throughputRounds;
        final boolean warmUp;
        final int memorySmall;
        final int memoryLarge;
        final int concurrencyInstances;
        final int concurrencyEndpoints;

        Mode(int rateEndpoints, int throughputEndpoints, int throughputRounds, boolean warmUp, int memorySmall,
                int memoryLarge, int concurrencyInstances, int concurrencyEndpoints) {
            this.rateEndpoints = rateEndpoints;
            this.throughputEndpoints = throughputEndpoints;
            this.throughputRounds = throughputRounds;
            this.warmUp = warmUp;
            this.memorySmall = memorySmall;
            this.memoryLarge = memoryLarge;
            this.concurrencyInstances = concurrencyInstances;
            this.concurrencyEndpoints = concurrencyEndpoints;
        }
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** Runs the bench; returns the exit code. */
    public static int run(String[] args, PrintStream out) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Mode mode = Mode.DEFAULT;
        Path dir = Path.of("target", "bench");
        List<String> only = new ArrayList<>();
        RateWindow window = RateWindow.SLIDING;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> mode = Mode.QUICK;
                case "--full" -> mode = Mode.FULL;
                case "--out" -> dir = Path.of(args[++i]);
                case "--only" -> only.add(args[++i]);
                case "--rate-window" -> {
                    try {
                        window = RateWindow.parse(args[++i]);
                    } catch (IllegalArgumentException e) {
                        out.println(e.getMessage());
                        return 2;
                    }
                }
                default -> {
                    out.println("Unknown argument '" + args[i] + "'; usage: [--quick | --full] [--out DIR]"
                            + " [--only engine|rate|throughput|memory|concurrency|postgres]... [--rate-window sliding|fixed]");
                    return 2;
                }
            }
        }
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory(dir.toAbsolutePath(), "work-");
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Instant started = Instant.now();
        out.printf(Locale.ROOT, "Connector SDK bench, %s mode: %d cores, load average %.2f, Java %s%n",
                mode.name().toLowerCase(Locale.ROOT), Runtime.getRuntime().availableProcessors(), loadBefore,
                System.getProperty("java.version"));
        List<Figure> figures = new ArrayList<>();
        try {
            if (wanted(only, "engine")) {
                progress(out, "engine (JMH)");
                figures.add(EngineFigure.run(mode == Mode.QUICK));
            }
            if (wanted(only, "rate")) {
                progress(out, "rate budget");
                figures.addAll(RateFigure.run(mode.rateEndpoints, window, work));
            }
            if (wanted(only, "throughput")) {
                progress(out, "throughput against the bare loop");
                figures.add(ThroughputFigure.run(mode.throughputEndpoints, mode.throughputRounds, mode.warmUp, work));
            }
            if (wanted(only, "memory")) {
                progress(out, "memory in -Xmx256m child JVMs");
                figures.add(MemoryFigure.run(mode.memorySmall, mode.memoryLarge, work));
            }
            if (wanted(only, "concurrency")) {
                progress(out, "concurrency");
                figures.add(ConcurrencyFigure.run(mode.concurrencyInstances, mode.concurrencyEndpoints, work));
            }
            if (wanted(only, "postgres")) {
                progress(out, "PostgreSQL sink against the JSON Lines sink");
                PostgresFigure.run(mode == Mode.QUICK ? 2_000 : 100_000, mode == Mode.QUICK ? 1 : 2, work, out)
                        .ifPresent(figures::add);
            }
        } finally {
            Tenant.deleteTree(work);
        }
        double seconds = java.time.Duration.between(started, Instant.now()).toMillis() / 1000.0;
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String table = table(figures);
        out.println();
        out.print(table);
        out.printf(Locale.ROOT, "%nbench took %.0f s; load average %.2f before, %.2f after%n", seconds, loadBefore,
                loadAfter);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", mode.name().toLowerCase(Locale.ROOT));
        json.put("startedAt", started.toString());
        json.put("seconds", seconds);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("loadAverageBefore", loadBefore);
        json.put("loadAverageAfter", loadAfter);
        json.put("java", System.getProperty("java.version"));
        json.put("figures", figures.stream().map(Figure::toJson).toList());
        json.put("table", table);
        Path file = dir.resolve("bench-" + mode.name().toLowerCase(Locale.ROOT) + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        out.println("JSON: " + file.toAbsolutePath());
        return figures.stream().allMatch(Figure::pass) ? 0 : 1;
    }

    private static boolean wanted(List<String> only, String figure) {
        return only.isEmpty() || only.contains(figure);
    }

    private static void progress(PrintStream out, String what) {
        out.println("... " + what);
        out.flush();
    }

    /**
     * The figures as a Markdown table, one line each. A figure whose id extends the previous
     * numbered one's (rate90 after rate) is its companion and keeps its number with a letter (2b).
     */
    static String table(List<Figure> figures) {
        StringBuilder b = new StringBuilder();
        b.append("| # | figure | measured | reference | ratio | target | result |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        int n = 0;
        char companion = 'a';
        String numbered = null;
        for (Figure f : figures) {
            String number;
            if (numbered != null && f.id().startsWith(numbered)) {
                number = n + String.valueOf(++companion);
            } else {
                n++;
                companion = 'a';
                numbered = f.id();
                number = String.valueOf(n);
            }
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %s | %s |%n", number, f.figure(),
                    f.measured(), f.reference(), f.ratio(), f.target(), f.pass() ? "PASS" : "FAIL"));
        }
        return b.toString();
    }
}
