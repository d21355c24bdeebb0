package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The frozen window of an incremental read, {@code [from, to)}: fixed by the runtime before the
 * first page and unchanged for the whole pagination, so records that change while a run pages
 * are read by the next run instead of shifting pages under this one.
 *
 * <p>{@code from} is the stream's watermark less the overlap; {@code to} is the runtime's clock
 * at the start of the run less the settle time, and becomes the watermark once the sink has
 * committed the run (a failed run leaves the watermark where it was, so the same window is read
 * again). The overlap and settle default to 5 minutes and 1 minute; the embedding
 * platform sets them for its runtime ({@code ConnectorRuntime.Builder.deltaWindow}).
 *
 * <p>The reader asks the vendor for records whose cursor field lies in the window (most APIs
 * take only a lower bound, e.g. {@code updated_since=from}); the runtime does not filter records
 * to the window, and a record at or after {@code to} is simply read again by the next run.
 *
 * @param from inclusive lower bound (the watermark less the overlap)
 * @param to   exclusive upper bound (the run's start less the settle time)
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
