package org.connectorsdk.api.host;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What one run did with one stream.
 *
 * @param read               vendor records read
 * @param written            target records handed to the sink
 * @param rejected           records a transform map rejected
 * @param pages              pages fetched
 * @param rejectionExamples  the first few rejection reasons
 * @param changes            what the commit changed in the sink, when the sink counts it
 *                           ({@link SinkWriter#changes})
 */
public record StreamStats(long read, long written, long rejected, long pages, List<String> rejectionExamples,
        Optional<StreamChanges> changes) {
    public StreamStats {
        rejectionExamples = List.copyOf(requireNonNull(rejectionExamples, "rejectionExamples is null"));
        requireNonNull(changes, "changes is null");
    }

    /** Figures of a run whose sink does not count changes. */
    public StreamStats(long read, long written, long rejected, long pages, List<String> rejectionExamples) {
        this(read, written, rejected, pages, rejectionExamples, Optional.empty());
    }

    /**
     * These figures with the sink's change counts.
     *
     * @since 1.1
     */
    public StreamStats withChanges(StreamChanges counted) {
        return new StreamStats(read, written, rejected, pages, rejectionExamples, Optional.of(counted));
    }
}
