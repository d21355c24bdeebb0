package org.connectorsdk.runtime.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.ErrorInfo;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.ScheduleSpec.Recurrence;
import org.connectorsdk.api.host.ScheduleState.Retry;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retries of failed runs on a clock moved by hand: the scheduler is stepped directly, and the
 * test ends each run it starts with the outcome it chooses.
 */
class RunRetriesTest {
    private static final Instant T0 = Instant.parse("2026-05-25T16:00:00Z");
    private static final ScheduleSpec DAILY = ScheduleSpec.recurring(Recurrence.everyDays(1),
            LocalDateTime.ofInstant(T0, ZoneOffset.UTC), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final List<Instant> runs = new ArrayList<>();
    private final List<Set<String>> runStreams = new ArrayList<>();
    private Map<String, Optional<Duration>> intervals = Map.of();
    private StateStore store;
    private Scheduler scheduler;

    private void start(ScheduleSpec schedule) {
        store = FileStateStore.open(dir.resolve("state"));
        store.saveInstance(new InstanceRecord("xdr", "cortex-xdr", "", Map.of(), Optional.of(schedule),
                ConnectorState.REGISTERED, T0));
        scheduler = new Scheduler(store, clock, Duration.ZERO, name -> intervals, (name, streams) -> {
            runs.add(clock.instant());
            runStreams.add(streams);
        });
        scheduler.start(false);
    }

    private static RunSummary ended(ConnectorState state, Optional<ErrorKind> kind) {
        return new RunSummary("r", "xdr", "cortex-xdr", state, T0, T0, Map.of(), Map.of(),
                kind.map(k -> new ErrorInfo(k, "failed with " + k, Optional.empty())));
    }

    private static RunSummary failed(ErrorKind kind) {
        return ended(ConnectorState.ERRORED, Optional.of(kind));
    }

    /** Steps every minute up to (excluding) {@code until}, ending every run started with {@code outcome}. */
    private void stepEveryMinute(Instant until, RunSummary outcome) {
        while (clock.instant().isBefore(until)) {
            int before = runs.size();
            scheduler.runDue(clock.instant());
            if (runs.size() > before) {
                scheduler.runEnded("xdr", outcome);
            }
            clock.set(clock.instant().plus(Duration.ofMinutes(1)));
        }
    }

    private Optional<Retry> savedRetry() {
        return store.scheduleState("xdr").orElseThrow().retry();
    }

    private static Instant minutes(long m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    @Test
    void aTransientFailureIsRetriedAfterOneTwoAndFourMinutesThenWaitsForTheNextOccurrence() {
        start(DAILY);

        stepEveryMinute(minutes(1), failed(ErrorKind.TRANSIENT));
        assertThat(savedRetry()).contains(new Retry(1, 3, minutes(1), ErrorKind.TRANSIENT));
        assertThat(store.scheduleState("xdr").orElseThrow().nextRun()).contains(minutes(1));

        stepEveryMinute(minutes(60), failed(ErrorKind.TRANSIENT));

        assertThat(runs).containsExactly(T0, minutes(1), minutes(3), minutes(7));
        assertThat(savedRetry()).isEmpty();
        assertThat(scheduler.nextRun("xdr")).contains(T0.plus(Duration.ofDays(1)));
    }

    @Test
    void rateLimitsAndUnreachableHostsAreRetriedToo() {
        start(DAILY);

        stepEveryMinute(minutes(1), failed(ErrorKind.RATE_LIMITED));
        assertThat(savedRetry()).hasValueSatisfying(r -> assertThat(r.describe())
                .isEqualTo("retry 1 of 3 at 2026-05-25T16:01:00Z after RATE_LIMITED"));
        stepEveryMinute(minutes(2), failed(ErrorKind.UNREACHABLE));
        assertThat(savedRetry()).contains(new Retry(2, 3, minutes(3), ErrorKind.UNREACHABLE));
    }

    @ParameterizedTest
    @EnumSource(value = ErrorKind.class, names = {"AUTHENTICATION", "AUTHORIZATION", "LICENSE", "BAD_REQUEST",
        "CONFIGURATION", "BAD_RESPONSE", "INTERNAL"})
    void failuresARetryCannotHelpAreNotRetried(ErrorKind kind) {
        start(DAILY);

        stepEveryMinute(minutes(60), failed(kind));

        assertThat(runs).containsExactly(T0);
        assertThat(savedRetry()).isEmpty();
        assertThat(scheduler.nextRun("xdr")).contains(T0.plus(Duration.ofDays(1)));
    }

    @Test
    void aRetryThatSucceedsEndsTheRetriesAndTheNextFailureStartsCountingAgain() {
        start(DAILY);
        stepEveryMinute(minutes(1), failed(ErrorKind.TRANSIENT));

        stepEveryMinute(minutes(2), ended(ConnectorState.PROCESSED, Optional.empty()));
        assertThat(savedRetry()).isEmpty();
        assertThat(runs).containsExactly(T0, minutes(1));

        clock.set(T0.plus(Duration.ofDays(1)));
        stepEveryMinute(T0.plus(Duration.ofDays(1)).plusSeconds(60), failed(ErrorKind.TRANSIENT));
        assertThat(savedRetry()).contains(new Retry(1, 3, T0.plus(Duration.ofDays(1)).plusSeconds(60),
                ErrorKind.TRANSIENT));
    }

    @Test
    void aSingleOccurrenceThatFailedIsRetried() {
        start(ScheduleSpec.once(LocalDateTime.ofInstant(T0, ZoneOffset.UTC), ZoneOffset.UTC));

        stepEveryMinute(minutes(30), failed(ErrorKind.TRANSIENT));

        assertThat(runs).containsExactly(T0, minutes(1), minutes(3), minutes(7));
        assertThat(scheduler.nextRun("xdr")).isEmpty();
    }

    @Test
    void perStreamOnlyTheFailedStreamsAreRetriedAndOnlyBeforeTheirNextPoll() {
        intervals = new LinkedHashMap<>(Map.of("assets", Optional.of(Duration.ofDays(1)),
                "incidents", Optional.of(Duration.ofMinutes(5))));
        start(DAILY);
        // the first run (every stream) succeeds; the incident poll at 5 minutes fails
        stepEveryMinute(minutes(5), ended(ConnectorState.PROCESSED, Optional.empty()));

        stepEveryMinute(minutes(10), failed(ErrorKind.TRANSIENT));

        // retries at 6 and 8; a third at 12 would come after the poll at 10, which serves instead
        assertThat(runs).containsExactly(T0, minutes(5), minutes(6), minutes(8));
        assertThat(runStreams.subList(1, 4)).containsOnly(Set.of("incidents"));
        assertThat(store.scheduleState("xdr").orElseThrow().streamNextRuns())
                .containsEntry("incidents", minutes(10)).containsEntry("assets", T0.plus(Duration.ofDays(1)));
    }

    @Test
    void aPendingRetrySurvivesARestart() {
        start(DAILY);
        stepEveryMinute(minutes(1), failed(ErrorKind.TRANSIENT));
        scheduler.stop();

        runs.clear();
        scheduler = new Scheduler(FileStateStore.open(dir.resolve("state")), clock, Duration.ZERO,
                name -> intervals, (name, streams) -> runs.add(clock.instant()));
        scheduler.start(false);
        stepEveryMinute(minutes(3), failed(ErrorKind.TRANSIENT));

        assertThat(runs).containsExactly(minutes(1));
        assertThat(savedRetry()).contains(new Retry(2, 3, minutes(3), ErrorKind.TRANSIENT));
    }
}
