package org.connectorsdk.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Figure 3: {@link EngineBenchmark} run through JMH's API. Default: five rounds, each one
 * forked JVM per method with 2 warm-up and 3 measured iterations of 1 s; the median of each method counts. Quick: one round in
 * this JVM, one short iteration of each.
 */
final class EngineFigure {
    private EngineFigure() {
    }

    static Figure run(boolean quick) throws RunnerException {
        // the two methods run alternately, one fork each, five times over, and the median score of
        // each counts: on a shared machine a burst of load then slows one round, not one side, and
        // a fork whose JIT happened to compile the engine unusually well or badly does not decide
        int rounds = quick ? 1 : 5;
        double engine = 0;
        double hand = 0;
        List<Double> engineScores = new ArrayList<>();
        List<Double> handScores = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double e = score("engine", quick);
            double h = score("handWritten", quick);
            engineScores.add(RateFigure.round(e));
            handScores.add(RateFigure.round(h));
        }
        engine = median(engineScores);
        hand = median(handScores);
        int records = 1000;
        double ratio = engine / hand;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("recordsPerOperation", records);
        d.put("engineOpsPerSecond", RateFigure.round(engine));
        d.put("engineRounds", engineScores);
        d.put("handWrittenOpsPerSecond", RateFigure.round(hand));
        d.put("handWrittenRounds", handScores);
        d.put("forks", quick ? 0 : 1);
        d.put("rounds", rounds);
        return new Figure("engine", "transform engine, Cortex XDR Vulnerability Transform Map (JMH)",
                String.format("%,.0f records/s", engine * records),
                String.format("hand-written %,.0f records/s", hand * records), ratio, ">= 0.7", ratio >= 0.7, d);
    }

    private static double median(List<Double> scores) {
        List<Double> sorted = new ArrayList<>(scores);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** Batches per second of one benchmark method. */
    private static double score(String method, boolean quick) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(EngineBenchmark.class.getName() + "\\." + method + "$")
                .forks(quick ? 0 : 1)
                .warmupIterations(quick ? 1 : 2)
                .warmupTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .measurementIterations(quick ? 1 : 3)
                .measurementTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .threads(1)
                .jvmArgsAppend("-Xmx1g")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        return results.iterator().next().getPrimaryResult().getScore();
    }
}
