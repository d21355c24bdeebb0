package org.connectorsdk.api;

/**
 * Resolves secret references of one scheme beside the built-in {@code env:NAME} and
 * {@code file:PATH}, so a platform keeps credentials where it already does: a resolver for
 * scheme {@code vault} turns {@code vault:secret/xdr/eu#apiKey} into the key when the secret is
 * used. A reference is stored and shown as it is written; only {@link Secret#reveal()} asks the
 * resolver, each time, so a rotated secret is picked up on the next use.
 *
 * <p>Register an implementation with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/org.connectorsdk.api.SecretResolver} entry, or {@code @AutoService})
 * on the host's class path. The schemes {@code env} and {@code file} are the built-ins and
 * cannot be taken over; two resolvers for one scheme are refused when secrets are first resolved.
 *
 * @since 0.1
 */
public interface SecretResolver {
    /** The scheme this resolver answers, without the colon, e.g. {@code vault}: lower-case letters, digits and {@code -}. */
    String scheme();

    /**
     * The secret value that {@code reference} names.
     *
     * @param field     the config field the secret belongs to, for messages
     * @param reference what follows {@code scheme:}, e.g. {@code secret/xdr/eu#apiKey}
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} naming the reference
     *                            (never a value) when it cannot be resolved
     */
    String resolve(String field, String reference);
}
