package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a configuration, naming the field it concerns.
 *
 * @param field   the field's name, as in the config
 * @param message what is wrong and what is expected; never contains a secret value
 */
public record ConfigProblem(String field, String message) {
    public ConfigProblem {
        requireNonNull(field, "field is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
