package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The frozen window of a read, {@code [from, to)}: fixed by the runtime when the run starts,
 * before any stream is read, and unchanged for the whole pagination. The reader must return
 * exactly the records whose cursor value lies in it: the runtime saves {@code to} as the stream's
 * next watermark, so a record after {@code to} that the reader returns is delivered again by the
 * next run's overlap, and one before {@code from} that it skips is lost.
 *
 * @param from inclusive lower bound: the watermark less the overlap for a delta read, the epoch
 *             for a full read
 * @param to   exclusive upper bound: the vendor's now (as the run saw it at start) less the settle
 *             time
 */
public record TimeWindow(Instant from, Instant to) {
    public TimeWindow {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("Time window ends before it starts: [" + from + ", " + to + ")");
        }
    }

    /** Whether {@code t} lies in {@code [from, to)}. */
    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }
}
