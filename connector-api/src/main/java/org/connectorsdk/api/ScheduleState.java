package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
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
 */
public record ScheduleState(ScheduleSpec schedule, Optional<Instant> nextRun, Optional<Instant> lastRun) {
    public ScheduleState {
        requireNonNull(schedule, "schedule is null");
        requireNonNull(nextRun, "nextRun is null");
        requireNonNull(lastRun, "lastRun is null");
    }
}
