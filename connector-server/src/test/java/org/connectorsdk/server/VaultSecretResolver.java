package org.connectorsdk.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.SecretResolver;

/**
 * The example resolver the README points to: scheme {@code vault}, references of the form
 * {@code path#field}. A real one would call Vault's HTTP API here; this one reads an in-memory
 * table, which is all a test of the plumbing needs. Registered in
 * {@code META-INF/services/org.connectorsdk.api.SecretResolver} of the test resources.
 */
public final class VaultSecretResolver implements SecretResolver {
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();

    static void put(String reference, String value) {
        SECRETS.put(reference, value);
    }

    @Override
    public String scheme() {
        return "vault";
    }

    @Override
    public String resolve(String field, String reference) {
        String value = SECRETS.get(reference);
        if (value == null) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "Config field '" + field + "' refers to vault:"
                    + reference + ", which holds no secret", "Write the secret at " + reference + " in Vault");
        }
        return value;
    }
}
