package org.connectorsdk.runtime.transform;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What applying a transform map to one source record gave: the target record, or the reasons
 * it was rejected; plus the array elements (findings) dropped for lacking a required field and
 * the values a converter reported instead of guessing.
 *
 * @param record          the target record; empty when rejected
 * @param rejections      why the record was rejected, each naming the field and the record's id;
 *                        empty when it was not
 * @param droppedFindings elements dropped from the record's target arrays (findings, in the
 *                        asset model) because a required element field was missing; the record
 *                        itself is kept
 * @param warnings        one line per dropped element and per value a converter could not
 *                        convert (left out of the record)
 */
public record TransformOutcome(Optional<Map<String, Object>> record, List<String> rejections, int droppedFindings,
        List<String> warnings) {

    public TransformOutcome {
        requireNonNull(record, "record is null");
        rejections = List.copyOf(requireNonNull(rejections, "rejections is null"));
        warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
        if (record.isEmpty() == rejections.isEmpty()) {
            throw new IllegalArgumentException("An outcome has either a record or rejections: " + rejections);
        }
        if (droppedFindings < 0) {
            throw new IllegalArgumentException("droppedFindings is negative: " + droppedFindings);
        }
    }

    /** An outcome without warnings. */
    TransformOutcome(Optional<Map<String, Object>> record, List<String> rejections, int droppedFindings) {
        this(record, rejections, droppedFindings, List.of());
    }

    /** Whether the record was rejected. */
    public boolean rejected() {
        return record.isEmpty();
    }
}
