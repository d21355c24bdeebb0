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
 * before each run {@link #lastCommit} (and {@link #partialRun} when the sink is {@link #resumable}),
 * then {@link #open} or {@link #resume}, the writes (and positions), and the commit or abort.
 *
 * <p>Resume: a sink that is {@link #resumable} keeps a run's records with the position the
 * runtime saves after each page ({@link SinkWriter#savePosition}). When the process dies
 * mid-run, the next run of the instance gets that run back from {@link #partialRun} and, when it
 * is young enough and was planned for the same config, continues it through {@link #resume}
 * instead of starting again; otherwise it calls {@link #open}, which discards it.
 */
public interface RecordSink {
    /**
     * Opens a transactional writer for one run. Any unpublished run of the same instance (see
     * {@link #partialRun}) is discarded.
     */
    SinkWriter open(RunInfo run);

    /**
     * Whether this sink keeps an unpublished run's records with the position last saved with
     * them, so that a run that died can be resumed. False by default: a run that dies starts
     * again from the committed cursors, and the runtime saves no positions.
     *
     * @since 1.2
     */
    default boolean resumable() {
        return false;
    }

    /**
     * The instance's unpublished run as its last {@link SinkWriter#savePosition} left it; empty
     * when there is none, when no position was saved, or when the sink is not resumable.
     *
     * @since 1.2
     */
    default Optional<PartialRun> partialRun(String instance) {
        return Optional.empty();
    }

    /**
     * Continues {@code partial}, the instance's run from {@link #partialRun}, as {@code run}: a
     * new run id with the same start and the same streams, modes and windows. The records it
     * holds are those written before its position was saved (any written after are dropped), the
     * writer appends to them, and the commit publishes them all as {@code run}.
     *
     * @throws UnsupportedOperationException when the sink is not {@link #resumable} (the default)
     * @since 1.2
     */
    default SinkWriter resume(PartialRun partial, RunInfo run) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot resume run "
                + partial.run().runId() + ": it is not resumable");
    }

    /**
     * The instance's last committed run, with the cursors it committed; empty when the sink keeps
     * no cursors (then delivery is at-least-once) or the instance never committed.
     */
    default Optional<RunCommit> lastCommit(String instance) {
        return Optional.empty();
    }
}
