package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The frozen window of an incremental read, {@code [from, to)}: fixed by the runtime before the
 * first page and unchanged for the whole pagination.
 *
 * @param from inclusive lower bound (the watermark less the overlap)
 * @param to   exclusive upper bound (now less the settle time)
 */
public record TimeWindow(Instant from, Instant to) {
    public TimeWindow {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("Time window ends before it starts: [" + from + ", " + to + ")");
        }
    }

    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }
}
