package org.connectorsdk.runtime.transform;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.connectorsdk.api.TransformMap;

/**
 * A {@link TransformMap} ready to run, made by {@link TransformEngine#compile}. Immutable and
 * thread-safe: one instance serves every record of every run. Each target record ends with a
 * {@code _meta} object naming the map and the model version that produced it; a source record's
 * {@code _meta.unknown} (target field -> why the source could not tell its value) is copied
 * into it, so a field left out because it is unknown is not read as empty.
 */
public final class CompiledMap {

    /** One unit of work, in the map's row order. */
    sealed interface Step permits ScalarRow, ArrayGroup, GroupPlaceholder {
    }

    /** A row whose target is not inside an array. */
    record ScalarRow(String sourceText, String targetText, String[] source, String[] sourceAfter, boolean explicitArray,
            Converters.Converter converter, boolean required, String[] target, int[] capacities) implements Step {
    }

    /** A row writing a field of the elements of a target array. */
    record ElementRow(String sourceText, String targetText, String[] source, String[] sourceAfter,
            boolean explicitArray, Converters.Converter converter, boolean required, String[] target,
            int[] capacities, int listSlot, int rawSlot, int valueSlot) {
    }

    /** Every row writing one target array, filled together by index. */
    /**
     * Every row writing one target array, filled together by index. Rows reading the same source
     * share slots, so {@code cves} is read once per record and {@code cves[].name} once per CVE
     * however many rows use it: {@code listRows[s]} is a row that reads list slot {@code s}.
     */
    record ArrayGroup(String name, String[] target, int[] capacities, int elementCapacity, ElementRow[] rows,
            int[] listRows, int rawSlots, int valueSlots) implements Step {
    }

    /** Marks a per-element slot not computed yet. */
    private static final Object UNSET = new Object();

    /** Marks where a group goes while the map compiles; never in a compiled map. */
    record GroupPlaceholder(String key) implements Step {
    }

    private final TransformMap map;
    private final String modelKind;
    private final String modelVersion;
    private final Step[] steps;
    private final ScalarRow idRow;
    private final int rootCapacity;
    private final Map<String, Object> meta;

    CompiledMap(TransformMap map, String modelKind, String modelVersion, List<Step> steps, ScalarRow idRow,
            int rootCapacity) {
        this.map = requireNonNull(map, "map is null");
        this.modelKind = modelKind;
        this.modelVersion = modelVersion;
        this.steps = steps.toArray(new Step[0]);
        this.idRow = idRow;
        this.rootCapacity = rootCapacity;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("map", map.name());
        m.put("model", modelKind);
        m.put("modelVersion", modelVersion);
        // one shared, read-only instance: every record of this map carries the same provenance
        this.meta = Collections.unmodifiableMap(m);
    }

    /** The map this was compiled from. */
    public TransformMap map() {
        return map;
    }

    /** The target model's kind, e.g. {@code asset}. */
    public String modelKind() {
        return modelKind;
    }

    /** The target model's version, e.g. {@code 1.0.0}. */
    public String modelVersion() {
        return modelVersion;
    }

    /** Applies the map to one source record; ids in messages fall back to "record without ...". */
    public TransformOutcome apply(Map<String, Object> source) {
        return apply(source, -1);
    }

    /**
     * Applies the map to one source record.
     *
     * @param source       a vendor record: a tree of maps, lists, strings, numbers and booleans
     * @param recordNumber the record's 1-based position in its input, named in messages when the
     *                     record has no id; negative when unknown
     * @return the target record (a fresh map the caller owns; only its {@code _meta} object is
     *         shared and read-only), or the rejection reasons
     */
    public TransformOutcome apply(Map<String, Object> source, long recordNumber) {
        requireNonNull(source, "source is null");
        Run run = new Run(source, recordNumber);
        Map<String, Object> out = new LinkedHashMap<>(rootCapacity);
        for (Step step : steps) {
            if (step instanceof ScalarRow row) {
                applyScalar(row, source, out, run);
            } else {
                applyGroup((ArrayGroup) step, source, out, run);
            }
        }
        List<String> warnings = run.warnings == null ? List.of() : run.warnings;
        if (run.rejections != null) {
            return new TransformOutcome(Optional.empty(), run.rejections, run.dropped, warnings);
        }
        out.put("_meta", source.get("_meta") instanceof Map<?, ?> m && m.get("unknown") instanceof Map<?, ?> unknown
                ? withUnknown(unknown) : meta);
        return new TransformOutcome(Optional.of(out), List.of(), run.dropped, warnings);
    }

    private Map<String, Object> withUnknown(Map<?, ?> unknown) {
        Map<String, Object> unknownFields = new LinkedHashMap<>();
        unknown.forEach((field, why) -> unknownFields.put(String.valueOf(field), String.valueOf(why)));
        Map<String, Object> flagged = new LinkedHashMap<>(meta);
        flagged.put("unknown", Collections.unmodifiableMap(unknownFields));
        return Collections.unmodifiableMap(flagged);
    }

    private static void applyScalar(ScalarRow row, Map<String, Object> source, Map<String, Object> out, Run run) {
        Object raw = read(source, row.source());
        Object value;
        if (!row.explicitArray()) {
            value = convert(row.converter(), raw, run, row.sourceText(), row.targetText(), -1);
        } else if (raw instanceof List<?> list) {
            List<Object> collected = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                Object v = convert(row.converter(), readElement(list.get(i), row.sourceAfter()), run, row.sourceText(),
                        row.targetText(), i);
                if (v != null) {
                    collected.add(v);
                }
            }
            value = collected.isEmpty() ? null : collected;
        } else {
            Object v = convert(row.converter(), readElement(raw, row.sourceAfter()), run, row.sourceText(),
                    row.targetText(), 0);
            value = v == null ? null : List.of(v);
        }
        if (isMissing(value)) {
            if (row.required()) {
                run.reject("required field '" + row.sourceText() + "' (-> " + row.targetText() + ") "
                        + whyMissing(raw, row.explicitArray()));
            }
            return;
        }
        write(out, row.target(), row.capacities(), value);
    }

    private static void applyGroup(ArrayGroup group, Map<String, Object> source, Map<String, Object> out, Run run) {
        ElementRow[] rows = group.rows();
        int[] listRows = group.listRows();
        Object[] lists = new Object[listRows.length];
        int length = -1;
        for (int s = 0; s < listRows.length; s++) {
            ElementRow row = rows[listRows[s]];
            Object v = read(source, row.source());
            if (!row.explicitArray() && row.converter() != null) {
                // without [] the converter sees the whole value, e.g. toArray splits "a, b" first
                v = convert(row.converter(), v, run, row.sourceText(), row.targetText(), -1);
            }
            lists[s] = v;
            if (v != null) {
                length = Math.max(length, v instanceof List<?> l ? l.size() : 1);
            }
        }
        if (length < 0) {
            return;
        }
        int rawSlots = group.rawSlots();
        Object[] slots = new Object[rawSlots + group.valueSlots()];
        List<Object> elements = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            Arrays.fill(slots, UNSET);
            Map<String, Object> element = null;
            boolean dropped = false;
            for (ElementRow row : rows) {
                Object raw = slots[row.rawSlot()];
                if (raw == UNSET) {
                    Object all = lists[row.listSlot()];
                    Object item = all instanceof List<?> l ? (i < l.size() ? l.get(i) : null) : (i == 0 ? all : null);
                    raw = row.explicitArray() ? readElement(item, row.sourceAfter()) : item;
                    slots[row.rawSlot()] = raw;
                }
                Object value = slots[rawSlots + row.valueSlot()];
                if (value == UNSET) {
                    value = row.explicitArray() ? convert(row.converter(), raw, run, row.sourceText(), row.targetText(), i)
                            : raw;
                    slots[rawSlots + row.valueSlot()] = value;
                }
                if (isMissing(value)) {
                    if (row.required()) {
                        run.drop(group.name() + "[" + i + "] dropped: required field '" + row.sourceText() + "' (-> "
                                + row.targetText() + ") " + whyMissing(raw, false));
                        dropped = true;
                        break;
                    }
                    continue;
                }
                if (element == null) {
                    element = new LinkedHashMap<>(group.elementCapacity());
                }
                write(element, row.target(), row.capacities(), value);
            }
            if (!dropped && element != null) {
                elements.add(element);
            }
        }
        write(out, group.target(), group.capacities(), elements);
    }

    private static Object convert(Converters.Converter converter, Object value, Run run, String sourceText,
            String targetText, int index) {
        if (converter == null || value == null) {
            return value;
        }
        run.sourceText = sourceText;
        run.targetText = targetText;
        run.index = index;
        return converter.convert(value, run);
    }

    private static Object readElement(Object element, String[] after) {
        return after.length == 0 ? element : read(element, after);
    }

    static Object read(Object node, String[] path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    /** Writes {@code value} at {@code path}, making the missing maps on the way with the given capacities. */
    @SuppressWarnings("unchecked")
    private static void write(Map<String, Object> root, String[] path, int[] capacities, Object value) {
        Map<String, Object> current = root;
        int last = path.length - 1;
        for (int i = 0; i < last; i++) {
            Object next = current.get(path[i]);
            if (next instanceof Map) {
                current = (Map<String, Object>) next;
            } else {
                Map<String, Object> created = new LinkedHashMap<>(capacities[i]);
                current.put(path[i], created);
                current = created;
            }
        }
        current.put(path[last], value);
    }

    /** Null, blank text and an empty array count as missing; strings are tested first, as most values are. */
    private static boolean isMissing(Object value) {
        if (value == null) {
            return true;
        }
        if (value instanceof String s) {
            return s.isBlank();
        }
        return value instanceof List<?> l && l.isEmpty();
    }

    private static String whyMissing(Object raw, boolean explicitArray) {
        if (raw == null) {
            return "is missing";
        }
        if ((raw instanceof String s && s.isBlank()) || (raw instanceof List<?> l && l.isEmpty())) {
            return "is empty";
        }
        return explicitArray ? "has no usable value" : "has no usable value (" + abbreviate(raw) + ")";
    }

    private static String abbreviate(Object value) {
        String s = String.valueOf(value);
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** The problems of one application; lists are made only when something goes wrong. */
    private final class Run implements Converters.Problems {
        final Map<String, Object> source;
        final long recordNumber;
        List<String> rejections;
        List<String> warnings;
        int dropped;
        String sourceText;
        String targetText;
        int index;
        private String label;

        Run(Map<String, Object> source, long recordNumber) {
            this.source = source;
            this.recordNumber = recordNumber;
        }

        @Override
        public void report(String detail) {
            warn(label() + ": '" + sourceText + "' (-> " + targetText + ")" + (index >= 0 ? " [" + index + "]" : "")
                    + ": " + detail);
        }

        void reject(String reason) {
            if (rejections == null) {
                rejections = new ArrayList<>(2);
            }
            rejections.add(label() + ": " + reason);
        }

        void drop(String reason) {
            dropped++;
            warn(label() + ": " + reason);
        }

        private void warn(String line) {
            if (warnings == null) {
                warnings = new ArrayList<>(2);
            }
            warnings.add(line);
        }

        /** "record 1111", or "record #3 (no endpoint_id)" when the id itself is missing. */
        String label() {
            if (label == null) {
                Object id = idRow == null ? null : read(source, idRow.source());
                if (id != null && !(id instanceof String s && s.isBlank())) {
                    label = "record " + id;
                } else {
                    String noId = idRow == null ? "" : " (no " + idRow.sourceText() + ")";
                    label = recordNumber >= 0 ? "record #" + recordNumber + noId
                            : "record" + (idRow == null ? " without an id" : " without " + idRow.sourceText());
                }
            }
            return label;
        }
    }

    @Override
    public String toString() {
        return "CompiledMap[" + map.name() + " -> " + modelKind + " " + modelVersion + "]";
    }
}
