package org.connectorsdk.api.host;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where an instance's schedule stands, kept in the {@link StateStore} so a restarted runtime
 * neither repeats a single occurrence it already ran nor replays every recurrence it missed.
 *
 * @param schedule the schedule this state was computed for; when the instance's schedule
 *                 changes, the state no longer applies and the runtime starts afresh
 * @param nextRun  when the next run is due (jitter included); empty when no run is left, as
 *                 after a single occurrence that ran. A due time in the past means a run is
 *                 owed: it was missed or did not finish
 * @param lastRun  when the scheduler last started a run of the instance, if ever
 * @param streamNextRuns when each stream polled on its own interval is next due; empty when
 *                 the instance runs as a whole (a single occurrence, or streams without an
 *                 interval). State saved before per-stream polling existed has none
 */
public record ScheduleState(ScheduleSpec schedule, Optional<Instant> nextRun, Optional<Instant> lastRun,
        Map<String, Instant> streamNextRuns) {
    public ScheduleState {
        requireNonNull(schedule, "schedule is null");
        requireNonNull(nextRun, "nextRun is null");
        requireNonNull(lastRun, "lastRun is null");
        streamNextRuns = Collections.unmodifiableMap(new LinkedHashMap<>(
                requireNonNull(streamNextRuns, "streamNextRuns is null")));
    }

    /** The state of an instance that runs as a whole, without per-stream due times. */
    public ScheduleState(ScheduleSpec schedule, Optional<Instant> nextRun, Optional<Instant> lastRun) {
        this(schedule, nextRun, lastRun, Map.of());
    }
}
