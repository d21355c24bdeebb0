package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The frozen window of a read, {@code [from, to)}: fixed by the runtime when the run starts,
 * before any stream is read, and unchanged for the whole pagination (resumed pages included).
 *
 * <p>The reader asks its source for the records whose cursor value lies in it and must return at
 * least all of them; the runtime does not filter to the window. It saves {@code to} as the
 * stream's next watermark when the sink commits the run, and keeps the key and cursor value of
 * every record version from {@code to - overlap} on, so the next run, whose window starts there,
 * drops what it already delivered: a record past {@code to} is delivered once, one before
 * {@code from} that the reader skips is lost.
 *
 * @param from inclusive lower bound: the committed watermark less the overlap for a delta read,
 *             the epoch for a full read
 * @param to   exclusive upper bound: the run's start on the runtime's clock (never the vendor's)
 *             less the settle time, and never before the previous watermark
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
