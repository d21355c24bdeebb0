package org.connectorsdk.runtime.internal.sync;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

import org.connectorsdk.api.DeltaWindow;

/**
 * The runtime's safety and delta-read settings for every run.
 *
 * @param maxPagesPerStream the most pages one stream partition may take before the run fails
 * @param deltaWindow       the overlap and settle of every delta read, overriding what each stream
 *                          declares; empty for the streams' own (an instance's own wins over both)
 * @param resumeWithin      how old (since it was planned) an unpublished run a resumable sink kept
 *                          may be for the instance's next run to resume it; older ones are discarded
 */
public record RunPolicy(int maxPagesPerStream, Optional<DeltaWindow> deltaWindow, Duration resumeWithin) {
    /** How old an unpublished run may be to be resumed, unless the builder says otherwise. */
    public static final Duration DEFAULT_RESUME_WITHIN = Duration.ofHours(24);

    public static final RunPolicy DEFAULT = new RunPolicy(100_000, Optional.empty());

    /** A policy resuming runs up to {@link #DEFAULT_RESUME_WITHIN} old. */
    public RunPolicy(int maxPagesPerStream, Optional<DeltaWindow> deltaWindow) {
        this(maxPagesPerStream, deltaWindow, DEFAULT_RESUME_WITHIN);
    }

    public RunPolicy {
        if (maxPagesPerStream < 1) {
            throw new IllegalArgumentException("maxPagesPerStream must be at least 1, got " + maxPagesPerStream);
        }
        requireNonNull(deltaWindow, "deltaWindow is null");
        requireNonNull(resumeWithin, "resumeWithin is null");
        if (resumeWithin.isNegative()) {
            throw new IllegalArgumentException("resumeWithin must not be negative, got " + resumeWithin);
        }
    }
}
