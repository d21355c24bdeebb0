package org.connectorsdk.runtime.internal.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

import org.connectorsdk.api.Secret;
import org.connectorsdk.api.SecretMask;

/**
 * Masks secret values in text about to be logged or put into a message. It knows the
 * instance's secret config values from the start and learns the values of sensitive headers
 * (such as a per-request signature) as the transport sends them. It removes pieces too
 * ({@link SecretMask}): any run of {@value SecretMask#MIN_PIECE} or more characters of a secret,
 * its SHA-256 or base64 form, so a shortened excerpt cannot keep a readable part of one.
 *
 * <p>Learned header values are kept only for the most recent requests: an advanced key signs
 * every request anew, and remembering every signature of a long run would grow without bound
 * and slow every log line. Values shorter than {@value #MIN_LEARNED_LENGTH} characters (a
 * numeric key id) are not learned: masking them would mangle unrelated text ("v1" in a path)
 * and protect nothing.
 */
final class Redactor {
    static final int MIN_LEARNED_LENGTH = 8;
    private static final int LEARNED_CAPACITY = 32;

    private final List<String> configured = new ArrayList<>();
    private final Deque<String> learned = new ArrayDeque<>();
    private volatile SecretMask mask = SecretMask.none();

    Redactor(Collection<String> secretValues) {
        for (String value : secretValues) {
            if (value != null && !value.isBlank() && !configured.contains(value)) {
                configured.add(value);
            }
        }
        rebuild();
    }

    /** Masks {@code value} in later text; short or blank values are ignored. */
    synchronized void add(String value) {
        if (value == null || value.length() < MIN_LEARNED_LENGTH || value.isBlank()
                || configured.contains(value) || learned.contains(value)) {
            return;
        }
        learned.addLast(value);
        if (learned.size() > LEARNED_CAPACITY) {
            learned.removeFirst();
        }
        rebuild();
    }

    private void rebuild() {
        List<String> merged = new ArrayList<>(configured);
        merged.addAll(learned);
        mask = SecretMask.of(merged);
    }

    /** {@code text} with every piece of a known secret replaced by {@value Secret#MASK}. */
    String apply(String text) {
        return mask.apply(text);
    }
}
