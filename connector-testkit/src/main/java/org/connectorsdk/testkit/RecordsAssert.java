package org.connectorsdk.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a list of records, each a plain-value tree; paths as in {@link RecordAssert}.
 * Get one from {@link ConnectorAssertions#assertThatRecords(List)} or
 * {@link SyncResultAssert#records(String)}.
 */
public final class RecordsAssert extends AbstractAssert<RecordsAssert, List<Map<String, Object>>> {
    private static final int SHOWN = 5;
    private final String label;

    RecordsAssert(List<Map<String, Object>> actual, String label) {
        super(actual, RecordsAssert.class);
        this.label = label;
    }

    /** There are exactly {@code count} records. */
    public RecordsAssert hasCount(int count) {
        isNotNull();
        if (actual.size() != count) {
            failWithMessage("%s", "Expected " + count + " records of " + label + " but found " + actual.size());
        }
        return this;
    }

    /** Every record has a field at {@code path}. */
    public RecordsAssert allHaveField(String path) {
        isNotNull();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            if (!RecordPaths.exists(actual.get(i), path)) {
                missing.add("#" + i + " " + RecordPaths.show(actual.get(i)));
            }
        }
        if (!missing.isEmpty()) {
            failWithMessage("%s", "Expected every record of " + label + " to have " + path + " but " + missing.size()
                    + " of " + actual.size() + " lack it, e.g. " + first(missing));
        }
        return this;
    }

    /**
     * Every record fills the required target {@code path}: a plain path exists; for
     * {@code finding[].externalFindingId} every element of {@code finding} has it.
     */
    public RecordsAssert allFill(String path) {
        isNotNull();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            if (!RecordPaths.filled(actual.get(i), path)) {
                missing.add("#" + i + " " + RecordPaths.show(actual.get(i)));
            }
        }
        if (!missing.isEmpty()) {
            failWithMessage("%s", "Expected every record of " + label + " to fill " + path + " but " + missing.size()
                    + " of " + actual.size() + " do not, e.g. " + first(missing));
        }
        return this;
    }

    /** No record has a field at {@code path}. */
    public RecordsAssert noneHaveField(String path) {
        isNotNull();
        List<String> having = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            List<Object> values = RecordPaths.values(actual.get(i), path);
            if (!values.isEmpty()) {
                having.add("#" + i + " has " + RecordPaths.show(values.size() == 1 ? values.get(0) : values));
            }
        }
        if (!having.isEmpty()) {
            failWithMessage("%s", "Expected no record of " + label + " to have " + path + " but " + having.size()
                    + " of " + actual.size() + " do: " + first(having));
        }
        return this;
    }

    /** Every record conforms to the target model's schema for {@code kind}. */
    public RecordsAssert allConformTo(String kind) {
        isNotNull();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            List<String> violations = TargetModel.violations(kind, actual.get(i));
            if (!violations.isEmpty()) {
                bad.add("#" + i + " " + violations);
            }
        }
        if (!bad.isEmpty()) {
            failWithMessage("%s", "Expected every record of " + label + " to conform to the '" + kind + "' model but "
                    + bad.size() + " of " + actual.size() + " do not: " + first(bad));
        }
        return this;
    }

    /** Assertions on the record at {@code index}. */
    public RecordAssert record(int index) {
        isNotNull();
        if (index < 0 || index >= actual.size()) {
            throw failure("%s", "Expected a record #" + index + " of " + label + " but there are " + actual.size());
        }
        return new RecordAssert(actual.get(index), "record #" + index + " of " + label);
    }

    /** Assertions on the one record whose {@code path} equals {@code value}. */
    public RecordAssert recordWith(String path, Object value) {
        isNotNull();
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            int index = i;
            if (RecordPaths.values(actual.get(i), path).stream().anyMatch(v -> RecordPaths.sameValue(v, value))) {
                hits.add(index);
            }
        }
        if (hits.size() != 1) {
            List<Object> seen = actual.stream().flatMap(r -> RecordPaths.values(r, path).stream()).limit(20).toList();
            throw failure("%s", "Expected exactly one record of " + label + " with " + path + " = "
                    + RecordPaths.show(value) + " but found " + hits.size() + "; values of " + path + " seen: "
                    + RecordPaths.show(seen));
        }
        return new RecordAssert(actual.get(hits.get(0)), "the record of " + label + " with " + path + " = "
                + RecordPaths.show(value));
    }

    private static String first(List<String> items) {
        return String.join("; ", items.subList(0, Math.min(SHOWN, items.size())))
                + (items.size() > SHOWN ? "; …" : "");
    }
}
