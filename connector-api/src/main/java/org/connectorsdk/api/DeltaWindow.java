package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a delta read of a time-tracked stream frames its window {@code [watermark - overlap,
 * vendor now - settle)}.
 *
 * @param overlap how far before the committed watermark the next read starts again, for records
 *                the source makes visible late (records seen again there are de-duplicated
 *                exactly by the runtime)
 * @param settle  how far before now a window ends, so records still being written are read
 *                whole by the next run; also the clock skew the runtime tolerates silently
 */
public record DeltaWindow(Duration overlap, Duration settle) {
    /** Five minutes of overlap, one minute of settle. */
    public static final DeltaWindow DEFAULT = new DeltaWindow(Duration.ofMinutes(5), Duration.ofMinutes(1));

    public DeltaWindow {
        requireNonNull(overlap, "overlap is null");
        requireNonNull(settle, "settle is null");
        if (overlap.isNegative() || settle.isNegative()) {
            throw new IllegalArgumentException("deltaWindow: overlap and settle must not be negative, got overlap "
                    + overlap + " and settle " + settle + " (use Duration.ZERO for none)");
        }
    }
}
