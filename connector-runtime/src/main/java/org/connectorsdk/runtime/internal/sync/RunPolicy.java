package org.connectorsdk.runtime.internal.sync;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

import org.connectorsdk.api.DeltaWindow;

/**
 * The runtime's safety and delta-read settings for a run: the bounds that end a read that does
 * not end by itself, and the frame of delta reads.
 *
 * @param maxPagesPerStream the most pages one stream may take before the run fails
 * @param maxStreamDuration the longest one stream may keep reading before the run fails
 * @param runDeadline       how long the whole run may take before it is stopped; empty for no limit
 *                          (an instance's {@code runDeadline})
 * @param deltaWindow       the overlap and settle of every delta read, overriding what each stream
 *                          declares; empty for the streams' own (an instance's own wins over both)
 * @param resumeWithin      how old (since it was planned) an unpublished run a resumable sink kept
 *                          may be for the instance's next run to resume it; older ones are discarded
 */
public record RunPolicy(int maxPagesPerStream, Duration maxStreamDuration, Optional<Duration> runDeadline,
        Optional<DeltaWindow> deltaWindow, Duration resumeWithin) {
    /** How old an unpublished run may be to be resumed, unless the builder says otherwise. */
    public static final Duration DEFAULT_RESUME_WITHIN = Duration.ofHours(24);

    /**
     * 100,000 pages (10 million records in pages of 100) and 12 hours per stream; no run
     * deadline; runs resumed up to {@link #DEFAULT_RESUME_WITHIN} old.
     */
    public static final RunPolicy DEFAULT = new RunPolicy(100_000, Duration.ofHours(12), Optional.empty(),
            Optional.empty(), DEFAULT_RESUME_WITHIN);

    public RunPolicy {
        if (maxPagesPerStream < 1) {
            throw new IllegalArgumentException("maxPagesPerStream must be at least 1, got " + maxPagesPerStream);
        }
        requireNonNull(maxStreamDuration, "maxStreamDuration is null");
        if (maxStreamDuration.isNegative() || maxStreamDuration.isZero()) {
            throw new IllegalArgumentException("maxStreamDuration must be positive, got " + maxStreamDuration);
        }
        requireNonNull(runDeadline, "runDeadline is null");
        runDeadline.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("runDeadline must be positive, got " + d);
            }
        });
        requireNonNull(deltaWindow, "deltaWindow is null");
        requireNonNull(resumeWithin, "resumeWithin is null");
        if (resumeWithin.isNegative()) {
            throw new IllegalArgumentException("resumeWithin must not be negative, got " + resumeWithin);
        }
    }

    public RunPolicy withMaxPagesPerStream(int pages) {
        return new RunPolicy(pages, maxStreamDuration, runDeadline, deltaWindow, resumeWithin);
    }

    public RunPolicy withMaxStreamDuration(Duration duration) {
        return new RunPolicy(maxPagesPerStream, duration, runDeadline, deltaWindow, resumeWithin);
    }

    /** This policy with an instance's run deadline, when it has one. */
    public RunPolicy withRunDeadline(Optional<Duration> deadline) {
        return new RunPolicy(maxPagesPerStream, maxStreamDuration, deadline, deltaWindow, resumeWithin);
    }

    public RunPolicy withDeltaWindow(Optional<DeltaWindow> window) {
        return new RunPolicy(maxPagesPerStream, maxStreamDuration, runDeadline, window, resumeWithin);
    }

    public RunPolicy withResumeWithin(Duration age) {
        return new RunPolicy(maxPagesPerStream, maxStreamDuration, runDeadline, deltaWindow, age);
    }
}
