package org.connectorsdk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.runtime.transform.TransformOutcome;
import org.junit.jupiter.api.Test;

class HandWrittenMapperTest {

    @Test
    void handWrittenMapperWritesExactlyWhatTheEngineWritesForSimulatorRecords() throws Exception {
        CompiledMap engine = TransformEngine.compile(BenchRecords.vulnerabilityMap());
        HandWrittenVulnerabilityMapper hand = new HandWrittenVulnerabilityMapper(engine.map().name(),
                engine.modelKind(), engine.modelVersion());
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> records = BenchRecords.endpointsWithCves(2_000, 7);
        long findings = 0;
        for (Map<String, Object> r : records) {
            TransformOutcome outcome = engine.apply(r);
            assertThat(outcome.warnings()).isEmpty();
            Map<String, Object> expected = outcome.record().orElseThrow();
            // the same JSON text: same keys, same order, same values
            assertThat(json.writeValueAsString(hand.map(r))).isEqualTo(json.writeValueAsString(expected));
            findings += ((List<?>) expected.get("finding")).size();
        }
        // the records carry realistic findings, not empty arrays
        assertThat(findings).isGreaterThan(20_000);
    }

    @Test
    void handWrittenMapperRejectsWhatTheEngineRejects() {
        CompiledMap engine = TransformEngine.compile(BenchRecords.vulnerabilityMap());
        HandWrittenVulnerabilityMapper hand = new HandWrittenVulnerabilityMapper(engine.map().name(),
                engine.modelKind(), engine.modelVersion());
        Map<String, Object> noId = new java.util.HashMap<>(BenchRecords.endpointsWithCves(1, 7).get(0));
        noId.put("endpoint_id", " ");
        assertThat(engine.apply(noId).rejected()).isTrue();
        assertThat(hand.map(noId)).isNull();
    }
}
