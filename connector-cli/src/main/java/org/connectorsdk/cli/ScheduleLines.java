package org.connectorsdk.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.connectorsdk.api.host.ScheduleState;

/**
 * What a saved schedule state says beyond the next run, in the words {@code run} and
 * {@code status} print: when each stream polled on its own interval runs next, so "every
 * minute" never silently means "assets once a day", and a pending retry of a failed run.
 */
final class ScheduleLines {
    private ScheduleLines() {
    }

    /** e.g. "assets 2026-05-26T16:00:00Z, incidents 2026-05-25T16:05:00Z"; empty when it runs as a whole. */
    static Optional<String> streams(ScheduleState state) {
        if (state.streamNextRuns().isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        state.streamNextRuns().forEach((stream, at) -> parts.add(stream + " " + seconds(at)));
        return Optional.of(String.join(", ", parts));
    }

    /** e.g. "retry 1 of 3 at 2026-05-25T16:01:00Z after TRANSIENT"; empty when none is pending. */
    static Optional<String> retry(ScheduleState state) {
        return state.retry().map(ScheduleState.Retry::describe);
    }

    private static Instant seconds(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS);
    }
}
