package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The setup fields of a connector, in form order. {@link #validate} reports every problem at
 * once; {@link #bind} turns a raw map (as read from an instance file) into a typed
 * {@link ConnectorConfig}.
 *
 * @param fields the fields, names unique
 */
public record ConfigSpec(List<ConfigField> fields) {

    public ConfigSpec {
        fields = List.copyOf(requireNonNull(fields, "fields is null"));
        var seen = new java.util.HashSet<String>();
        for (ConfigField f : fields) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("Duplicate config field: '" + f.name() + "'");
            }
            // a default the field itself would reject would be bound silently: fail at declaration
            String problem = f.defaultValue().map(v -> check(f, v)).orElse(null);
            if (problem != null) {
                throw new IllegalArgumentException("Default of config field '" + f.name() + "' " + problem);
            }
        }
    }

    public static ConfigSpec of(ConfigField... fields) {
        return new ConfigSpec(List.of(fields));
    }

    public Optional<ConfigField> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Names of the fields whose values are secrets. */
    public List<String> secretFieldNames() {
        return fields.stream().filter(ConfigField::secret).map(ConfigField::name).toList();
    }

    /** Every problem with {@code raw}, each naming its field; empty when the config is valid. */
    public List<ConfigProblem> validate(Map<String, ?> raw) {
        requireNonNull(raw, "raw is null");
        List<ConfigProblem> problems = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (field(key).isEmpty()) {
                problems.add(new ConfigProblem(key, "unknown field; known fields are "
                        + fields.stream().map(ConfigField::name).collect(Collectors.joining(", "))));
            }
        }
        for (ConfigField f : fields) {
            Object value = raw.get(f.name());
            if (isAbsent(value)) {
                if (f.required() && f.defaultValue().isEmpty()) {
                    problems.add(new ConfigProblem(f.name(), "is required (" + f.label() + ")"));
                }
                continue;
            }
            String problem = check(f, value);
            if (problem != null) {
                problems.add(new ConfigProblem(f.name(), problem));
            }
        }
        return List.copyOf(problems);
    }

    /**
     * Validates {@code raw} and binds it: defaults applied, values converted to their types
     * (String, Long, Boolean, Duration, List of String, {@link Secret}).
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} listing every problem
     */
    public ConnectorConfig bind(Map<String, ?> raw) {
        List<ConfigProblem> problems = validate(raw);
        if (!problems.isEmpty()) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "Invalid configuration: " + problems.stream().map(ConfigProblem::toString)
                            .collect(Collectors.joining("; ")),
                    "Correct the named field" + (problems.size() > 1 ? "s" : "") + " and try again");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigField f : fields) {
            Object value = raw.get(f.name());
            if (isAbsent(value)) {
                value = f.defaultValue().orElse(null);
            }
            if (value != null) {
                values.put(f.name(), convert(f, value));
            }
        }
        return new ConnectorConfig(this, values);
    }

    private static boolean isAbsent(Object value) {
        return value == null || (value instanceof String s && s.isBlank())
                || (value instanceof Collection<?> c && c.isEmpty());
    }

    private static String check(ConfigField f, Object value) {
        switch (f.type()) {
            case STRING -> {
                if (!(value instanceof String s)) {
                    return "must be a string, got " + describeType(value);
                }
                if (f.maxLength().isPresent() && s.length() > f.maxLength().getAsInt()) {
                    return "must be at most " + f.maxLength().getAsInt() + " characters, got " + s.length();
                }
                if (f.pattern().isPresent() && !s.matches(f.pattern().get())) {
                    return "must be " + f.patternHint().orElse("of the form " + f.pattern().get())
                            + ", got '" + s + "'";
                }
                return null;
            }
            case URL -> {
                return value instanceof String s ? checkUrl(s) : "must be a URL string, got " + describeType(value);
            }
            case SECRET -> {
                if (!(value instanceof String s)) {
                    return "must be a string (the value, env:NAME or file:PATH)";
                }
                // the value itself is never repeated: only where the bad character is
                int control = Secret.firstControlCharacter(s);
                return control < 0 ? null : "must not contain control characters (such as a line break); found one at "
                        + "position " + (control + 1);
            }
            case PEM -> {
                if (!(value instanceof String s)) {
                    return "must be a PEM string, env:NAME or file:PATH, got " + describeType(value);
                }
                return Secret.isReference(s) || s.contains("-----BEGIN CERTIFICATE-----") ? null
                        : "must be a PEM certificate (-----BEGIN CERTIFICATE-----), env:NAME or file:PATH";
            }
            case INTEGER -> {
                Long n = toLong(value);
                if (n == null) {
                    return "must be a whole number, got '" + value + "'";
                }
                if (f.min().isPresent() && n < f.min().getAsLong()
                        || f.max().isPresent() && n > f.max().getAsLong()) {
                    return "must be between " + f.min().orElse(Long.MIN_VALUE) + " and "
                            + f.max().orElse(Long.MAX_VALUE) + ", got " + n;
                }
                return null;
            }
            case ENUM -> {
                return value instanceof String s && f.allowedValues().contains(s) ? null
                        : "must be one of " + f.allowedValues() + ", got '" + value + "'";
            }
            case ENUM_LIST -> {
                if (!(value instanceof List<?> list)) {
                    return "must be a list of " + f.allowedValues() + ", got " + describeType(value);
                }
                for (Object item : list) {
                    if (!(item instanceof String s) || !f.allowedValues().contains(s)) {
                        return "items must be among " + f.allowedValues() + ", got '" + item + "'";
                    }
                }
                return null;
            }
            case BOOLEAN -> {
                return value instanceof Boolean || "true".equals(value) || "false".equals(value) ? null
                        : "must be true or false, got '" + value + "'";
            }
            case DURATION -> {
                if (value instanceof Duration d) {
                    return d.isNegative() || d.isZero() ? "must be positive, got '" + d + "'" : null;
                }
                if (!(value instanceof String s)) {
                    return "must be an ISO-8601 duration such as PT5M, got " + describeType(value);
                }
                try {
                    Duration d = Duration.parse(s);
                    return d.isNegative() || d.isZero() ? "must be positive, got '" + s + "'" : null;
                } catch (DateTimeParseException e) {
                    return "must be an ISO-8601 duration such as PT5M, got '" + s + "'";
                }
            }
            default -> throw new IllegalStateException("unhandled type " + f.type());
        }
    }

    private static String checkUrl(String s) {
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            return "is not a valid URL: '" + s + "'";
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return "must start with https:// (the protocol prefix is required), got '" + s + "'";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "must name a host, got '" + s + "'";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain user information (credentials belong in their own fields)";
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return "must have a port from 1 to 65535, got " + uri.getPort();
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            // the query or fragment is not repeated: it may hold a token pasted with the URL
            String kept = s.substring(0, indexOfQueryOrFragment(s));
            return "must not contain a query or fragment; remove what follows '?' or '#' in '" + kept + "'";
        }
        return null;
    }

    private static int indexOfQueryOrFragment(String s) {
        int q = s.indexOf('?');
        int f = s.indexOf('#');
        return q < 0 ? f : f < 0 ? q : Math.min(q, f);
    }

    private static Long toLong(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            if (value instanceof Number n) {
                return new BigDecimal(n.toString()).longValueExact();
            }
            if (value instanceof String s) {
                return Long.parseLong(s.strip());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static String describeType(Object value) {
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "'" + value + "'";
    }

    private static Object convert(ConfigField f, Object value) {
        return switch (f.type()) {
            case STRING, ENUM, PEM -> value.toString();
            case URL -> stripTrailingSlash(value.toString());
            case SECRET -> Secret.of(f.name(), value.toString());
            case INTEGER -> toLong(value);
            case BOOLEAN -> value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString());
            case DURATION -> value instanceof Duration d ? d : Duration.parse(value.toString());
            case ENUM_LIST -> ((List<?>) value).stream().map(Object::toString).toList();
        };
    }

    private static String stripTrailingSlash(String url) {
        String s = url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
