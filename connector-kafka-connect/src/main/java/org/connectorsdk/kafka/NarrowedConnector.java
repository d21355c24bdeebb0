package org.connectorsdk.kafka;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.Converter;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSelection;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.TransformMap;

/**
 * An SDK connector that reads only some of the streams its config selects: {@code sdk.streams}.
 * Everything else is the connector's own.
 */
final class NarrowedConnector implements Connector {
    private final Connector connector;
    private final Set<String> streams;

    NarrowedConnector(Connector connector, Set<String> streams) {
        this.connector = requireNonNull(connector, "connector is null");
        this.streams = Set.copyOf(streams);
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
    public List<Converter> converters() {
        return connector.converters();
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
