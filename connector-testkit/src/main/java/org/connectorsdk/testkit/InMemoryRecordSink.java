package org.connectorsdk.testkit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.host.PartialRun;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;

/**
 * A {@link RecordSink} that keeps committed runs in memory, for tests of a connector or of an
 * embedding. Like a real transactional sink, a run's records become visible only when it
 * commits, together with its cursors ({@link #lastCommit}); an aborted run leaves nothing but a
 * count. It is resumable: a writer neither committed nor aborted (its run's process "died"), or
 * suspended, is kept with the last position saved, and the instance's next run may continue it
 * ({@link #partialRun}, {@link #resume}) with the records written before that position.
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
    /** By instance: the writer of the run that saved a position last and has not ended. */
    private final Map<String, Writer> partial = new LinkedHashMap<>();
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
        Writer discarded = partial.remove(run.instance());
        if (discarded != null) {
            discarded.done = true;
            open--;
        }
        return new Writer(run, Map.of());
    }

    /** True: see the class comment. */
    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public synchronized Optional<PartialRun> partialRun(String instance) {
        Writer w = partial.get(instance);
        return w == null ? Optional.empty() : Optional.of(new PartialRun(w.run, w.position));
    }

    @Override
    public synchronized SinkWriter resume(PartialRun partialRun, RunInfo run) {
        Writer previous = partial.remove(run.instance());
        if (previous == null || !previous.run.runId().equals(partialRun.run().runId())) {
            throw new IllegalStateException("Run " + partialRun.run().runId() + " of " + run.instance()
                    + " is not the instance's partial run");
        }
        previous.done = true;
        Map<String, List<Map<String, Object>>> kept = new LinkedHashMap<>();
        previous.saved.forEach((stream, n) -> kept.put(stream, previous.records.get(stream).subList(0, n)));
        return new Writer(run, kept);
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
        /** The record count of each stream when the last position was saved. */
        private final Map<String, Integer> saved = new LinkedHashMap<>();
        private Checkpoint position = Checkpoint.START;
        private boolean done;

        Writer(RunInfo run, Map<String, List<Map<String, Object>>> resumed) {
            this.run = run;
            resumed.forEach((stream, r) -> records.put(stream, new ArrayList<>(r)));
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
        public void savePosition(Checkpoint position) {
            requireNonNull(position, "position is null");
            synchronized (InMemoryRecordSink.this) {
                requireOpen();
                this.position = position;
                saved.clear();
                records.forEach((stream, r) -> saved.put(stream, r.size()));
                partial.put(run.instance(), this);
            }
        }

        @Override
        public void commit(RunCommit commit) {
            requireNonNull(commit, "commit is null");
            synchronized (InMemoryRecordSink.this) {
                requireOpen();
                partial.remove(run.instance(), this);
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
                    partial.remove(run.instance(), this);
                    aborted++;
                    open--;
                    records.clear();
                }
            }
        }

        /** Ends the writer as a crash would: kept with its last position when one was saved. */
        @Override
        public void suspend() {
            synchronized (InMemoryRecordSink.this) {
                if (!done) {
                    done = true;
                    open--;
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
