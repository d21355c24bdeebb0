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
     * What {@code config} selects of {@code stream}: its source (e.g. base URL and key id, never
     * a secret) and the filters that narrow it. The runtime stores it with the stream's cursor and
     * compares it on every run; by default everything of one source.
     */
    default StreamSelection selection(ConnectorConfig config, StreamSpec stream) {
        return StreamSelection.EVERYTHING;
    }

    /**
     * Whether {@code after} selects records of {@code stream} that {@code before} did not (another
     * source, a filter removed or widened). The runtime then resets the stream's cursor so its
     * next read is full; a selection that only narrows keeps the cursor. By default any change widens.
     */
    default boolean widens(StreamSpec stream, StreamSelection before, StreamSelection after) {
        return !before.equals(after);
    }

    /**
     * Opens a reader for one run.
     *
     * @throws ConnectorException of kind {@link ErrorKind#UNSUPPORTED} for what the connector
     *                            does not declare, or {@link ErrorKind#CONFIGURATION}
     */
    StreamReader open(ConnectorConfig config, ConnectorContext context);
}
