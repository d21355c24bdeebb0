package org.connectorsdk.api.host;

import java.util.Optional;

/**
 * Where target records go: the platform's store. Each run writes through its own
 * {@link SinkWriter}.
 *
 * <p>The delivery contract: a sink whose {@link SinkWriter#commit} is atomic and which answers
 * {@link #lastCommit} gets every record version exactly once, whatever crashes, restarts, clock
 * steps or config changes happen, because the runtime plans every run from the cursors of the
 * last commit. A sink that keeps no cursors (the default {@link #lastCommit}) gets each record
 * version at least once: the runtime falls back on the {@link StateStore}'s copy of the cursors,
 * saved after the commit, and a crash between the two delivers the run's window again; the
 * identity in {@code _meta} (see {@link SinkWriter}) tells the copies apart.
 *
 * <p>Threading: {@link #open} and {@link #lastCommit} are called from several runs' threads at
 * once (one run per instance at a time). For one instance the calls are ordered: at startup and
 * before each run {@link #lastCommit}, then {@link #open}, the writes, and the commit or abort.
 */
public interface RecordSink {
    /** Opens a transactional writer for one run. */
    SinkWriter open(RunInfo run);

    /**
     * The instance's last committed run, with the cursors it committed; empty when the sink keeps
     * no cursors (then delivery is at-least-once) or the instance never committed.
     */
    default Optional<RunCommit> lastCommit(String instance) {
        return Optional.empty();
    }
}
