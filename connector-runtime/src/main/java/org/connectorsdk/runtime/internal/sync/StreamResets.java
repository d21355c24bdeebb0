package org.connectorsdk.runtime.internal.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.StreamSelection;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.StateStore;

/**
 * Which time-tracked streams of an instance that has committed before will be read in full by its
 * next run, and why: an update widened what the stream selects, or the stream was added. Asked
 * after an update, so an operator learns it when they change the config, not when a run starts.
 */
public final class StreamResets {
    private StreamResets() {
    }

    /**
     * Each stream of {@code config}'s selection whose next read is full although the instance
     * committed a run before, with why (e.g. "the incidentSeverityFilter was removed"); empty
     * before the first commit, when every stream is read in full anyway.
     */
    public static Map<String, String> of(String instance, Connector connector, ConnectorConfig config,
            RecordSink sink, StateStore store) {
        Optional<RunCommit> last = sink.lastCommit(instance);
        List<StreamSpec> selected = connector.selectedStreams(config);
        Map<String, Checkpoint> committed = new LinkedHashMap<>();
        for (StreamSpec stream : selected) {
            (last.isPresent() ? Optional.ofNullable(last.get().cursors().get(stream.name()))
                    : store.cursor(instance, stream.name())).ifPresent(c -> committed.put(stream.name(), c));
        }
        boolean committedBefore = last.isPresent() || !committed.isEmpty();
        Map<String, String> resets = new LinkedHashMap<>();
        for (StreamSpec stream : selected) {
            if (!stream.timeTracked() || !committedBefore) {
                continue;
            }
            Checkpoint cursor = committed.get(stream.name());
            if (cursor == null) {
                resets.put(stream.name(), "the stream was added");
            } else {
                widened(cursor, connector.selection(config, stream), (b, a) -> connector.widens(stream, b, a))
                        .ifPresent(why -> resets.put(stream.name(), why));
            }
        }
        return resets;
    }

    /**
     * Why {@code after} selects records that the committed cursor's selection did not, if it does.
     *
     * @param widens the connector's {@link Connector#widens} for the stream
     */
    static Optional<String> widened(Checkpoint cursor, StreamSelection after,
            BiPredicate<StreamSelection, StreamSelection> widens) {
        Optional<StreamSelection> before = cursor.get("selection").map(StreamResets::selection);
        if (before.isEmpty() || !widens.test(before.get(), after)) {
            return Optional.empty();
        }
        StreamSelection was = before.get();
        if (!was.source().equals(after.source())) {
            return Optional.of("the source changed to " + (after.source().isEmpty() ? "the default" : after.source()));
        }
        // name each filter whose change alone widens the stream
        List<String> why = new ArrayList<>();
        for (Map.Entry<String, Object> filter : was.filters().entrySet()) {
            Object now = after.filters().get(filter.getKey());
            if (Objects.equals(filter.getValue(), now)) {
                continue;
            }
            Map<String, Object> one = new LinkedHashMap<>(was.filters());
            if (now == null) {
                one.remove(filter.getKey());
            } else {
                one.put(filter.getKey(), now);
            }
            if (widens.test(was, new StreamSelection(was.source(), one))) {
                why.add("the " + filter.getKey() + " was " + (now == null ? "removed" : "widened"));
            }
        }
        return Optional.of(why.isEmpty() ? "its selection was widened" : String.join(" and ", why));
    }

    static StreamSelection selection(Object stored) {
        Map<?, ?> m = stored instanceof Map<?, ?> map ? map : Map.of();
        Map<String, Object> filters = new LinkedHashMap<>();
        if (m.get("filters") instanceof Map<?, ?> f) {
            f.forEach((k, v) -> filters.put(String.valueOf(k), v));
        }
        return new StreamSelection(String.valueOf(m.get("source") == null ? "" : m.get("source")), filters);
    }
}
