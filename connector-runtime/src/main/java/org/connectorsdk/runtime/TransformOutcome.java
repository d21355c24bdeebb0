package org.connectorsdk.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** TEMPORARY stand-in for H5's outcome (issue 4), deleted when the real one lands on main. */
record TransformOutcome(Optional<Map<String, Object>> record, List<String> rejections, int droppedFindings) {
}
