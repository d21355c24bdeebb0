package org.connectorsdk.testkit;

import java.util.List;

/** Finds secrets in text and shows where without showing them. */
final class SecretText {
    private SecretText() {
    }

    static List<String> check(String... secrets) {
        if (secrets.length == 0) {
            throw new IllegalArgumentException("Give at least one secret to look for");
        }
        for (String s : secrets) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("A secret to look for must not be null or blank");
            }
        }
        return List.of(secrets);
    }

    /** Which of {@code secrets} (by 1-based number) {@code text} contains; empty when none. */
    static List<Integer> found(String text, List<String> secrets) {
        return java.util.stream.IntStream.range(0, secrets.size()).filter(i -> text.contains(secrets.get(i)))
                .mapToObj(i -> i + 1).toList();
    }

    /** {@code text} with every secret replaced by {@code <secret #n>}, cut to a readable length. */
    static String masked(String text, List<String> secrets) {
        String out = text;
        for (int i = 0; i < secrets.size(); i++) {
            out = out.replace(secrets.get(i), "<secret #" + (i + 1) + ">");
        }
        int at = out.indexOf("<secret #");
        if (out.length() > 240) {
            int from = Math.max(0, at - 100);
            out = (from > 0 ? "…" : "") + out.substring(from, Math.min(out.length(), from + 240)) + "…";
        }
        return out.replace("\r", "\\r").replace("\n", "\\n");
    }
}
