package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A credential. Its {@link #toString()} is {@code [hidden]}, so string concatenation, logs and
 * any JSON written from it never show the value. It is given inline, as {@code env:NAME}, as
 * {@code file:PATH}, or as a reference a {@link SecretResolver} on the class path answers
 * ({@code vault:path#field}); references are resolved by {@link #reveal()} at the moment of use.
 *
 * <p>A secret is a {@link CharSequence} of its mask: JSON libraries write character sequences as
 * strings (Jackson does, with no module or annotation), so a secret that slips into a map the
 * runtime serializes comes out as {@code "[hidden]"}. It has no bean getter, and the value is
 * held in a transient field, so field-based serializers skip it too.
 */
public final class Secret implements CharSequence {
    /** What every masked secret prints as. */
    public static final String MASK = "[hidden]";

    private final String field;
    // transient: serializers that read fields (Jackson with field visibility, Gson) skip it
    private final transient String raw;

    private Secret(String field, String raw) {
        this.field = requireNonNull(field, "field is null");
        this.raw = requireNonNull(raw, "raw is null");
    }

    /**
     * A secret for config field {@code field} from its configured form: the value itself,
     * {@code env:NAME} or {@code file:PATH}.
     */
    public static Secret of(String field, String raw) {
        return new Secret(field, raw);
    }

    /** The config field this secret belongs to. */
    public String field() {
        return field;
    }

    /**
     * The reference ({@code env:NAME}, {@code file:PATH} or a {@link SecretResolver}'s scheme)
     * this secret was given as, safe to store; empty for an inline value, which must never be stored.
     */
    public Optional<String> reference() {
        return isReference(raw) ? Optional.of(raw) : Optional.empty();
    }

    /**
     * The secret value, resolving a reference now.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} naming the missing
     *                            environment variable or file, or a value with a control character
     */
    public String reveal() {
        String value = resolveReference(field, raw);
        int control = firstControlCharacter(value);
        if (control >= 0) {
            // a header cannot carry it; the value is never repeated, only where the character is
            throw new ConnectorException(ErrorKind.CONFIGURATION, "Config field '" + field + "'"
                    + reference().map(r -> " (" + r + ")").orElse("") + " holds a control character (such as a "
                    + "line break) at position " + (control + 1), "Give the value on one line, without control characters");
        }
        return value;
    }

    /** {@value #MASK}, never the value. */
    @Override
    public String toString() {
        return MASK;
    }

    /** The length of the mask, never of the value. */
    @Override
    public int length() {
        return MASK.length();
    }

    @Override
    public char charAt(int index) {
        return MASK.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return MASK.subSequence(start, end);
    }

    /** The index of the first control character of {@code value}, or -1: a header cannot carry one. */
    static int firstControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    static boolean isReference(String raw) {
        return raw.startsWith("env:") || raw.startsWith("file:") || Resolvers.forReference(raw) != null;
    }

    /**
     * Resolves a config value given as {@code env:NAME} or {@code file:PATH}; other values are
     * returned unchanged. A file's content is trimmed of surrounding white space; it is read
     * with {@link FileReference}'s limits ({@value FileReference#MAX_SECRET_BYTES} bytes, regular
     * files only).
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} naming the missing
     *                            variable or file (never the value)
     */
    public static String resolveReference(String field, String raw) {
        if (raw.startsWith("env:")) {
            String name = raw.substring(4);
            String value = System.getenv(name);
            if (value == null || value.isEmpty()) {
                throw new ConnectorException(ErrorKind.CONFIGURATION,
                        "Config field '" + field + "' refers to environment variable " + name + ", which is not set",
                        "Set the environment variable " + name + " before starting, or give the value another way");
            }
            return value;
        }
        if (raw.startsWith("file:")) {
            Path path = Path.of(raw.substring(5));
            String value = FileReference.read("Config field '" + field + "' refers to file " + path + ", which", path,
                    FileReference.MAX_SECRET_BYTES).strip();
            if (value.isEmpty()) {
                throw new ConnectorException(ErrorKind.CONFIGURATION,
                        "Config field '" + field + "' refers to file " + path + ", which is empty",
                        "Write the value into " + path);
            }
            return value;
        }
        SecretResolver resolver = Resolvers.forReference(raw);
        if (resolver != null) {
            String value = resolver.resolve(field, raw.substring(resolver.scheme().length() + 1));
            if (value == null || value.isEmpty()) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, "Config field '" + field + "' refers to "
                        + raw + ", which resolved to nothing", "Store a value at " + raw);
            }
            return value;
        }
        return raw;
    }

    /** The {@link SecretResolver}s on the class path, by scheme, loaded once. */
    private static final class Resolvers {
        private static final Map<String, SecretResolver> BY_SCHEME = load();

        static SecretResolver forReference(String raw) {
            int colon = raw.indexOf(':');
            return colon < 1 ? null : BY_SCHEME.get(raw.substring(0, colon));
        }

        private static Map<String, SecretResolver> load() {
            Map<String, SecretResolver> out = new HashMap<>();
            for (SecretResolver r : ServiceLoader.load(SecretResolver.class)) {
                String scheme = r.scheme();
                if (scheme == null || !scheme.matches("[a-z][a-z0-9-]*") || scheme.equals("env")
                        || scheme.equals("file")) {
                    throw new IllegalStateException("Secret resolver " + r.getClass().getName() + " declares scheme '"
                            + scheme + "'; a scheme is lower-case letters, digits and '-', and not env or file");
                }
                SecretResolver other = out.putIfAbsent(scheme, r);
                if (other != null) {
                    throw new IllegalStateException("Secret resolvers " + other.getClass().getName() + " and "
                            + r.getClass().getName() + " both declare scheme '" + scheme + "'; keep one");
                }
            }
            return Map.copyOf(out);
        }
    }
}
