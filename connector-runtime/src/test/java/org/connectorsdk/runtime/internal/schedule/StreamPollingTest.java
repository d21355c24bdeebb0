package org.connectorsdk.runtime.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.ScheduleSpec.Recurrence;
import org.connectorsdk.api.host.ScheduleState;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-stream polling on a clock moved by hand: the scheduler is stepped directly and its runs
 * are recorded (and ended) by the test, so only the planning is under test.
 */
class StreamPollingTest {
    private static final Instant T0 = Instant.parse("2026-05-25T16:00:00Z");
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ScheduleSpec DAILY = ScheduleSpec.recurring(Recurrence.everyDays(1),
            LocalDateTime.ofInstant(T0, UTC), UTC);

    @TempDir
    Path dir;

    /** The Cortex XDR defaults: assets daily, incidents every 5 minutes, alerts every 10. */
    private final Map<String, Optional<Duration>> intervals = new LinkedHashMap<>(Map.of(
            "assets", Optional.of(Duration.ofDays(1)),
            "incidents", Optional.of(Duration.ofMinutes(5)),
            "alerts", Optional.of(Duration.ofMinutes(10))));
    /** The runs started, in order, as (due step, streams). */
    private final List<Run> runs = new ArrayList<>();
    private final MutableClock clock = new MutableClock(T0);
    /** Whether started runs end at once (after the step); false leaves them in progress. */
    private boolean endRuns = true;
    private StateStore store;

    record Run(Instant at, Set<String> streams) {
    }

    private Scheduler scheduler() {
        return new Scheduler(store, clock, Duration.ZERO, name -> intervals,
                (name, streams) -> runs.add(new Run(clock.instant(), streams)));
    }

    private Scheduler startWith(ScheduleSpec schedule) {
        store = FileStateStore.open(dir.resolve("state"));
        store.saveInstance(new InstanceRecord("xdr", "cortex-xdr", "", Map.of(), Optional.of(schedule),
                ConnectorState.PROCESSED, T0));
        Scheduler s = scheduler();
        s.start(false);
        return s;
    }

    /** Steps the scheduler every minute up to (excluding) {@code until}, ending each run it starts. */
    private void stepEveryMinute(Scheduler s, Instant until) {
        while (clock.instant().isBefore(until)) {
            int before = runs.size();
            s.runDue(clock.instant());
            if (endRuns && runs.size() > before) {
                s.runEnded("xdr", null);
            }
            clock.set(clock.instant().plus(Duration.ofMinutes(1)));
        }
    }

    private long polls(String stream) {
        return runs.stream().filter(r -> r.streams().contains(stream)).count();
    }

    @Test
    void eachStreamIsPolledOnItsOwnIntervalAndCoincidingPollsShareOneRun() {
        Scheduler s = startWith(DAILY);

        stepEveryMinute(s, T0.plus(Duration.ofHours(1)));

        assertThat(polls("incidents")).isEqualTo(12);
        assertThat(polls("alerts")).isEqualTo(6);
        assertThat(polls("assets")).isEqualTo(1);
        // an alert poll always coincides with an incident poll: one run each time, 12 in all
        assertThat(runs).hasSize(12);
        assertThat(runs.get(0)).isEqualTo(new Run(T0, Set.of("assets", "incidents", "alerts")));
        assertThat(runs.get(1)).isEqualTo(new Run(T0.plus(Duration.ofMinutes(5)), Set.of("incidents")));
        assertThat(runs.get(2)).isEqualTo(new Run(T0.plus(Duration.ofMinutes(10)), Set.of("incidents", "alerts")));
        assertThat(s.nextRun("xdr")).contains(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void anOverrideChangesOnlyItsStreamsInterval() {
        intervals.put("incidents", Optional.of(Duration.ofMinutes(2)));
        Scheduler s = startWith(DAILY);

        stepEveryMinute(s, T0.plus(Duration.ofMinutes(20)));

        assertThat(polls("incidents")).isEqualTo(10);
        assertThat(polls("alerts")).isEqualTo(2);
        assertThat(polls("assets")).isEqualTo(1);
        assertThat(runs).extracting(Run::at).containsExactly(
                T0, T0.plusSeconds(120), T0.plusSeconds(240), T0.plusSeconds(360), T0.plusSeconds(480),
                T0.plusSeconds(600), T0.plusSeconds(720), T0.plusSeconds(840), T0.plusSeconds(960),
                T0.plusSeconds(1080));
    }

    @Test
    void aStreamWithoutAnIntervalFollowsTheInstancesRecurrence() {
        intervals.put("assets", Optional.empty());
        Scheduler s = startWith(ScheduleSpec.recurring(Recurrence.everyMinutes(30), LocalDateTime.ofInstant(T0, UTC),
                UTC));

        stepEveryMinute(s, T0.plus(Duration.ofHours(1)));

        assertThat(polls("assets")).isEqualTo(2);
        assertThat(polls("incidents")).isEqualTo(12);
        assertThat(runs.get(6)).isEqualTo(new Run(T0.plus(Duration.ofMinutes(30)),
                Set.of("assets", "incidents", "alerts")));
    }

    @Test
    void aSingleOccurrenceStillRunsEveryStreamOnce() {
        Scheduler s = startWith(ScheduleSpec.once(LocalDateTime.ofInstant(T0, UTC), UTC));

        stepEveryMinute(s, T0.plus(Duration.ofHours(1)));

        assertThat(runs).containsExactly(new Run(T0, Set.of()));
    }

    @Test
    void streamsDueWhileTheInstanceRunsAreCoalescedIntoTheNextRun() {
        Scheduler s = startWith(DAILY);
        endRuns = false;

        // the first run (every stream) is still in progress at 5 and 10 minutes
        stepEveryMinute(s, T0.plus(Duration.ofMinutes(11)));
        assertThat(runs).hasSize(1);
        s.runEnded("xdr", null);

        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).streams()).containsExactlyInAnyOrder("incidents", "alerts");
    }

    @Test
    void aRestartKeepsEachStreamsDueTime() {
        Scheduler s = startWith(DAILY);
        stepEveryMinute(s, T0.plus(Duration.ofMinutes(7)));
        s.stop();

        assertThat(store.scheduleState("xdr").orElseThrow().streamNextRuns()).isEqualTo(Map.of(
                "assets", T0.plus(Duration.ofDays(1)),
                "incidents", T0.plus(Duration.ofMinutes(10)),
                "alerts", T0.plus(Duration.ofMinutes(10))));

        // down from 7 to 25 minutes: the missed polls collapse into one run of the streams owed
        clock.set(T0.plus(Duration.ofMinutes(25)));
        runs.clear();
        store = FileStateStore.open(dir.resolve("state"));
        Scheduler restarted = scheduler();
        restarted.start(false);
        stepEveryMinute(restarted, T0.plus(Duration.ofMinutes(31)));

        assertThat(runs).containsExactly(
                new Run(T0.plus(Duration.ofMinutes(25)), Set.of("incidents", "alerts")),
                new Run(T0.plus(Duration.ofMinutes(30)), Set.of("incidents", "alerts")));
    }

    @Test
    void stateSavedBeforePerStreamPollingStartsEveryStreamAtTheSavedDueTime() {
        store = FileStateStore.open(dir.resolve("state"));
        store.saveInstance(new InstanceRecord("xdr", "cortex-xdr", "", Map.of(), Optional.of(DAILY),
                ConnectorState.PROCESSED, T0));
        store.saveScheduleState("xdr", new ScheduleState(DAILY, Optional.of(T0.plusSeconds(180)), Optional.empty()));
        Scheduler s = scheduler();
        s.start(false);

        stepEveryMinute(s, T0.plus(Duration.ofMinutes(6)));

        assertThat(runs).containsExactly(new Run(T0.plusSeconds(180), Set.of("assets", "incidents", "alerts")),
                new Run(T0.plusSeconds(300), Set.of("incidents")));
    }
}
