package org.connectorsdk.testkit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads values at dotted paths in plain-value records: {@code a.b.c}, an index
 * {@code networkInterfaces[0].macAddress}, or every element {@code finding[].externalFindingId}.
 */
final class RecordPaths {
    private RecordPaths() {
    }

    /** Every value found at {@code path} (several when it fans out over {@code []}); absent ones are left out. */
    static List<Object> values(Object root, String path) {
        List<Object> current = new ArrayList<>();
        current.add(root);
        for (String segment : path.split("\\.")) {
            String name = segment;
            String index = null;
            int bracket = segment.indexOf('[');
            if (bracket >= 0) {
                if (!segment.endsWith("]")) {
                    throw new IllegalArgumentException("Invalid path '" + path + "': segment '" + segment
                            + "' must end with ']'");
                }
                name = segment.substring(0, bracket);
                index = segment.substring(bracket + 1, segment.length() - 1);
            }
            List<Object> next = new ArrayList<>();
            for (Object node : current) {
                Object child = name.isEmpty() ? node : node instanceof Map<?, ?> m ? m.get(name) : null;
                if (child == null && !(node instanceof Map<?, ?> m2 && m2.containsKey(name))) {
                    continue;
                }
                if (index == null) {
                    next.add(child);
                } else if (child instanceof List<?> list) {
                    if (index.isEmpty()) {
                        next.addAll(list);
                    } else {
                        int i = Integer.parseInt(index);
                        if (i < list.size()) {
                            next.add(list.get(i));
                        }
                    }
                }
            }
            current = next;
        }
        return current;
    }

    /** Whether {@code path} is present (a present {@code null} counts as present). */
    static boolean exists(Object root, String path) {
        return !values(root, path).isEmpty();
    }

    /**
     * Whether a required target path is filled: a plain path must exist; past a {@code []} the
     * rest must exist in every element of the array (an absent or empty array has no element
     * to lack it).
     */
    static boolean filled(Object root, String path) {
        int fan = path.indexOf("[].");
        if (fan < 0) {
            return exists(root, path.endsWith("[]") ? path.substring(0, path.length() - 2) : path);
        }
        String rest = path.substring(fan + 3);
        for (Object element : values(root, path.substring(0, fan + 2))) {
            if (!filled(element, rest)) {
                return false;
            }
        }
        return true;
    }

    /** Equality that treats numbers by value ({@code 1 == 1L == 1.0}). */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            try {
                return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
            } catch (NumberFormatException e) {
                return x.doubleValue() == y.doubleValue();
            }
        }
        return Objects.equals(a, b);
    }

    /** A short rendering of a value for failure messages. */
    static String show(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        String text = String.valueOf(value);
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
