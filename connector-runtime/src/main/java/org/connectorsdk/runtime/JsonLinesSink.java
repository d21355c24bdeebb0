package org.connectorsdk.runtime;

import static java.util.Objects.requireNonNull;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;
import org.connectorsdk.runtime.internal.store.InstanceNames;
import org.connectorsdk.runtime.internal.store.SecureFiles;
import org.connectorsdk.runtime.internal.store.StateJson;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RecordSink} writing JSON Lines files: a committed run is the directory
 * {@code <out>/<instance>/<run-id>/} holding one {@code <stream>.jsonl} per stream and a
 * {@code summary.json}.
 *
 * <p>A run writes into {@code <out>/<instance>/.tmp-<run-id>/}, streaming each record to disk
 * as it arrives, and the directory is renamed into place atomically on commit, so readers never
 * see a partial run; abort deletes it. Directories are owner-only (0700) and files 0600 on POSIX
 * file systems.
 *
 * <pre>{@code
 * RecordSink sink = new JsonLinesSink(Path.of("out"));
 * }</pre>
 */
public final class JsonLinesSink implements RecordSink {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesSink.class);

    /** Name of the summary file in every committed run directory. */
    public static final String SUMMARY_FILE = "summary.json";

    /** The compact mapper's writer without its flush after every value (the file is flushed on close). */
    private static final ObjectWriter RECORD_WRITER = StateJson.COMPACT.writer()
            .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final Path out;

    /** A sink writing under {@code outputDirectory} (created when the first run opens). */
    public JsonLinesSink(Path outputDirectory) {
        this.out = requireNonNull(outputDirectory, "outputDirectory is null");
    }

    /** The directory of a committed run. */
    public Path runDirectory(String instance, String runId) {
        return out.resolve(InstanceNames.check(instance)).resolve(runId);
    }

    @Override
    public SinkWriter open(RunInfo run) {
        Path instanceDir = out.resolve(InstanceNames.check(run.instance()));
        Path temp = instanceDir.resolve(".tmp-" + run.runId());
        try {
            SecureFiles.createDirectories(out, instanceDir);
            SecureFiles.deleteTree(temp);
            SecureFiles.createDirectories(out, temp);
        } catch (IOException e) {
            throw failure("create the run directory " + temp, e);
        }
        return new RunWriter(run, temp, instanceDir.resolve(run.runId()));
    }

    private static ConnectorException failure(String what, Exception e) {
        return new ConnectorException(ErrorKind.INTERNAL, "JSON Lines sink: cannot " + what + ": " + e,
                "Check the output directory's disk space and permissions", e);
    }

    /** One run's writer; single-threaded like the run that owns it. */
    private static final class RunWriter implements SinkWriter {
        private final RunInfo run;
        private final Path temp;
        private final Path target;
        private final Map<String, JsonGenerator> files = new LinkedHashMap<>();
        private boolean committed;
        private boolean aborted;

        RunWriter(RunInfo run, Path temp, Path target) {
            this.run = run;
            this.temp = temp;
            this.target = target;
        }

        @Override
        public void write(String stream, Map<String, Object> record) {
            requireOpen();
            try {
                // one pass straight to UTF-8 bytes: no String, no char encoding, no flush per record
                JsonGenerator g = file(stream);
                RECORD_WRITER.writeValue(g, record);
                g.writeRaw('\n');
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
                g = StateJson.COMPACT.getFactory().createGenerator(new BufferedOutputStream(
                        SecureFiles.newFile(temp.resolve(stream + ".jsonl")), 1 << 16), JsonEncoding.UTF8);
                // records are separated by the newline written after each, not by Jackson's space
                g.setRootValueSeparator(null);
                files.put(stream, g);
            }
            return g;
        }

        @Override
        public void commit(RunSummary summary) {
            requireOpen();
            try {
                for (String stream : summary.streams().keySet()) {
                    file(stream); // a stream that read nothing still gets its (empty) file
                }
                closeFiles();
                try (var o = SecureFiles.newFile(temp.resolve(SUMMARY_FILE))) {
                    o.write(StateJson.PRETTY.writeValueAsBytes(StateJson.run(summary)));
                }
                try (var list = Files.list(temp)) {
                    for (Path p : list.toList()) {
                        SecureFiles.fsync(p);
                    }
                }
                SecureFiles.move(temp, target);
                committed = true;
                LOG.debug("{}: published run {} at {}", run.instance(), run.runId(), target);
            } catch (IOException e) {
                abort();
                throw failure("publish run " + run.runId() + " to " + target, e);
            }
        }

        @Override
        public void abort() {
            if (committed || aborted) {
                return;
            }
            aborted = true;
            try {
                closeFiles();
            } catch (IOException e) {
                LOG.debug("{}: closing files of run {} failed: {}", run.instance(), run.runId(), e.toString());
            }
            try {
                SecureFiles.deleteTree(temp);
            } catch (IOException e) {
                LOG.warn("{}: could not delete the unpublished run directory {}: {}", run.instance(), temp,
                        e.toString());
            }
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
