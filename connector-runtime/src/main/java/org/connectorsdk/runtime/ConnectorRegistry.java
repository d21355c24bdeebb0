package org.connectorsdk.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

/**
 * TEMPORARY stand-in for H1's registry (issue 2), deleted when the real one lands on main.
 */
public final class ConnectorRegistry {
    private final Map<String, Connector> connectors;

    private ConnectorRegistry(Map<String, Connector> connectors) {
        this.connectors = connectors;
    }

    /** Connectors on the class path. */
    public static ConnectorRegistry fromClassPath() {
        Map<String, Connector> found = new LinkedHashMap<>();
        for (Connector c : ServiceLoader.load(Connector.class)) {
            found.put(c.descriptor().id(), c);
        }
        return new ConnectorRegistry(found);
    }

    /** The connector with {@code id}, if any. */
    public Optional<Connector> find(String id) {
        return Optional.ofNullable(connectors.get(id));
    }

    /** The connector with {@code id}. */
    public Connector get(String id) {
        return find(id).orElseThrow(() -> new ConnectorException(ErrorKind.CONFIGURATION,
                "Unknown connector '" + id + "'; known connectors are " + connectors.keySet(),
                "Use one of the listed connector ids"));
    }
}
