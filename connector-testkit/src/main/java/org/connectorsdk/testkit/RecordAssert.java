package org.connectorsdk.testkit;

import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one record (a plain-value tree) at dotted paths: {@code hostName},
 * {@code operatingSystem.name}, {@code networkInterfaces[0].macAddress},
 * {@code finding[].externalFindingId} (any element).
 */
public final class RecordAssert extends AbstractAssert<RecordAssert, Map<String, Object>> {
    private final String label;

    RecordAssert(Map<String, Object> actual, String label) {
        super(actual, RecordAssert.class);
        this.label = label;
    }

    /** The value at {@code path} equals {@code expected} (numbers compare by value). */
    public RecordAssert hasFieldEqualTo(String path, Object expected) {
        isNotNull();
        List<Object> found = RecordPaths.values(actual, path);
        if (found.isEmpty()) {
            failWithMessage("%s", "Expected " + label + " to have " + path + " = " + RecordPaths.show(expected)
                    + " but " + path + " is absent. Record: " + RecordPaths.show(actual));
        } else if (found.stream().noneMatch(v -> RecordPaths.sameValue(v, expected))) {
            failWithMessage("%s", "Expected " + label + " to have " + path + " = " + RecordPaths.show(expected)
                    + " but found " + (found.size() == 1 ? RecordPaths.show(found.get(0)) : RecordPaths.show(found)));
        }
        return this;
    }

    /** Something (perhaps {@code null}) is at {@code path}. */
    public RecordAssert hasField(String path) {
        isNotNull();
        if (!RecordPaths.exists(actual, path)) {
            failWithMessage("%s", "Expected " + label + " to have a field at " + path + " but it is absent. Record: "
                    + RecordPaths.show(actual));
        }
        return this;
    }

    /** Nothing is at {@code path}. */
    public RecordAssert doesNotHaveField(String path) {
        isNotNull();
        List<Object> found = RecordPaths.values(actual, path);
        if (!found.isEmpty()) {
            failWithMessage("%s", "Expected " + label + " to have no field at " + path + " but found "
                    + (found.size() == 1 ? RecordPaths.show(found.get(0)) : RecordPaths.show(found)));
        }
        return this;
    }

    /** The record conforms to the target model's schema for {@code kind} (e.g. {@code asset}). */
    public RecordAssert conformsTo(String kind) {
        isNotNull();
        List<String> violations = TargetModel.violations(kind, actual);
        if (!violations.isEmpty()) {
            failWithMessage("%s", "Expected " + label + " to conform to the '" + kind + "' model but " + violations
                    + ". Record: " + RecordPaths.show(actual));
        }
        return this;
    }
}
