package org.connectorsdk.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the bench table.
 *
 * @param id        short key, also the JSON field name
 * @param figure    what was measured, in words
 * @param measured  the measured value with its unit
 * @param reference what it is compared with
 * @param ratio     measured / reference (or the figure's own ratio)
 * @param target    the target, in words
 * @param pass      whether the target is met
 * @param details   the raw numbers behind the line
 */
record Figure(String id, String figure, String measured, String reference, double ratio, String target,
        boolean pass, Map<String, Object> details) {

    Figure {
        details = new LinkedHashMap<>(details);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("figure", figure);
        m.put("measured", measured);
        m.put("reference", reference);
        m.put("ratio", Math.round(ratio * 1000) / 1000.0);
        m.put("target", target);
        m.put("result", pass ? "PASS" : "FAIL");
        m.put("details", details);
        return m;
    }
}
