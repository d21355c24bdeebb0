package org.connectorsdk.runtime;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.connectorsdk.api.Secret;

/**
 * Masks secret values in text about to be logged or put into a message. It knows the
 * instance's secret config values from the start and learns the values of sensitive headers
 * (such as a per-request signature) as the transport sends them.
 */
final class Redactor {
    private final List<String> secrets = new CopyOnWriteArrayList<>();

    Redactor(Collection<String> secretValues) {
        secretValues.forEach(this::add);
    }

    /** Adds a value to mask from now on; blank values are ignored (they would mask everything). */
    synchronized void add(String value) {
        if (value == null || value.isBlank() || secrets.contains(value)) {
            return;
        }
        secrets.add(value);
        // longest first, so a secret that contains another is masked whole
        secrets.sort(Comparator.comparingInt(String::length).reversed());
    }

    /** {@code text} with every known secret replaced by {@value Secret#MASK}. */
    String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (out.contains(secret)) {
                out = out.replace(secret, Secret.MASK);
            }
        }
        return out;
    }
}
