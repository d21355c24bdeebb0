package org.connectorsdk.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleState;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.internal.store.InstanceNames;
import org.connectorsdk.runtime.internal.store.SecureFiles;
import org.connectorsdk.runtime.internal.store.StateJson;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * A {@link StateStore} in a directory of JSON documents, one per concern:
 *
 * <pre>
 * instances/&lt;name&gt;.json      the instance (config with secret references only)
 * transitions/&lt;name&gt;.json    its state transitions, oldest first
 * runs/&lt;name&gt;.json           its run summaries, oldest first
 * checkpoints/&lt;name&gt;.json    page checkpoints of the current run
 * cursors/&lt;name&gt;.json        committed cursors for delta runs
 * schedules/&lt;name&gt;.json      the schedule state: next run due, last run started
 * </pre>
 *
 * <p>Every document is written to a temporary file, fsynced and renamed over the old one, so a
 * crash mid-write leaves the previous version readable; leftover temporary files are ignored.
 * Directories are owner-only (0700) and files 0600 on POSIX file systems. The history keeps the
 * latest {@value #MAX_TRANSITIONS} transitions and {@value #MAX_RUNS} runs per instance.
 *
 * <p>One process owns a state directory at a time; within it the store is thread-safe.
 */
public final class FileStateStore implements StateStore {
    static final int MAX_TRANSITIONS = 1000;
    static final int MAX_RUNS = 200;

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() { };

    private final Path root;

    private FileStateStore(Path root) {
        this.root = root;
    }

    /**
     * A store in {@code directory}, created (owner-only) if missing.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when it cannot be created
     */
    public static FileStateStore open(Path directory) {
        requireNonNull(directory, "directory is null");
        try {
            SecureFiles.createDirectories(directory);
        } catch (IOException e) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "Cannot create the state directory " + directory + ": " + e.getMessage(),
                    "Choose a state directory this process may write", e);
        }
        return new FileStateStore(directory);
    }

    /** The directory this store lives in. */
    public Path directory() {
        return root;
    }

    @Override
    public synchronized void saveInstance(InstanceRecord instance) {
        write(doc("instances", instance.name()), StateJson.instance(instance));
    }

    @Override
    public synchronized Optional<InstanceRecord> instance(String name) {
        return read(doc("instances", name), OBJECT).map(StateJson::instance);
    }

    @Override
    public synchronized List<InstanceRecord> instances() {
        Path dir = root.resolve("instances");
        List<InstanceRecord> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                // temporary files start with a dot and end in .tmp: never a document
                if (!f.getFileName().toString().startsWith(".")) {
                    read(f, OBJECT).map(StateJson::instance).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw failure("list", dir, e);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    @Override
    public synchronized void removeInstance(String name) {
        for (String kind : List.of("instances", "transitions", "runs", "checkpoints", "cursors", "schedules")) {
            Path p = doc(kind, name);
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw failure("delete", p, e);
            }
        }
    }

    @Override
    public synchronized void appendTransition(String instance, StateTransition transition) {
        appendCapped(doc("transitions", instance), StateJson.transition(transition), MAX_TRANSITIONS);
    }

    @Override
    public synchronized List<StateTransition> transitions(String instance) {
        return readList(doc("transitions", instance), StateJson::transition);
    }

    @Override
    public synchronized void saveRun(RunSummary summary) {
        appendCapped(doc("runs", summary.instance()), StateJson.run(summary), MAX_RUNS);
    }

    @Override
    public synchronized List<RunSummary> runs(String instance) {
        return readList(doc("runs", instance), StateJson::run);
    }

    @Override
    public synchronized Optional<Checkpoint> checkpoint(String instance, String stream, String partition) {
        return read(doc("checkpoints", instance), OBJECT)
                .flatMap(m -> Optional.ofNullable(m.get(stream + "/" + partition)))
                .map(StateJson::checkpoint);
    }

    @Override
    public synchronized void saveCheckpoint(String instance, String stream, String partition, Checkpoint checkpoint) {
        Path p = doc("checkpoints", instance);
        Map<String, Object> all = new LinkedHashMap<>(read(p, OBJECT).orElse(Map.of()));
        all.put(stream + "/" + partition, checkpoint.values());
        write(p, all);
    }

    @Override
    public synchronized void clearCheckpoints(String instance) {
        Path p = doc("checkpoints", instance);
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw failure("delete", p, e);
        }
    }

    @Override
    public synchronized Optional<Checkpoint> cursor(String instance, String stream) {
        return read(doc("cursors", instance), OBJECT)
                .flatMap(m -> Optional.ofNullable(m.get(stream)))
                .map(StateJson::checkpoint);
    }

    @Override
    public synchronized void saveCursor(String instance, String stream, Checkpoint cursor) {
        Path p = doc("cursors", instance);
        Map<String, Object> all = new LinkedHashMap<>(read(p, OBJECT).orElse(Map.of()));
        all.put(stream, cursor.values());
        write(p, all);
    }

    @Override
    public synchronized Optional<ScheduleState> scheduleState(String instance) {
        return read(doc("schedules", instance), OBJECT).map(StateJson::scheduleState);
    }

    @Override
    public synchronized void saveScheduleState(String instance, ScheduleState state) {
        write(doc("schedules", instance), StateJson.scheduleState(state));
    }

    private Path doc(String kind, String instance) {
        return root.resolve(kind).resolve(InstanceNames.check(instance) + ".json");
    }

    private void appendCapped(Path p, Map<String, Object> entry, int cap) {
        List<Map<String, Object>> list = new ArrayList<>(read(p, LIST).orElse(List.of()));
        list.add(entry);
        if (list.size() > cap) {
            list = new ArrayList<>(list.subList(list.size() - cap, list.size()));
        }
        write(p, list);
    }

    private <T> List<T> readList(Path p, Function<Map<String, Object>, T> convert) {
        return read(p, LIST).orElse(List.of()).stream().map(convert).toList();
    }

    private <T> Optional<T> read(Path p, TypeReference<T> type) {
        try {
            Optional<byte[]> bytes = SecureFiles.readOwnFile(root, p, StateJson.MAX_DOCUMENT_BYTES);
            return bytes.isEmpty() ? Optional.empty() : Optional.of(StateJson.PRETTY.readValue(bytes.get(), type));
        } catch (IOException | IllegalArgumentException e) {
            // never the parser's message: it quotes the content, which may be another file's
            throw new ConnectorException(ErrorKind.INTERNAL,
                    "The state document " + p + " cannot be read: " + StateJson.problem(e),
                    "Restore it from a backup or delete it (its instance must then be registered again)", e);
        }
    }

    private void write(Path p, Object document) {
        try {
            SecureFiles.writeAtomically(root, p, StateJson.PRETTY.writeValueAsBytes(document));
        } catch (IOException e) {
            throw failure("write", p, e);
        }
    }

    private static ConnectorException failure(String verb, Path p, IOException e) {
        return new ConnectorException(ErrorKind.INTERNAL, "Cannot " + verb + " state document " + p + ": " + e,
                "Check the state directory's disk space and permissions", e);
    }

    @Override
    public String toString() {
        return "FileStateStore[" + root + "]";
    }
}
