package org.connectorsdk.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.FieldMapping;
import org.connectorsdk.api.TransformMap;

/** TEMPORARY stand-in for H5's compiled map (issue 4): top-level fields only. */
final class CompiledMap {
    private final TransformMap map;

    CompiledMap(TransformMap map) {
        this.map = map;
    }

    TransformMap map() {
        return map;
    }

    TransformOutcome apply(Map<String, Object> source) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> rejections = new ArrayList<>();
        for (FieldMapping m : map.mappings()) {
            Object v = source.get(m.sourcePath());
            if (v == null) {
                if (m.required()) {
                    rejections.add("missing required field '" + m.sourcePath() + "'");
                }
            } else {
                out.put(m.targetPath(), v);
            }
        }
        return new TransformOutcome(rejections.isEmpty() ? Optional.of(out) : Optional.empty(), rejections, 0);
    }
}
