package org.connectorsdk.api.host;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.ErrorKind;

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
 * @param retry    the retry of a run that failed with a transient error, when one is pending;
 *                 {@code nextRun} (and the failed streams' due times) are no later than it
 */
public record ScheduleState(ScheduleSpec schedule, Optional<Instant> nextRun, Optional<Instant> lastRun,
        Map<String, Instant> streamNextRuns, Optional<Retry> retry) {
    public ScheduleState {
        requireNonNull(schedule, "schedule is null");
        requireNonNull(nextRun, "nextRun is null");
        requireNonNull(lastRun, "lastRun is null");
        streamNextRuns = Collections.unmodifiableMap(new LinkedHashMap<>(
                requireNonNull(streamNextRuns, "streamNextRuns is null")));
        requireNonNull(retry, "retry is null");
    }

    /** A state without a pending retry. */
    public ScheduleState(ScheduleSpec schedule, Optional<Instant> nextRun, Optional<Instant> lastRun,
            Map<String, Instant> streamNextRuns) {
        this(schedule, nextRun, lastRun, streamNextRuns, Optional.empty());
    }

    /**
     * A retry the scheduler has planned for a run that ended ERRORED with a transient kind.
     *
     * @param attempt  which retry this is, from 1
     * @param of       how many retries are allowed in a row
     * @param at       when it runs
     * @param cause    the kind of error the failed run ended with
     */
    public record Retry(int attempt, int of, Instant at, ErrorKind cause) {
        public Retry {
            if (attempt < 1 || attempt > of) {
                throw new IllegalArgumentException("Retry attempt " + attempt + " is not within 1.." + of);
            }
            requireNonNull(at, "at is null");
            requireNonNull(cause, "cause is null");
        }

        /** e.g. "retry 1 of 3 at 2026-05-25T16:01:00Z after TRANSIENT". */
        public String describe() {
            return "retry " + attempt + " of " + of + " at " + at + " after " + cause;
        }
    }

    /** The state of an instance that runs as a whole, without per-stream due times. */
    public ScheduleState(ScheduleSpec schedule, Optional<Instant> nextRun, Optional<Instant> lastRun) {
        this(schedule, nextRun, lastRun, Map.of());
    }
}
