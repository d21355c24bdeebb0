package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A converter a plugin adds to the runtime's built-in ones ({@link Connector#converters()}).
 * Its maps name it as {@code <connector id>:<name>}, e.g. {@code acme:riskLabel}, so two plugins
 * never clash with each other or with a built-in converter.
 *
 * <p>{@link #convert} receives a plain value (string, number, boolean, list or map; never null)
 * and returns one; it throws {@link IllegalArgumentException} with the reason for a value it
 * cannot convert, which rejects the record with that reason.
 */
public interface ValueConverter {
    /** The name within the connector, {@code [a-z][A-Za-z0-9]*}, e.g. {@code riskLabel}. */
    String name();

    /** One line for {@code describe}: what goes in, what comes out. */
    String description();

    /** Converts one value. */
    Object convert(Object value);

    /** A converter from a function. */
    static ValueConverter of(String name, String description, UnaryOperator<Object> function) {
        requireNonNull(name, "name is null");
        if (!Pattern.matches("[a-z][A-Za-z0-9]*", name)) {
            throw new IllegalArgumentException("Invalid converter name: '" + name + "' (expected [a-z][A-Za-z0-9]*,"
                    + " e.g. riskLabel)");
        }
        requireNonNull(description, "description is null");
        requireNonNull(function, "function is null");
        return new ValueConverter() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public Object convert(Object value) {
                return function.apply(value);
            }

            @Override
            public String toString() {
                return "ValueConverter[" + name + "]";
            }
        };
    }
}
