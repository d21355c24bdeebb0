package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A connector's own converter for its {@link TransformMap} rows, for vendor values the runtime's
 * built-in converters do not know. A connector lists its converters in {@link Connector#converters()};
 * a row of that connector's maps names one as {@code <connector id>:<name>}:
 *
 * <pre>{@code
 * new Converter("status", "Acme's finding state (open, reopened, fixed) as the finding model's status",
 *         value -> switch (value.toString()) {
 *             case "open" -> "Active";
 *             case "reopened" -> "Re-Opened";
 *             case "fixed" -> "Fixed";
 *             default -> throw new IllegalArgumentException("unknown state '" + value + "'");
 *         });
 * // in the map: .optional("state", "status", "acme-edr:status")
 * }</pre>
 *
 * <p>Another connector's converters are not visible to a map. The runtime resolves the names when
 * it compiles the maps (an unknown one fails the registration, naming the row); it calls the
 * converter for present values only, and a converter that throws rejects the record with a
 * reason naming the row and the exception's message.
 *
 * @param name        the name rows use after the connector's id, {@code [a-z][A-Za-z0-9]*}, unique
 *                    within the connector, e.g. {@code status}
 * @param description what it does, in one line, for {@code connectors describe}
 * @param conversion  the conversion itself
 * @since 0.1.0
 */
public record Converter(String name, String description, Conversion conversion) {
    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*");

    public Converter {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(conversion, "conversion is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid converter name: '" + name + "' (expected [a-z][A-Za-z0-9]*,"
                    + " e.g. riskScore; rows add the connector's id: <connector id>:" + name.replace(':', '_') + ")");
        }
        if (description.isBlank() || description.lines().count() > 1) {
            throw new IllegalArgumentException("Converter '" + name + "' needs a description of one line, not '"
                    + description + "'");
        }
    }

    /** One value in, one value out. */
    @FunctionalInterface
    public interface Conversion {
        /**
         * Converts a present value (never {@code null}) of the tree a reader returned.
         *
         * @return a plain value (text, number, boolean, list or map), or {@code null} to leave the
         *         target field out; must be thread-safe, as one instance serves every record
         * @throws RuntimeException to reject the record, with a message naming the value
         */
        Object convert(Object value);
    }

    @Override
    public String toString() {
        return "Converter[" + name + ": " + description + "]";
    }
}
