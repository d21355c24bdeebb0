package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A kind of record a connector reads (assets, incidents, alerts, ...).
 *
 * @param name                 e.g. {@code assets}
 * @param description          one line for {@code describe}
 * @param primaryKey           the source fields that identify a record, used to de-duplicate
 * @param cursorField          the source field incremental reads advance on, when supported: the
 *                             record's last-change time, as an ISO-8601 instant or epoch
 *                             milliseconds; with the primary key it identifies a record version
 *                             for de-duplication across the overlap (see {@link PageRequest})
 * @param syncModes            the modes the stream supports; {@link SyncMode#INCREMENTAL} needs a
 *                             cursor field and the connector's
 *                             {@link Capability#INCREMENTAL_SYNC} capability
 * @param defaultPollInterval  how often the stream is polled when the instance does not say
 * @param deltaWindow          the overlap and settle of this stream's delta reads (an instance
 *                             may override them); {@link DeltaWindow#DEFAULT} unless the plugin
 *                             knows its source makes records visible later
 */
public record StreamSpec(String name, String description, List<String> primaryKey, Optional<String> cursorField,
        Set<SyncMode> syncModes, Optional<Duration> defaultPollInterval, DeltaWindow deltaWindow) {

    public StreamSpec {
        requireNonNull(name, "name is null");
        if (!name.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("Invalid stream name: '" + name + "': a stream name starts with a "
                    + "lower-case letter and has only lower-case letters, digits, '_' and '-' (pattern [a-z][a-z0-9_-]*)");
        }
        requireNonNull(description, "description is null");
        primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
        if (primaryKey.isEmpty()) {
            throw new IllegalArgumentException("Stream '" + name + "' needs a primary key");
        }
        requireNonNull(cursorField, "cursorField is null");
        syncModes = Set.copyOf(requireNonNull(syncModes, "syncModes is null"));
        if (syncModes.contains(SyncMode.INCREMENTAL) && cursorField.isEmpty()) {
            throw new IllegalArgumentException("Stream '" + name + "' is incremental but has no cursor field");
        }
        requireNonNull(defaultPollInterval, "defaultPollInterval is null");
        requireNonNull(deltaWindow, "deltaWindow is null");
    }

    /** A stream with the {@link DeltaWindow#DEFAULT} delta window. */
    public StreamSpec(String name, String description, List<String> primaryKey, Optional<String> cursorField,
            Set<SyncMode> syncModes, Optional<Duration> defaultPollInterval) {
        this(name, description, primaryKey, cursorField, syncModes, defaultPollInterval, DeltaWindow.DEFAULT);
    }

    /** A copy with {@code window} as its delta window. */
    public StreamSpec withDeltaWindow(DeltaWindow window) {
        return new StreamSpec(name, description, primaryKey, cursorField, syncModes, defaultPollInterval, window);
    }

    /** Whether the stream keeps a time cursor: it reads incrementally on a cursor field. */
    public boolean timeTracked() {
        return supports(SyncMode.INCREMENTAL) && cursorField.isPresent();
    }

    /** A stream that is only read in full. */
    public static StreamSpec full(String name, String description, String primaryKey) {
        return new StreamSpec(name, description, List.of(primaryKey), Optional.empty(), Set.of(SyncMode.FULL),
                Optional.empty());
    }

    /**
     * A stream read in full the first time and incrementally on {@code cursorField} afterwards
     * (see {@link PageRequest}).
     */
    public static StreamSpec incremental(String name, String description, String primaryKey, String cursorField) {
        return new StreamSpec(name, description, List.of(primaryKey), Optional.of(cursorField),
                Set.of(SyncMode.FULL, SyncMode.INCREMENTAL), Optional.empty());
    }

    /** Whether the stream can be read in {@code mode}. */
    public boolean supports(SyncMode mode) {
        return syncModes.contains(mode);
    }
}
