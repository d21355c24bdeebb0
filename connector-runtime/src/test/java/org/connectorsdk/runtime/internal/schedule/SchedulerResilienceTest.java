package org.connectorsdk.runtime.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.ScheduleSpec.Recurrence;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scheduler that cannot be silenced: one instance's broken or far-away schedule never stops the others. */
class SchedulerResilienceTest {
    private static final Instant T0 = Instant.parse("2026-05-25T16:00:00Z");
    private static final ScheduleSpec NEAR = ScheduleSpec.recurring(Recurrence.everyMinutes(5),
            LocalDateTime.ofInstant(T0, ZoneOffset.UTC), ZoneOffset.UTC);
    private static final ScheduleSpec FAR = ScheduleSpec.once(LocalDateTime.parse("9999-12-31T23:59"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> started = new CopyOnWriteArrayList<>();

    private StateStore store(Map<String, ScheduleSpec> schedules) {
        StateStore store = FileStateStore.open(dir.resolve("state"));
        schedules.forEach((name, spec) -> store.saveInstance(new InstanceRecord(name, "cortex-xdr", "", Map.of(),
                Optional.of(spec), ConnectorState.PROCESSED, T0.minusSeconds(1))));
        return store;
    }

    @Test
    void aFarFutureScheduleBesideANearOneLeavesTheTickerRunningTheNearOneOnTime() throws Exception {
        CountDownLatch nearRan = new CountDownLatch(1);
        CountDownLatch nearRanAgain = new CountDownLatch(2);
        Scheduler scheduler = new Scheduler(store(Map.of("far", FAR, "near", NEAR)), clock, Duration.ZERO,
                name -> Map.of(), (name, streams) -> {
                    started.add(name);
                    nearRan.countDown();
                    nearRanAgain.countDown();
                });
        scheduler.start(true);
        try {
            assertThat(nearRan.await(30, TimeUnit.SECONDS)).as("the near instance ran").isTrue();
            assertThat(started).containsExactly("near");
            assertThat(scheduler.nextRun("far")).contains(Instant.parse("9999-12-31T23:59:00Z"));
            // the ticker naps, it has not died: at the next occurrence the near one runs again
            clock.set(T0.plus(Duration.ofMinutes(5)));
            scheduler.runEnded("near", null);
            assertThat(nearRanAgain.await(30, TimeUnit.SECONDS)).as("the near instance ran again").isTrue();
            assertThat(started).containsExactly("near", "near");
            assertThat(scheduler.failure()).isEmpty();
        } finally {
            scheduler.stop();
        }
    }

    @Test
    void anInstanceWhoseStartFailsIsLoggedAndTakenOffThePlanWhileTheOthersStillRun() {
        Scheduler scheduler = new Scheduler(store(Map.of("broken", NEAR, "near", NEAR)), clock, Duration.ZERO,
                name -> Map.of(), (name, streams) -> {
                    if (name.equals("broken")) {
                        throw new IllegalStateException("a defect while starting " + name);
                    }
                    started.add(name);
                });
        scheduler.start(false);

        scheduler.runDue(T0);

        assertThat(started).containsExactly("near");
        assertThat(scheduler.nextRun("broken")).isEmpty();
        assertThat(scheduler.nextRun("near")).contains(T0.plus(Duration.ofMinutes(5)));
        assertThat(scheduler.failure()).isEmpty();
        scheduler.stop();
    }
}
