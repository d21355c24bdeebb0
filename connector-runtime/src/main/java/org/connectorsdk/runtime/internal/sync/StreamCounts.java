package org.connectorsdk.runtime.internal.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mutable figures of one stream in one run; one run is single-threaded. */
final class StreamCounts {
    long read;
    long written;
    long rejected;
    long pages;
    long duplicates;
    final List<String> examples = new ArrayList<>();

    /** The figures as plain values, for a run's saved position. */
    Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read", read);
        m.put("written", written);
        m.put("rejected", rejected);
        m.put("pages", pages);
        m.put("duplicates", duplicates);
        m.put("examples", List.copyOf(examples));
        return m;
    }

    /** The figures {@link #values} saved. */
    static StreamCounts of(Map<?, ?> values) {
        StreamCounts c = new StreamCounts();
        c.read = number(values.get("read"));
        c.written = number(values.get("written"));
        c.rejected = number(values.get("rejected"));
        c.pages = number(values.get("pages"));
        c.duplicates = number(values.get("duplicates"));
        if (values.get("examples") instanceof List<?> l) {
            l.forEach(e -> c.examples.add(String.valueOf(e)));
        }
        return c;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
