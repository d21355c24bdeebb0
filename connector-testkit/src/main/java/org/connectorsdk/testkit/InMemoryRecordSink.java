package org.connectorsdk.testkit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;

/**
 * A {@link RecordSink} that keeps committed runs in memory, for tests of a connector or of an
 * embedding. Like a real transactional sink, a run's records become visible only when it
 * commits, together with its cursors ({@link #lastCommit}); an aborted run leaves nothing but a
 * count.
 *
 * <pre>{@code
 * InMemoryRecordSink sink = new InMemoryRecordSink();
 * ConnectorRuntime runtime = ConnectorRuntime.builder().sink(sink).stateStore(new InMemoryStateStore()).build();
 * ...
 * assertThat(sink.lastRun("tenant-eu").orElseThrow().records("assets")).hasSize(2500);
 * }</pre>
 *
 * <p>Thread-safe. Every record of a run is held in memory, so keep test tenants small.
 */
public final class InMemoryRecordSink implements RecordSink {
    private final List<CommittedRun> committed = new ArrayList<>();
    private int aborted;
    private int open;

    /**
     * One published run.
     *
     * @param run     which run, with how it read each stream
     * @param commit  what it committed: summary, cursors, complete snapshots
     * @param records its records by stream, in write order
     */
    public record CommittedRun(RunInfo run, RunCommit commit, Map<String, List<Map<String, Object>>> records) {
        public CommittedRun {
            requireNonNull(run, "run is null");
            requireNonNull(commit, "commit is null");
            Map<String, List<Map<String, Object>>> copy = new LinkedHashMap<>();
            records.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            records = Collections.unmodifiableMap(copy);
        }

        /** The summary the run committed with. */
        public RunSummary summary() {
            return commit.summary();
        }

        /** The records of {@code stream}; empty when it wrote none. */
        public List<Map<String, Object>> records(String stream) {
            return records.getOrDefault(stream, List.of());
        }
    }

    @Override
    public synchronized SinkWriter open(RunInfo run) {
        requireNonNull(run, "run is null");
        open++;
        return new Writer(run);
    }

    /** Every committed run, oldest first. */
    public synchronized List<CommittedRun> committedRuns() {
        return List.copyOf(committed);
    }

    /** The latest committed run of {@code instance}. */
    public synchronized Optional<CommittedRun> lastRun(String instance) {
        for (int i = committed.size() - 1; i >= 0; i--) {
            if (committed.get(i).run().instance().equals(instance)) {
                return Optional.of(committed.get(i));
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<RunCommit> lastCommit(String instance) {
        return lastRun(instance).map(CommittedRun::commit);
    }

    /** How many runs were aborted (or closed without a commit). */
    public synchronized int abortedRuns() {
        return aborted;
    }

    /** How many writers are neither committed nor aborted. */
    public synchronized int openWriters() {
        return open;
    }

    private final class Writer implements SinkWriter {
        private final RunInfo run;
        private final Map<String, List<Map<String, Object>>> records = new LinkedHashMap<>();
        private boolean done;

        Writer(RunInfo run) {
            this.run = run;
        }

        @Override
        public void write(String stream, Map<String, Object> record) {
            requireNonNull(stream, "stream is null");
            requireNonNull(record, "record is null");
            synchronized (InMemoryRecordSink.this) {
                requireOpen();
                records.computeIfAbsent(stream, s -> new ArrayList<>()).add(record);
            }
        }

        @Override
        public void commit(RunCommit commit) {
            requireNonNull(commit, "commit is null");
            synchronized (InMemoryRecordSink.this) {
                requireOpen();
                Map<String, List<Map<String, Object>>> all = new LinkedHashMap<>();
                commit.summary().streams().keySet().forEach(s -> all.put(s, List.of()));
                all.putAll(records);
                committed.add(new CommittedRun(run, commit, all));
                done = true;
                open--;
            }
        }

        @Override
        public void abort() {
            synchronized (InMemoryRecordSink.this) {
                if (!done) {
                    done = true;
                    aborted++;
                    open--;
                    records.clear();
                }
            }
        }

        @Override
        public void close() {
            abort();
        }

        private void requireOpen() {
            if (done) {
                throw new IllegalStateException("The writer of run " + run.runId() + " of " + run.instance()
                        + " is already committed or aborted");
            }
        }
    }
}
