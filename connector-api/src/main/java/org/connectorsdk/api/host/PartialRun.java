package org.connectorsdk.api.host;

import static java.util.Objects.requireNonNull;

import org.connectorsdk.api.Checkpoint;

/**
 * An unpublished run a resumable sink kept after its process died: the run as it was opened and
 * the position saved last with its records ({@link SinkWriter#savePosition}).
 *
 * @param run      the run as {@link RecordSink#open} received it: its id, start and every stream's
 *                 mode and window
 * @param position the runtime's own values, stored by the sink as they were given
 * @since 1.2
 */
public record PartialRun(RunInfo run, Checkpoint position) {
    public PartialRun {
        requireNonNull(run, "run is null");
        requireNonNull(position, "position is null");
    }
}
