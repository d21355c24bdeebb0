package org.connectorsdk.runtime.internal.sync;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The runtime's safety and delta-read settings for every run.
 *
 * @param maxPagesPerStream the most pages one stream partition may take before the run fails
 * @param overlap           how far before the watermark a delta read starts again, for records
 *                          the source indexed late
 * @param settle            how far before now a read window ends, so records still being written
 *                          are read by the next run rather than half-read by this one
 */
public record RunPolicy(int maxPagesPerStream, Duration overlap, Duration settle) {
    public static final RunPolicy DEFAULT = new RunPolicy(100_000, Duration.ofMinutes(5), Duration.ofMinutes(1));

    public RunPolicy {
        if (maxPagesPerStream < 1) {
            throw new IllegalArgumentException("maxPagesPerStream must be at least 1, got " + maxPagesPerStream);
        }
        requireNonNull(overlap, "overlap is null");
        requireNonNull(settle, "settle is null");
        if (overlap.isNegative() || settle.isNegative()) {
            throw new IllegalArgumentException("deltaWindow: overlap and settle must not be negative, got overlap "
                    + overlap + " and settle " + settle + " (use Duration.ZERO for none)");
        }
    }
}
