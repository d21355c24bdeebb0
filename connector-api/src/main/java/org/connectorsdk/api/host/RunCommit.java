package org.connectorsdk.api.host;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.connectorsdk.api.Checkpoint;

/**
 * What a run commits, in one step, with the records written before it.
 *
 * @param summary           the run's summary ({@link ConnectorState#PROCESSED})
 * @param cursors           the new cursor of every time-tracked stream the run read, by stream:
 *                          opaque values the sink stores beside the records and hands back from
 *                          {@link RecordSink#lastCommit}
 * @param completeSnapshots the streams read in full to the end, without a time window (a stream
 *                          with no cursor) and with a selection that leaves nothing of the source
 *                          out: a record of the instance and stream that the sink holds but this
 *                          run did not write is gone from the source
 */
public record RunCommit(RunSummary summary, Map<String, Checkpoint> cursors, Set<String> completeSnapshots) {
    public RunCommit {
        requireNonNull(summary, "summary is null");
        cursors = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(cursors, "cursors is null")));
        completeSnapshots = Set.copyOf(requireNonNull(completeSnapshots, "completeSnapshots is null"));
    }
}
