package org.connectorsdk.cortexxdr;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Comparing parsed JSON with what the simulator built. */
final class JsonValues {
    private JsonValues() {
    }

    /** Numbers compared by value, whatever their Java type (the simulator builds doubles, the parser BigDecimals). */
    static Object normalise(Object value) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, normalise(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(JsonValues::normalise).toList();
        }
        return value;
    }
}
