package org.connectorsdk.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.runtime.transform.TransformOutcome;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The transform engine applying the Cortex XDR Vulnerability Transform Map against
 * {@link HandWrittenVulnerabilityMapper}, on the same records (simulator endpoints with their
 * CVEs). One operation maps every record of the batch, so the score is batches per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {

    /** Records per operation. */
    @Param("1000")
    public int records;

    private List<Map<String, Object>> batch;
    private CompiledMap engine;
    private HandWrittenVulnerabilityMapper handWritten;

    /** Builds the records and compiles the map once. */
    @Setup
    public void setUp() {
        batch = BenchRecords.endpointsWithCves(records, 42);
        engine = TransformEngine.compile(BenchRecords.vulnerabilityMap());
        handWritten = new HandWrittenVulnerabilityMapper(engine.map().name(), engine.modelKind(),
                engine.modelVersion());
    }

    /** The engine, as the sync run calls it (with the record's number for messages). */
    @Benchmark
    public void engine(Blackhole sink) {
        long number = 0;
        for (Map<String, Object> r : batch) {
            TransformOutcome outcome = engine.apply(r, ++number);
            sink.consume(outcome.record().orElse(null));
        }
    }

    /** The same rows coded by hand. */
    @Benchmark
    public void handWritten(Blackhole sink) {
        for (Map<String, Object> r : batch) {
            sink.consume(handWritten.map(r));
        }
    }
}
