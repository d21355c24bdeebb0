package org.connectorsdk.api.host;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What one run did with one stream.
 *
 * @param read               vendor records read
 * @param written            target records handed to the sink
 * @param rejected           records a transform map rejected
 * @param pages              pages fetched
 * @param rejectionExamples  the first few rejection reasons
 */
public record StreamStats(long read, long written, long rejected, long pages, List<String> rejectionExamples) {
    public StreamStats {
        rejectionExamples = List.copyOf(requireNonNull(rejectionExamples, "rejectionExamples is null"));
    }
}
