package org.connectorsdk.kafka;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;

import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSelection;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.runtime.ConnectorRegistry;

/**
 * An SDK connector that reads only some of the streams its config selects: {@code sdk.streams}.
 * Everything else is the connector's own.
 *
 * <p>The runtime takes its connectors from a {@link ConnectorRegistry}, which finds them with
 * ServiceLoader, so {@link #registry} builds one over a class loader whose only provider is this
 * class; the connector it wraps is handed to the constructor on the building thread. Public only
 * because ServiceLoader instantiates it.
 */
public final class NarrowedConnector implements Connector {
    private static final String SERVICES = "META-INF/services/" + Connector.class.getName();
    /** The provider-configuration file the loader answers with: it names this class alone. */
    private static final String PROVIDERS = "org/connectorsdk/kafka/NarrowedConnector.services";
    private static final ThreadLocal<NarrowedConnector> BUILDING = new ThreadLocal<>();

    private final Connector connector;
    private final Set<String> streams;

    private NarrowedConnector(Connector connector, Set<String> streams) {
        this.connector = requireNonNull(connector, "connector is null");
        this.streams = Set.copyOf(streams);
    }

    /** For ServiceLoader, inside {@link #registry} only. */
    public NarrowedConnector() {
        NarrowedConnector building = BUILDING.get();
        if (building == null) {
            throw new IllegalStateException("NarrowedConnector is made by NarrowedConnector.registry alone");
        }
        this.connector = building.connector;
        this.streams = building.streams;
    }

    /** A registry whose one connector is {@code connector} reading only {@code streams} of its selection. */
    static ConnectorRegistry registry(Connector connector, Set<String> streams) {
        BUILDING.set(new NarrowedConnector(connector, streams));
        try {
            return ConnectorRegistry.fromClassLoader(new ProviderLoader(NarrowedConnector.class.getClassLoader()));
        } finally {
            BUILDING.remove();
        }
    }

    /** Lists this class as the one connector provider; loads every class through its parent. */
    private static final class ProviderLoader extends ClassLoader {
        ProviderLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (name.equals(SERVICES)) {
                URL providers = requireNonNull(getParent().getResource(PROVIDERS), PROVIDERS + " is in this jar");
                return Collections.enumeration(List.of(providers));
            }
            return super.getResources(name);
        }
    }

    @Override
    public List<StreamSpec> selectedStreams(ConnectorConfig config) {
        return connector.selectedStreams(config).stream().filter(s -> streams.contains(s.name())).toList();
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return connector.descriptor();
    }

    @Override
    public ConfigSpec configSpec() {
        return connector.configSpec();
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        return connector.connectionChecks();
    }

    @Override
    public List<StreamSpec> streams() {
        return connector.streams();
    }

    @Override
    public List<TransformMap> transformMaps() {
        return connector.transformMaps();
    }

    @Override
    public List<TransformMap> activeMaps(ConnectorConfig config) {
        return connector.activeMaps(config);
    }

    @Override
    public StreamSelection selection(ConnectorConfig config, StreamSpec stream) {
        return connector.selection(config, stream);
    }

    @Override
    public boolean widens(StreamSpec stream, StreamSelection before, StreamSelection after) {
        return connector.widens(stream, before, after);
    }

    @Override
    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
        return connector.open(config, context);
    }

    @Override
    public String toString() {
        return connector + " reading " + streams;
    }
}
