package org.connectorsdk.runtime.internal.sync;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

import org.connectorsdk.api.DeltaWindow;

/**
 * The runtime's safety and delta-read settings for every run.
 *
 * @param maxPagesPerStream the most pages one stream partition may take before the run fails
 * @param deltaWindow       the overlap and settle of every delta read, overriding what each stream
 *                          declares; empty for the streams' own (an instance's own wins over both)
 */
public record RunPolicy(int maxPagesPerStream, Optional<DeltaWindow> deltaWindow) {
    public static final RunPolicy DEFAULT = new RunPolicy(100_000, Optional.empty());

    public RunPolicy {
        if (maxPagesPerStream < 1) {
            throw new IllegalArgumentException("maxPagesPerStream must be at least 1, got " + maxPagesPerStream);
        }
        requireNonNull(deltaWindow, "deltaWindow is null");
    }
}
