package org.connectorsdk.runtime;

import static java.util.Objects.requireNonNull;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.connectorsdk.api.Checkpoint;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;
import org.connectorsdk.api.host.PartialRun;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;
import org.connectorsdk.api.host.StreamRead;
import org.connectorsdk.runtime.internal.store.InstanceNames;
import org.connectorsdk.runtime.internal.store.SecureFiles;
import org.connectorsdk.runtime.internal.store.StateJson;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RecordSink} writing JSON Lines files: a committed run is the directory
 * {@code <out>/<instance>/<run-id>/} holding one {@code <stream>.jsonl} per stream, a
 * {@code summary.json} and a {@code commit.json} (the instance's cursors after the run, the
 * streams whose snapshot is complete, and the commit's sequence number).
 *
 * <p>A run writes into {@code <out>/<instance>/.tmp-<run-id>/}, streaming each record to disk
 * as it arrives; on commit every file is fsynced, the directory is renamed into place atomically
 * and the parent directory is fsynced, so records and cursors are published together or not at
 * all, and readers never see a partial run; abort deletes it.
 *
 * <p>The sink is {@linkplain #resumable() resumable}: the temp directory also holds
 * {@code run.json} (the run's id, start and every stream's mode and window) and, after each
 * position the runtime saves, {@code position.json} (the position and each stream file's record
 * count), written after the stream files are fsynced. When a process dies mid-run, the instance's
 * next run gets it back from {@link #partialRun} and, through {@link #resume}, continues it: each
 * stream file is cut back to the records it held at the position (a page half written after it is
 * dropped) and appended to. Temp directories the next run does not resume are removed when it
 * opens. Directories are owner-only
 * (0700) and files 0600 on POSIX file systems. One process writes an output directory at a time.
 *
 * <pre>{@code
 * RecordSink sink = new JsonLinesSink(Path.of("out"));
 * }</pre>
 */
public final class JsonLinesSink implements RecordSink {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesSink.class);

    /** Name of the summary file in every committed run directory. */
    public static final String SUMMARY_FILE = "summary.json";

    /** Name of the file holding the cursors and sequence number of every committed run. */
    public static final String COMMIT_FILE = "commit.json";

    private static final String TEMP_PREFIX = ".tmp-";
    /** The run as it was opened, in its temp directory until it is published. */
    private static final String RUN_FILE = "run.json";
    /** The last position saved with the run's records, in its temp directory until it is published. */
    private static final String POSITION_FILE = "position.json";
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    /** The compact mapper's writer without its flush after every value (the file is flushed on close). */
    private static final ObjectWriter RECORD_WRITER = StateJson.COMPACT.writer()
            .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final Path out;
    /** Each instance's last commit, once read from disk or made by this sink. */
    private final Map<String, Optional<Published>> last = new ConcurrentHashMap<>();

    /** A sink writing under {@code outputDirectory} (created when the first run opens). */
    public JsonLinesSink(Path outputDirectory) {
        this.out = requireNonNull(outputDirectory, "outputDirectory is null");
    }

    /** A committed run: its sequence number among the instance's commits, and what it committed. */
    private record Published(long sequence, RunCommit commit) {
    }

    /** The directory of a committed run. */
    public Path runDirectory(String instance, String runId) {
        return out.resolve(InstanceNames.check(instance)).resolve(runId);
    }

    @Override
    public SinkWriter open(RunInfo run) {
        Path instanceDir = out.resolve(InstanceNames.check(run.instance()));
        Path temp = instanceDir.resolve(TEMP_PREFIX + run.runId());
        try {
            SecureFiles.createDirectories(out, instanceDir);
            removeStaleTemps(run.instance(), instanceDir, temp);
            SecureFiles.createDirectories(out, temp);
            writeRun(temp, run);
        } catch (IOException e) {
            throw failure("create the run directory " + temp, e);
        }
        return new RunWriter(run, temp, instanceDir.resolve(run.runId()), Map.of());
    }

    /** True: an unpublished run's records and last position survive the process (see the class comment). */
    @Override
    public boolean resumable() {
        return true;
    }

    /** The newest temp directory of the instance holding a saved position, as the run left it. */
    @Override
    public Optional<PartialRun> partialRun(String instance) {
        Path instanceDir = out.resolve(InstanceNames.check(instance));
        if (!Files.isDirectory(instanceDir)) {
            return Optional.empty();
        }
        List<Path> temps = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(instanceDir, TEMP_PREFIX + "*")) {
            all.forEach(temps::add);
        } catch (IOException e) {
            throw failure("list the unpublished runs in " + instanceDir, e);
        }
        // run ids sort by time: the newest first
        temps.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        for (Path temp : temps) {
            try {
                Optional<Map<String, Object>> position = readDocument(temp.resolve(POSITION_FILE));
                Optional<Map<String, Object>> run = readDocument(temp.resolve(RUN_FILE));
                if (position.isPresent() && run.isPresent()) {
                    return Optional.of(new PartialRun(runInfo(run.get()),
                            StateJson.checkpoint(position.get().get("position"))));
                }
            } catch (IOException | RuntimeException e) {
                LOG.info("{}: the unpublished run in {} cannot be resumed ({}); it is removed when the next run "
                        + "opens", instance, temp, StateJson.problem(e));
            }
        }
        return Optional.empty();
    }

    @Override
    public SinkWriter resume(PartialRun partial, RunInfo run) {
        Path instanceDir = out.resolve(InstanceNames.check(run.instance()));
        Path previous = instanceDir.resolve(TEMP_PREFIX + partial.run().runId());
        Path temp = instanceDir.resolve(TEMP_PREFIX + run.runId());
        Map<String, Long> records = new LinkedHashMap<>();
        try {
            Map<String, Object> position = readDocument(previous.resolve(POSITION_FILE)).orElseThrow(
                    () -> new NoSuchFileException(previous.resolve(POSITION_FILE).toString()));
            StateJson.map(position.get("records")).forEach((stream, n) -> records.put(stream,
                    ((Number) n).longValue()));
            SecureFiles.move(previous, temp);
            removeStaleTemps(run.instance(), instanceDir, temp);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(temp, "*.jsonl")) {
                for (Path file : files) {
                    String stream = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
                    if (records.getOrDefault(stream, 0L) == 0) {
                        Files.delete(file);
                        records.remove(stream);
                    } else {
                        cutBack(file, records.get(stream));
                    }
                }
            }
            Files.deleteIfExists(temp.resolve(RUN_FILE));
            writeRun(temp, run);
        } catch (IOException | RuntimeException e) {
            throw failure("resume run " + partial.run().runId() + " in " + previous, e);
        }
        LOG.debug("{}: run {} continues run {} with {} records", run.instance(), run.runId(), partial.run().runId(),
                records);
        return new RunWriter(run, temp, instanceDir.resolve(run.runId()), records);
    }

    /** Truncates a stream file to its first {@code records} lines: what a page half written after the position added goes. */
    private static void cutBack(Path file, long records) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            long lines = 0;
            long offset = 0;
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            while (lines < records) {
                buffer.clear();
                int n = ch.read(buffer, offset);
                if (n < 0) {
                    throw new IOException(file + " holds " + lines + " records, fewer than the " + records
                            + " its saved position counts");
                }
                for (int i = 0; i < n && lines < records; i++) {
                    offset++;
                    if (buffer.get(i) == '\n') {
                        lines++;
                    }
                }
            }
            ch.truncate(offset);
            ch.force(true);
        }
    }

    private static void writeRun(Path temp, RunInfo run) throws IOException {
        Map<String, Object> streams = new LinkedHashMap<>();
        run.streams().forEach((name, read) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("mode", read.mode().name());
            read.window().ifPresent(w -> r.put("window", Map.of("from", w.from().toString(), "to", w.to().toString())));
            streams.put(name, r);
        });
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("instance", run.instance());
        doc.put("connectorId", run.connectorId());
        doc.put("runId", run.runId());
        doc.put("startedAt", run.startedAt().toString());
        doc.put("streams", streams);
        try (var o = SecureFiles.newFile(temp.resolve(RUN_FILE))) {
            o.write(StateJson.PRETTY.writeValueAsBytes(doc));
        }
        SecureFiles.fsync(temp.resolve(RUN_FILE));
    }

    private static RunInfo runInfo(Map<String, Object> doc) {
        Map<String, StreamRead> streams = new LinkedHashMap<>();
        StateJson.map(doc.get("streams")).forEach((name, r) -> {
            Map<String, Object> read = StateJson.map(r);
            Optional<TimeWindow> window = Optional.ofNullable(read.get("window")).map(StateJson::map).map(
                    w -> new TimeWindow(Instant.parse((String) w.get("from")), Instant.parse((String) w.get("to"))));
            streams.put(name, new StreamRead(name, SyncMode.valueOf((String) read.get("mode")), window));
        });
        return new RunInfo((String) doc.get("instance"), (String) doc.get("connectorId"), (String) doc.get("runId"),
                Instant.parse((String) doc.get("startedAt")), streams);
    }

    private static Optional<Map<String, Object>> readDocument(Path file) throws IOException {
        try {
            return Optional.of(StateJson.COMPACT.readValue(file.toFile(), OBJECT));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The instance's run directory with the highest commit sequence. Run directories published
     * before commits carried cursors do not count.
     */
    @Override
    public Optional<RunCommit> lastCommit(String instance) {
        return published(instance).map(Published::commit);
    }

    private Optional<Published> published(String instance) {
        return last.computeIfAbsent(instance, this::scan);
    }

    private Optional<Published> scan(String instance) {
        Path instanceDir = out.resolve(InstanceNames.check(instance));
        Published best = null;
        if (!Files.isDirectory(instanceDir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(instanceDir)) {
            for (Path dir : runs) {
                if (dir.getFileName().toString().startsWith(".")) {
                    continue;
                }
                Optional<Published> p = read(dir);
                if (p.isPresent() && (best == null || p.get().sequence() > best.sequence())) {
                    best = p.get();
                }
            }
        } catch (IOException e) {
            throw failure("list the published runs in " + instanceDir, e);
        }
        return Optional.ofNullable(best);
    }

    private static Optional<Published> read(Path runDir) throws IOException {
        Map<String, Object> commit;
        Map<String, Object> summary;
        try {
            commit = StateJson.COMPACT.readValue(runDir.resolve(COMMIT_FILE).toFile(), OBJECT);
            summary = StateJson.COMPACT.readValue(runDir.resolve(SUMMARY_FILE).toFile(), OBJECT);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        }
        Map<String, Checkpoint> cursors = new LinkedHashMap<>();
        StateJson.map(commit.get("cursors")).forEach((stream, c) -> cursors.put(stream, StateJson.checkpoint(c)));
        List<String> complete = new ArrayList<>();
        if (commit.get("completeSnapshots") instanceof List<?> l) {
            l.forEach(s -> complete.add(String.valueOf(s)));
        }
        long sequence = ((Number) commit.get("sequence")).longValue();
        return Optional.of(new Published(sequence, new RunCommit(StateJson.run(summary), cursors,
                Set.copyOf(complete))));
    }

    /**
     * Deletes what crashed runs of the instance left, but {@code keep}: one run of an instance
     * writes at a time.
     */
    private static void removeStaleTemps(String instance, Path instanceDir, Path keep) throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(instanceDir, TEMP_PREFIX + "*")) {
            for (Path stale : temps) {
                if (stale.equals(keep)) {
                    continue;
                }
                LOG.info("{}: removing {}, left unpublished by a run that did not end", instance, stale);
                SecureFiles.deleteTree(stale);
            }
        }
    }

    /** Makes a rename inside {@code dir} durable; a file system that cannot sync a directory is left as it is. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    private static ConnectorException failure(String what, Exception e) {
        return new ConnectorException(ErrorKind.INTERNAL, "JSON Lines sink: cannot " + what + ": " + e,
                "Check the output directory's disk space and permissions", e);
    }

    /** One run's writer; single-threaded like the run that owns it. */
    private final class RunWriter implements SinkWriter {
        private final RunInfo run;
        private final Path temp;
        private final Path target;
        private final Map<String, JsonGenerator> files = new LinkedHashMap<>();
        /** Records in each stream file, those of the run it continues included. */
        private final Map<String, Long> records;
        private boolean committed;
        private boolean aborted;

        /** @param records the records each stream file already holds (a resumed run's) */
        RunWriter(RunInfo run, Path temp, Path target, Map<String, Long> records) {
            this.run = run;
            this.temp = temp;
            this.target = target;
            this.records = new LinkedHashMap<>(records);
        }

        @Override
        public void write(String stream, Map<String, Object> record) {
            requireOpen();
            try {
                // one pass straight to UTF-8 bytes: no String, no char encoding, no flush per record
                JsonGenerator g = file(stream);
                RECORD_WRITER.writeValue(g, record);
                g.writeRaw('\n');
                records.merge(stream, 1L, Long::sum);
            } catch (IOException e) {
                throw failure("write a record of stream '" + stream + "' to " + temp, e);
            }
        }

        private JsonGenerator file(String stream) throws IOException {
            JsonGenerator g = files.get(stream);
            if (g == null) {
                if (!stream.matches("[a-z][a-z0-9_-]*")) {
                    throw new IllegalArgumentException("Invalid stream name: '" + stream + "'");
                }
                Path file = temp.resolve(stream + ".jsonl");
                // a resumed run appends to the records its position kept
                OutputStream o = records.containsKey(stream) && Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                        ? Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                                LinkOption.NOFOLLOW_LINKS)
                        : SecureFiles.newFile(file);
                g = StateJson.COMPACT.getFactory().createGenerator(new BufferedOutputStream(o, 1 << 16),
                        JsonEncoding.UTF8);
                // records are separated by the newline written after each, not by Jackson's space
                g.setRootValueSeparator(null);
                files.put(stream, g);
            }
            return g;
        }

        @Override
        public void savePosition(Checkpoint position) {
            requireOpen();
            try {
                for (Map.Entry<String, JsonGenerator> f : files.entrySet()) {
                    f.getValue().flush();
                    SecureFiles.fsync(temp.resolve(f.getKey() + ".jsonl"));
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("position", position.values());
                doc.put("records", records);
                SecureFiles.writeAtomically(out, temp.resolve(POSITION_FILE), StateJson.COMPACT.writeValueAsBytes(doc));
                fsyncDirectory(temp);
            } catch (IOException e) {
                throw failure("save the position of run " + run.runId() + " in " + temp, e);
            }
        }

        @Override
        public void commit(RunCommit commit) {
            requireOpen();
            RunSummary summary = commit.summary();
            try {
                for (String stream : summary.streams().keySet()) {
                    file(stream); // a stream that read nothing still gets its (empty) file
                }
                closeFiles();
                try (var o = SecureFiles.newFile(temp.resolve(SUMMARY_FILE))) {
                    o.write(StateJson.PRETTY.writeValueAsBytes(StateJson.run(summary)));
                }
                long sequence = published(run.instance()).map(Published::sequence).orElse(0L) + 1;
                Map<String, Object> cursors = new LinkedHashMap<>();
                commit.cursors().forEach((stream, c) -> cursors.put(stream, c.values()));
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("sequence", sequence);
                doc.put("runId", run.runId());
                doc.put("cursors", cursors);
                doc.put("completeSnapshots", commit.completeSnapshots().stream().sorted().toList());
                try (var o = SecureFiles.newFile(temp.resolve(COMMIT_FILE))) {
                    o.write(StateJson.PRETTY.writeValueAsBytes(doc));
                }
                // what only an unpublished run needs is not published
                Files.deleteIfExists(temp.resolve(POSITION_FILE));
                Files.deleteIfExists(temp.resolve(RUN_FILE));
                try (var list = Files.list(temp)) {
                    for (Path p : list.toList()) {
                        SecureFiles.fsync(p);
                    }
                }
                SecureFiles.move(temp, target);
                fsyncDirectory(target.getParent());
                last.put(run.instance(), Optional.of(new Published(sequence, commit)));
                committed = true;
                LOG.debug("{}: published run {} at {}", run.instance(), run.runId(), target);
            } catch (IOException e) {
                abort();
                throw failure("publish run " + run.runId() + " to " + target, e);
            }
        }

        @Override
        public void abort() {
            if (end()) {
                try {
                    SecureFiles.deleteTree(temp);
                } catch (IOException e) {
                    LOG.warn("{}: could not delete the unpublished run directory {}: {}", run.instance(), temp,
                            e.toString());
                }
            }
        }

        /** Closes the stream files and leaves the temp directory, with its position, for a resume. */
        @Override
        public void suspend() {
            end();
        }

        /** Ends an open writer and closes its files; false when it was committed or ended already. */
        private boolean end() {
            if (committed || aborted) {
                return false;
            }
            aborted = true;
            try {
                closeFiles();
            } catch (IOException e) {
                // what a saved position names was fsynced when it was saved; a resume cuts the rest
                LOG.debug("{}: closing files of run {} failed: {}", run.instance(), run.runId(), e.toString());
            }
            return true;
        }

        @Override
        public void close() {
            abort();
        }

        private void closeFiles() throws IOException {
            IOException first = null;
            for (JsonGenerator g : files.values()) {
                try {
                    g.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }

        private void requireOpen() {
            if (committed || aborted) {
                throw new IllegalStateException("Run " + run.runId() + " of " + run.instance() + " is already "
                        + (committed ? "committed" : "aborted"));
            }
        }
    }
}
