package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.ScheduleSpec.Recurrence;
import org.connectorsdk.api.host.ScheduleState;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.internal.schedule.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler on a clock moved by hand: each test steps {@link Scheduler#runDue} itself and
 * waits only for the runs it started to end, never for wall time to pass.
 */
class SchedulerTest {
    private static final String KEY = "sched-key-" + UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-05-25T16:00:00Z");
    private static final ZoneId UTC = ZoneOffset.UTC;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> tenants = new ArrayList<>();
    /** Instances in the order their first assets page was read. */
    private final List<String> firstPages = new CopyOnWriteArrayList<>();
    private Path keyFile;
    private ConnectorRuntime runtime;

    @BeforeEach
    void key() throws IOException {
        keyFile = dir.resolve("key.txt");
        Files.writeString(keyFile, KEY);
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
        tenants.forEach(FakeConnector.TENANTS::remove);
    }

    private ConnectorRuntime runtime(int workers) {
        return runtime(ConnectorRuntime.builder().workers(workers));
    }

    private ConnectorRuntime runtime(ConnectorRuntimeBuilder builder) {
        return builder.sink(new JsonLinesSink(dir.resolve("out"))).stateStore(FileStateStore.open(dir.resolve("state")))
                .clock(clock).manualScheduling().build();
    }

    /** A tenant of its own for the instance {@code name}, 5 assets in pages of 2. */
    private FakeConnector.Tenant tenant(String name) {
        FakeConnector.Tenant t = new FakeConnector.Tenant(KEY).withAssets(5);
        t.pageSize = 2;
        t.beforePage = page -> {
            if (page == 1) {
                firstPages.add(name);
            }
        };
        FakeConnector.TENANTS.put(tenantKey(name), t);
        tenants.add(tenantKey(name));
        return t;
    }

    private String tenantKey(String name) {
        return "sched-" + name + "-" + System.identityHashCode(this);
    }

    private FakeConnector.Tenant register(String name, ScheduleSpec schedule) {
        FakeConnector.Tenant t = FakeConnector.TENANTS.containsKey(tenantKey(name))
                ? FakeConnector.TENANTS.get(tenantKey(name)) : tenant(name);
        // the key as a file reference survives a restart; an inline one would not
        runtime.register(new InstanceDefinition(FakeConnector.ID, name, "", Map.of("tenant", tenantKey(name),
                "apiKey", "file:" + keyFile), Optional.of(schedule)));
        return t;
    }

    private static ScheduleSpec everyMinutes(int n, Instant start) {
        return ScheduleSpec.recurring(Recurrence.everyMinutes(n), LocalDateTime.ofInstant(start, UTC), UTC);
    }

    private static ScheduleSpec once(Instant at) {
        return ScheduleSpec.once(LocalDateTime.ofInstant(at, UTC), UTC);
    }

    /** One scheduling step at the clock's time, then waits for the runs it started. */
    private void tick() {
        runtime.scheduler().runDue(clock.instant());
        awaitIdle();
    }

    private void awaitIdle() {
        try {
            assertThat(runtime.scheduler().awaitIdle(Duration.ofSeconds(20))).as("runs ended").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private List<Instant> runStarts(String name) {
        return runtime.history(name).runs().stream().map(RunSummary::startedAt).toList();
    }

    private ConnectorRuntime.InstanceStatus status(String name) {
        return runtime.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(20, TimeUnit.SECONDS)).as("reached").isTrue();
    }

    @Test
    void aSingleOccurrenceRunsOnceAtItsTimeInItsZone() {
        runtime = runtime(2);
        // 22:17 in Asia/Calcutta (+05:30) is 16:47 UTC
        register("once", ScheduleSpec.once(LocalDateTime.parse("2026-05-25T22:17"), ZoneId.of("Asia/Calcutta")));
        runtime.start();

        assertThat(status("once").nextRun()).contains(Instant.parse("2026-05-25T16:47:00Z"));
        tick();
        clock.set(Instant.parse("2026-05-25T16:46:59Z"));
        tick();
        assertThat(runStarts("once")).isEmpty();

        clock.set(Instant.parse("2026-05-25T16:47:00Z"));
        tick();
        for (int hour = 0; hour < 48; hour++) {
            clock.advance(Duration.ofHours(1));
            tick();
        }

        assertThat(runStarts("once")).containsExactly(Instant.parse("2026-05-25T16:47:00Z"));
        assertThat(runtime.history("once").runs().get(0).state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(status("once").nextRun()).isEmpty();
    }

    @Test
    void aRecurrenceEveryFiveMinutesRunsTwelveTimesInAnHour() {
        runtime = runtime(2);
        register("five", everyMinutes(5, T0));
        runtime.start();

        for (int minute = 0; minute < 60; minute++) {
            clock.set(T0.plus(Duration.ofMinutes(minute)));
            tick();
        }

        List<Instant> expected = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            expected.add(T0.plus(Duration.ofMinutes(5L * k)));
        }
        assertThat(runStarts("five")).containsExactlyElementsOf(expected);
        assertThat(runtime.history("five").runs()).allMatch(r -> r.state() == ConnectorState.PROCESSED);
        assertThat(status("five").nextRun()).contains(T0.plus(Duration.ofMinutes(60)));
    }

    @Test
    void aRunPastItsDeadlineIsStoppedWithoutPublishingAndTheScheduleGoesOn() throws IOException {
        runtime = runtime(1);
        FakeConnector.Tenant t = tenant("slow").withAssets(20);
        t.events.add(Map.of("id", "event-1", "at", T0.minus(Duration.ofHours(1)).toEpochMilli()));
        runtime.register(new InstanceDefinition(FakeConnector.ID, "slow", "", Map.of("tenant", tenantKey("slow"),
                "apiKey", "file:" + keyFile, "dataToSync", "assets-and-events"), Optional.of(everyMinutes(60, T0)),
                Map.of(), Optional.empty(), Optional.of(Duration.ofMinutes(30))));
        runtime.start();
        tick();
        FileStateStore state = FileStateStore.open(dir.resolve("state"));
        var cursor = state.cursor("slow", "events");
        assertThat(cursor).isPresent();
        List<Path> published = published("slow");
        assertThat(published).hasSize(1);

        // the next occurrence's pages take 10 minutes each, by the run's clock: 10 pages are 100 minutes
        clock.set(T0.plus(Duration.ofMinutes(60)));
        t.beforePage = page -> clock.advance(Duration.ofMinutes(10));
        tick();

        RunSummary late = runtime.history("slow").runs().get(1);
        assertThat(late.state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(late.error()).hasValueSatisfying(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
            assertThat(e.message()).isEqualTo("The run of instance 'slow' passed its runDeadline of PT30M after "
                    + "PT40M, reading stream 'assets' (4 pages); it was stopped, nothing of it was published and no "
                    + "cursor moved");
            assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("Raise the instance's "
                    + "runDeadline"));
        });
        assertThat(published("slow")).as("nothing published").isEqualTo(published);
        assertThat(state.cursor("slow", "events")).isEqualTo(cursor);
        assertThat(status("slow").state()).isEqualTo(ConnectorState.ERRORED);

        // the schedule goes on, and a restart keeps the deadline: the next occurrence is stopped too
        runtime.close();
        runtime = runtime(1);
        runtime.start();
        clock.set(T0.plus(Duration.ofMinutes(180)));
        tick();
        assertThat(runtime.history("slow").runs()).hasSize(3).last().satisfies(r -> assertThat(r.error())
                .hasValueSatisfying(e -> assertThat(e.message()).contains("passed its runDeadline of PT30M")));

        // with fast pages the occurrence after it is published
        t.beforePage = page -> { };
        clock.set(T0.plus(Duration.ofMinutes(300)));
        tick();
        assertThat(runtime.history("slow").runs()).hasSize(4).last().extracting(RunSummary::state)
                .isEqualTo(ConnectorState.PROCESSED);
        assertThat(published("slow")).hasSize(2);
        assertThat(state.cursor("slow", "events")).isNotEqualTo(cursor);
    }

    private List<Path> published(String name) throws IOException {
        try (Stream<Path> runs = Files.list(dir.resolve("out").resolve(name))) {
            return runs.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /** Ticks every 15 minutes over [from, to) and returns when the daily 02:30 Berlin instance ran. */
    private List<Instant> dailyBerlinRuns(Instant from, Instant to) {
        clock.set(from);
        runtime = runtime(1);
        register("berlin", ScheduleSpec.recurring(Recurrence.daily(), LocalDateTime.parse("2026-01-01T02:30"),
                ZoneId.of("Europe/Berlin")));
        runtime.start();
        while (clock.instant().isBefore(to)) {
            tick();
            clock.advance(Duration.ofMinutes(15));
        }
        return runStarts("berlin");
    }

    @Test
    void aDaily0230BerlinRunRunsOnceOnTheSpringForwardDay() {
        // 2026-03-29: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist; the run is at 03:30
        assertThat(dailyBerlinRuns(Instant.parse("2026-03-27T12:00:00Z"), Instant.parse("2026-03-31T00:00:00Z")))
                .containsExactly(Instant.parse("2026-03-28T01:30:00Z"), Instant.parse("2026-03-29T01:30:00Z"),
                        Instant.parse("2026-03-30T00:30:00Z"));
    }

    @Test
    void aDaily0230BerlinRunRunsOnceOnTheFallBackDay() {
        // 2026-10-25: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice; it runs at the first
        assertThat(dailyBerlinRuns(Instant.parse("2026-10-23T12:00:00Z"), Instant.parse("2026-10-27T00:00:00Z")))
                .containsExactly(Instant.parse("2026-10-24T00:30:00Z"), Instant.parse("2026-10-25T00:30:00Z"),
                        Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void withOneWorkerTheInstancesDueTogetherWaitInScheduledAndRunInDueOrder() throws Exception {
        runtime = runtime(1);
        // names sort the other way round from their due times
        FakeConnector.Tenant zulu = register("zulu", once(T0.plus(Duration.ofMinutes(1))));
        register("alpha", once(T0.plus(Duration.ofMinutes(2))));
        register("mike", once(T0.plus(Duration.ofMinutes(3))));
        zulu.holdAtPage = 1;
        runtime.start();
        clock.set(T0.plus(Duration.ofMinutes(5)));

        runtime.scheduler().runDue(clock.instant());
        await(zulu.holding);

        assertThat(status("zulu").state()).isEqualTo(ConnectorState.PROCESSING);
        for (String waiting : List.of("alpha", "mike")) {
            assertThat(status(waiting).state()).isEqualTo(ConnectorState.SCHEDULED);
            assertThat(runtime.history(waiting).transitions()).last().extracting(StateTransition::detail)
                    .isEqualTo("waiting for processing resources");
        }
        zulu.release.countDown();
        awaitIdle();

        assertThat(firstPages).containsExactly("zulu", "alpha", "mike");
        for (String name : List.of("alpha", "mike")) {
            assertThat(runtime.history(name).transitions()).extracting(StateTransition::state).containsExactly(
                    ConnectorState.REGISTERED, ConnectorState.SCHEDULED, ConnectorState.PROCESSING,
                    ConnectorState.PROCESSED);
        }
        assertThat(runtime.status()).allMatch(s -> s.state() == ConnectorState.PROCESSED);
    }

    @Test
    void occurrencesDueWhileARunIsInProgressAreCoalescedIntoOneRunAfterIt() throws Exception {
        runtime = runtime(2);
        FakeConnector.Tenant t = register("slow", everyMinutes(5, T0));
        t.holdAtPage = 1;
        runtime.start();

        runtime.scheduler().runDue(clock.instant());
        await(t.holding);
        for (int k = 1; k <= 3; k++) {
            clock.set(T0.plus(Duration.ofMinutes(5L * k)));
            runtime.scheduler().runDue(clock.instant());
        }

        assertThat(runtime.history("slow").transitions()).extracting(StateTransition::state)
                .containsExactly(ConnectorState.REGISTERED, ConnectorState.PROCESSING);
        assertThat(status("slow").nextRun()).as("owed after the run in progress")
                .contains(T0.plus(Duration.ofMinutes(5)));
        t.release.countDown();
        awaitIdle();

        assertThat(runStarts("slow")).containsExactly(T0, T0.plus(Duration.ofMinutes(15)));
        assertThat(runtime.history("slow").runs()).allMatch(r -> r.state() == ConnectorState.PROCESSED);
        assertThat(status("slow").nextRun()).contains(T0.plus(Duration.ofMinutes(20)));

        clock.set(T0.plus(Duration.ofMinutes(20)));
        tick();
        assertThat(runStarts("slow")).hasSize(3);
    }

    @Test
    void afterARestartAMissedRecurrenceRunsOnceAndADoneSingleOccurrenceNeverAgain() {
        runtime = runtime(2);
        register("five", everyMinutes(5, T0));
        register("once", once(T0));
        runtime.start();
        tick();
        assertThat(runStarts("five")).containsExactly(T0);
        assertThat(runStarts("once")).containsExactly(T0);
        runtime.close();

        // down for an hour and a half: eighteen occurrences of "five" missed
        clock.set(T0.plus(Duration.ofMinutes(92)));
        runtime = runtime(2);
        assertThat(status("five").nextRun()).as("owed, before the scheduler starts")
                .contains(T0.plus(Duration.ofMinutes(5)));
        runtime.start();
        tick();
        tick();

        assertThat(runStarts("five")).containsExactly(T0, T0.plus(Duration.ofMinutes(92)));
        assertThat(runStarts("once")).containsExactly(T0);
        assertThat(status("five").nextRun()).contains(T0.plus(Duration.ofMinutes(95)));
        assertThat(status("once").nextRun()).isEmpty();
        assertThat(ConnectorRuntime.readStatus(FileStateStore.open(dir.resolve("state"))))
                .as("read by another process").isEqualTo(runtime.status());
        assertThat(FileStateStore.open(dir.resolve("state")).scheduleState("five")).contains(new ScheduleState(
                everyMinutes(5, T0), Optional.of(T0.plus(Duration.ofMinutes(95))),
                Optional.of(T0.plus(Duration.ofMinutes(92)))));
    }

    @Test
    void stopCancelsTheRunInFlightAbortsItsSinkStartsNoOtherAndTheRunStaysOwed() throws Exception {
        runtime = runtime(1);
        FakeConnector.Tenant t = register("eu", everyMinutes(5, T0));
        register("us", everyMinutes(5, T0.plusSeconds(1)));
        t.holdAtPage = 2;
        runtime.start();
        clock.set(T0.plusSeconds(1));
        runtime.scheduler().runDue(clock.instant());
        await(t.holding);
        assertThat(status("us").state()).isEqualTo(ConnectorState.SCHEDULED);

        assertThat(runtime.stop(Duration.ZERO)).isTrue();

        RunSummary eu = runtime.history("eu").runs().get(0);
        assertThat(eu.state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(eu.error()).hasValueSatisfying(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
            assertThat(e.message()).isEqualTo("The run of instance 'eu' was cancelled by stop() (its grace of PT0S "
                    + "ran out) after 2 pages; nothing of it was published");
        });
        assertThat(runtime.history("us").transitions()).extracting(StateTransition::state).as("never started")
                .containsExactly(ConnectorState.REGISTERED, ConnectorState.SCHEDULED, ConnectorState.ERRORED);
        assertThat(runtime.history("us").transitions()).last().extracting(StateTransition::detail)
                .isEqualTo("CANCELLED: The run of instance 'us' was cancelled by stop() before it started; nothing "
                        + "of it was published");
        assertThat(runtime.status()).allMatch(s -> s.state() == ConnectorState.ERRORED);
        FileStateStore store = FileStateStore.open(dir.resolve("state"));
        assertThat(store.checkpoint("eu", "assets", "all")).isEmpty();
        try (Stream<Path> files = Files.walk(dir.resolve("out"))) {
            assertThat(files.filter(Files::isRegularFile)).as("nothing published, no temporary file left").isEmpty();
        }
        clock.advance(Duration.ofHours(1));
        assertThat(runtime.scheduler().runDue(clock.instant())).isEmpty();
        assertThat(runtime.history("eu").runs()).hasSize(1);

        // the cancelled occurrences are still owed: after a restart each instance runs once
        runtime.close();
        runtime = runtime(1);
        runtime.start();
        tick();
        assertThat(runtime.history("eu").runs()).extracting(RunSummary::state)
                .containsExactly(ConnectorState.ERRORED, ConnectorState.PROCESSED);
        assertThat(runtime.history("us").runs()).extracting(RunSummary::state)
                .containsExactly(ConnectorState.ERRORED, ConnectorState.PROCESSED);
    }

    @Test
    void stopLetsARunThatEndsWithinTheGraceFinish() throws Exception {
        runtime = runtime(1);
        FakeConnector.Tenant t = register("eu", everyMinutes(5, T0));
        t.holdAtPage = 1;
        runtime.start();
        runtime.scheduler().runDue(clock.instant());
        await(t.holding);
        AtomicBoolean clean = new AtomicBoolean();
        Thread stopper = new Thread(() -> clean.set(runtime.stop(Duration.ofMinutes(1))));
        stopper.start();
        while (runtime.scheduler().isActive()) {
            Thread.onSpinWait();
        }

        t.release.countDown();
        stopper.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(stopper.isAlive()).isFalse();
        assertThat(clean).isTrue();
        assertThat(runtime.history("eu").runs()).singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo(ConnectorState.PROCESSED));
        assertThat(FileStateStore.open(dir.resolve("state")).scheduleState("eu").orElseThrow().nextRun())
                .as("the finished run is not owed again").contains(T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void jitterDelaysEachRecurringRunByItsOwnFixedAmountWithinTheBound() {
        runtime = runtime(ConnectorRuntime.builder().workers(2).scheduleJitter(Duration.ofSeconds(30)));
        register("eu", everyMinutes(5, T0));
        register("us", everyMinutes(5, T0));
        Duration euJitter = Scheduler.jitter("eu", T0, Duration.ofSeconds(30));
        Duration usJitter = Scheduler.jitter("us", T0, Duration.ofSeconds(30));
        runtime.start();

        assertThat(euJitter).isNotEqualTo(usJitter);
        assertThat(status("eu").nextRun()).contains(T0.plus(euJitter));
        assertThat(status("us").nextRun()).contains(T0.plus(usJitter));
        clock.set(T0.plus(euJitter).minusMillis(1));
        tick();
        assertThat(runStarts("eu")).isEmpty();
        clock.set(T0.plus(euJitter));
        tick();
        assertThat(runStarts("eu")).containsExactly(T0.plus(euJitter));
        assertThat(status("eu").nextRun()).contains(T0.plus(Duration.ofMinutes(5))
                .plus(Scheduler.jitter("eu", T0.plus(Duration.ofMinutes(5)), Duration.ofSeconds(30))));
    }

    @Test
    void jitterSpreadsAThousandInstancesAndStaysUnderHalfThePeriod() {
        Set<Long> seconds = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Duration j = Scheduler.jitter("tenant-" + i, T0, Duration.ofSeconds(60));
            assertThat(j).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofSeconds(60));
            seconds.add(j.toSeconds());
        }
        assertThat(seconds).as("every second of the minute is used").hasSize(60);
        assertThat(Scheduler.jitter("eu", T0, Duration.ofSeconds(60)))
                .isEqualTo(Scheduler.jitter("eu", T0, Duration.ofSeconds(60)));
        assertThat(Scheduler.jitterCap(everyMinutes(1, T0), Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
        assertThat(Scheduler.jitterCap(ScheduleSpec.recurring(Recurrence.daily(), LocalDateTime.of(2026, 1, 1, 0, 0),
                UTC), Duration.ofDays(2))).isEqualTo(Duration.ofHours(11));
        assertThat(Scheduler.jitterCap(everyMinutes(60, T0), Duration.ofSeconds(45))).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void aChangedScheduleIsPlannedAfreshAndAnInstanceWithoutOneIsNotScheduled() {
        runtime = runtime(2);
        register("eu", once(T0.plus(Duration.ofHours(1))));
        runtime.register(new InstanceDefinition(FakeConnector.ID, "manual", "", Map.of("tenant", tenantKey("eu"),
                "apiKey", "file:" + keyFile), Optional.empty()));
        runtime.start();
        assertThat(status("eu").nextRun()).contains(T0.plus(Duration.ofHours(1)));

        runtime.update(new InstanceDefinition(FakeConnector.ID, "eu", "", Map.of("tenant", tenantKey("eu"),
                "apiKey", "file:" + keyFile), Optional.of(once(T0.plus(Duration.ofHours(2))))));
        clock.set(T0.plus(Duration.ofHours(1)));
        tick();

        assertThat(runStarts("eu")).isEmpty();
        assertThat(status("eu").nextRun()).contains(T0.plus(Duration.ofHours(2)));
        assertThat(status("manual").nextRun()).isEmpty();
        clock.set(T0.plus(Duration.ofHours(2)));
        tick();
        assertThat(runStarts("eu")).containsExactly(T0.plus(Duration.ofHours(2)));
        assertThat(runtime.history("manual").runs()).isEmpty();
    }

    @Test
    void aRunStartedByHandWhenTheScheduleComesDueIsFollowedByOneScheduledRun() throws Exception {
        runtime = runtime(2);
        FakeConnector.Tenant t = register("eu", everyMinutes(5, T0.plus(Duration.ofMinutes(5))));
        t.holdAtPage = 1;
        runtime.start();
        var manual = runtime.submit("eu", Set.of(), false, p -> { });
        await(t.holding);

        clock.set(T0.plus(Duration.ofMinutes(5)));
        runtime.scheduler().runDue(clock.instant());
        t.release.countDown();
        manual.get(20, TimeUnit.SECONDS);
        awaitIdle();

        assertThat(runStarts("eu")).containsExactly(T0, T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void withItsTickerTheRuntimeRunsAnInstanceRegisteredAfterStartWithoutBeingStepped() throws Exception {
        CountDownLatch processed = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        runtime = ConnectorRuntime.builder().sink(new JsonLinesSink(dir.resolve("out")))
                .stateStore(FileStateStore.open(dir.resolve("state"))).onTransition((name, tr) -> {
                    seen.add(name + " " + tr.state());
                    if (tr.state() == ConnectorState.PROCESSED) {
                        processed.countDown();
                    }
                }).build();
        runtime.start();
        tenant("live");
        runtime.register(new InstanceDefinition(FakeConnector.ID, "live", "", Map.of("tenant", tenantKey("live"),
                "apiKey", "file:" + keyFile), Optional.of(ScheduleSpec.once(
                        LocalDateTime.now(UTC).minusMinutes(1), UTC))));

        await(processed);
        assertThat(runtime.stop()).isTrue();

        assertThat(seen).containsExactly("live REGISTERED", "live PROCESSING", "live PROCESSED");
    }

    @Test
    void aRunOfSomeStreamsReadsOnlyThemAndItsSummaryListsOnlyThem() throws Exception {
        runtime = runtime(1);
        tenant("some");
        runtime.register(new InstanceDefinition(FakeConnector.ID, "some", "", Map.of("tenant", tenantKey("some"),
                "apiKey", "file:" + keyFile, "dataToSync", "assets-and-events"), Optional.empty()));

        RunSummary events = runtime.submit("some", Set.of("events"), false, p -> { }).get(20, TimeUnit.SECONDS);
        RunSummary all = runtime.runNow("some");

        assertThat(events.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(events.streams()).containsOnlyKeys("events");
        assertThat(all.streams()).containsOnlyKeys("assets", "events");
        assertThat(all.streams().get("assets").read()).isEqualTo(5);
    }

    @Test
    void anInstancesPollIntervalOverrideRunsItsStreamOnItAndSurvivesARestart() {
        runtime = runtime(1);
        tenant("poll").events.add(Map.of("id", "e1", "at", T0.minusSeconds(60).toString()));
        ScheduleSpec daily = ScheduleSpec.recurring(Recurrence.daily(), LocalDateTime.ofInstant(T0, UTC), UTC);
        runtime.register(new InstanceDefinition(FakeConnector.ID, "poll", "", Map.of("tenant", tenantKey("poll"),
                "apiKey", "file:" + keyFile, "dataToSync", "assets-and-events"), Optional.of(daily),
                Map.of("events", Duration.ofMinutes(2))));
        runtime.start();
        for (int minute = 0; minute < 5; minute++) {
            clock.set(T0.plus(Duration.ofMinutes(minute)));
            tick();
        }
        runtime.close();
        // restarted: the override is read back from the state store
        clock.set(T0.plus(Duration.ofMinutes(6)));
        runtime = runtime(1);
        runtime.start();
        tick();

        List<RunSummary> runs = runtime.history("poll").runs();
        assertThat(runs).extracting(RunSummary::startedAt).containsExactly(T0, T0.plus(Duration.ofMinutes(2)),
                T0.plus(Duration.ofMinutes(4)), T0.plus(Duration.ofMinutes(6)));
        assertThat(runs.get(0).streams()).containsOnlyKeys("assets", "events");
        assertThat(runs.subList(1, 4)).allSatisfy(r -> assertThat(r.streams()).containsOnlyKeys("events"));
    }

    @Test
    void aPollIntervalForAStreamTheConnectorLacksIsRefused() {
        runtime = runtime(1);
        tenant("bad");
        InstanceDefinition bad = new InstanceDefinition(FakeConnector.ID, "bad", "", Map.of("tenant",
                tenantKey("bad"), "apiKey", "file:" + keyFile), Optional.empty(), Map.of("incidents",
                        Duration.ofMinutes(2)));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runtime.register(bad))
                .hasMessage("Instance 'bad' sets a poll interval for stream 'incidents', which connector '"
                        + FakeConnector.ID + "' does not have");
    }
}
