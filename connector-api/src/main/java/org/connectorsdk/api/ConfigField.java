package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One typed setup field of a connector. Build with the static factories and the fluent
 * {@link Builder}: {@code ConfigField.string("apiKeyId").label("API Key ID").required().pattern("[0-9]+", "a number").build()}.
 *
 * @param name          the key in the config map, e.g. {@code apiKeyId}
 * @param type          the value type
 * @param label         a human name for forms, e.g. "API Key ID"
 * @param description   help text
 * @param required      whether a value must be given (a default satisfies it)
 * @param defaultValue  the value used when none is given
 * @param maxLength     the longest accepted string
 * @param pattern       a regular expression a string value must match as a whole
 * @param patternHint   what the pattern means, for messages ("a number")
 * @param min           the least accepted integer
 * @param max           the greatest accepted integer
 * @param allowedValues the values of an {@link FieldType#ENUM} or {@link FieldType#ENUM_LIST}
 * @param example       an example value for forms and docs
 */
public record ConfigField(
        String name,
        FieldType type,
        String label,
        String description,
        boolean required,
        Optional<Object> defaultValue,
        OptionalInt maxLength,
        Optional<String> pattern,
        Optional<String> patternHint,
        OptionalLong min,
        OptionalLong max,
        List<String> allowedValues,
        Optional<String> example) {

    public ConfigField {
        requireNonNull(name, "name is null");
        if (!name.matches("[a-zA-Z][a-zA-Z0-9_]*")) {
            throw new IllegalArgumentException("Invalid config field name: '" + name + "': a field name starts "
                    + "with a letter and has only letters, digits and '_' (pattern [a-zA-Z][a-zA-Z0-9_]*)");
        }
        requireNonNull(type, "type is null");
        requireNonNull(label, "label is null");
        requireNonNull(description, "description is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(maxLength, "maxLength is null");
        requireNonNull(pattern, "pattern is null");
        pattern.ifPresent(Pattern::compile);
        requireNonNull(patternHint, "patternHint is null");
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
        allowedValues = List.copyOf(requireNonNull(allowedValues, "allowedValues is null"));
        requireNonNull(example, "example is null");
        if ((type == FieldType.ENUM || type == FieldType.ENUM_LIST) && allowedValues.isEmpty()) {
            throw new IllegalArgumentException("Field '" + name + "' of type " + type + " needs allowed values");
        }
        if (type == FieldType.SECRET && defaultValue.isPresent()) {
            throw new IllegalArgumentException("Secret field '" + name + "' cannot have a default value");
        }
    }

    /** Whether the value is a credential to mask everywhere. */
    public boolean secret() {
        return type == FieldType.SECRET;
    }

    public static Builder string(String name) {
        return new Builder(name, FieldType.STRING);
    }

    public static Builder url(String name) {
        return new Builder(name, FieldType.URL);
    }

    public static Builder secret(String name) {
        return new Builder(name, FieldType.SECRET);
    }

    public static Builder integer(String name) {
        return new Builder(name, FieldType.INTEGER);
    }

    public static Builder bool(String name) {
        return new Builder(name, FieldType.BOOLEAN);
    }

    public static Builder duration(String name) {
        return new Builder(name, FieldType.DURATION);
    }

    public static Builder pem(String name) {
        return new Builder(name, FieldType.PEM);
    }

    public static Builder enumeration(String name, String... allowedValues) {
        return new Builder(name, FieldType.ENUM).allowedValues(List.of(allowedValues));
    }

    public static Builder enumList(String name, String... allowedValues) {
        return new Builder(name, FieldType.ENUM_LIST).allowedValues(List.of(allowedValues));
    }

    /** Fluent construction of a {@link ConfigField}. */
    public static final class Builder {
        private final String name;
        private final FieldType type;
        private String label;
        private String description = "";
        private boolean required;
        private Object defaultValue;
        private Integer maxLength;
        private String pattern;
        private String patternHint;
        private Long min;
        private Long max;
        private List<String> allowedValues = List.of();
        private String example;

        private Builder(String name, FieldType type) {
            this.name = name;
            this.type = type;
            this.label = name;
        }

        public Builder label(String label) {
            this.label = label;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder required() {
            this.required = true;
            return this;
        }

        public Builder defaultValue(Object defaultValue) {
            this.defaultValue = defaultValue;
            return this;
        }

        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** The value must match {@code regex} as a whole; {@code hint} says what that means. */
        public Builder pattern(String regex, String hint) {
            this.pattern = regex;
            this.patternHint = hint;
            return this;
        }

        public Builder range(long min, long max) {
            this.min = min;
            this.max = max;
            return this;
        }

        public Builder example(String example) {
            this.example = example;
            return this;
        }

        Builder allowedValues(List<String> values) {
            this.allowedValues = values;
            return this;
        }

        public ConfigField build() {
            return new ConfigField(name, type, label, description, required,
                    Optional.ofNullable(defaultValue),
                    maxLength == null ? OptionalInt.empty() : OptionalInt.of(maxLength),
                    Optional.ofNullable(pattern), Optional.ofNullable(patternHint),
                    min == null ? OptionalLong.empty() : OptionalLong.of(min),
                    max == null ? OptionalLong.empty() : OptionalLong.of(max),
                    allowedValues, Optional.ofNullable(example));
        }
    }
}
