package org.connectorsdk.api;

import java.util.List;

/**
 * A plugin for one vendor system, found with {@link java.util.ServiceLoader}. It describes
 * itself, its setup fields, its connection checks, its streams and its transform maps, and
 * opens a reader for a validated configuration.
 */
public interface Connector {

    ConnectorDescriptor descriptor();

    ConfigSpec configSpec();

    /** The connection checks in the order they run. */
    List<ConnectionCheck> connectionChecks();

    /** Every stream the connector can read. */
    List<StreamSpec> streams();

    /** The streams {@code config} selects; all of them by default. */
    default List<StreamSpec> selectedStreams(ConnectorConfig config) {
        return streams();
    }

    /** Every transform map the connector ships; none by default (records pass through). */
    default List<TransformMap> transformMaps() {
        return List.of();
    }

    /** The maps that apply under {@code config}; those active by default, unless overridden. */
    default List<TransformMap> activeMaps(ConnectorConfig config) {
        return transformMaps().stream().filter(TransformMap::activeByDefault).toList();
    }

    /**
     * Opens a reader for one run.
     *
     * @throws ConnectorException of kind {@link ErrorKind#UNSUPPORTED} for what the connector
     *                            does not declare, or {@link ErrorKind#CONFIGURATION}
     */
    StreamReader open(ConnectorConfig config, ConnectorContext context);
}
