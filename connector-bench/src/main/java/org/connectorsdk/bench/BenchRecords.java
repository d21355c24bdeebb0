package org.connectorsdk.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.cortexxdr.CortexXdrConnector;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;

/**
 * Input records for the engine benchmark: simulator endpoints with their {@code cves[]} attached,
 * as the plugin's vulnerability join hands them to the runtime. They go through JSON once, so
 * their values have the types a parsed reply has (Long times, Double scores, ArrayList arrays).
 */
public final class BenchRecords {
    private static final TypeReference<List<Map<String, Object>>> RECORDS = new TypeReference<>() { };

    /** The map the engine benchmark applies, as the connector declares it. */
    static final String VULNERABILITY_MAP = "Cortex XDR Vulnerability Transform Map";

    private BenchRecords() {
    }

    /** The connector's vulnerability map, found by name the way a host finds it. */
    public static TransformMap vulnerabilityMap() {
        return new CortexXdrConnector().transformMaps().stream()
                .filter(map -> map.name().equals(VULNERABILITY_MAP))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The cortex-xdr connector declares no '"
                        + VULNERABILITY_MAP + "'; update the bench to the connector's map names"));
    }

    /** Endpoints {@code 0..count-1} of a tenant seeded with {@code seed}, each with its CVEs. */
    public static List<Map<String, Object>> endpointsWithCves(int count, long seed) {
        CortexXdrSimulator tenant = CortexXdrSimulator.builder().seed(seed).build();
        List<Map<String, Object>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, Object> endpoint = tenant.endpoint(i);
            endpoint.put("cves", tenant.cvesFor(i));
            out.add(endpoint);
        }
        ObjectMapper json = new ObjectMapper();
        try {
            return json.readValue(json.writeValueAsBytes(out), RECORDS);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
