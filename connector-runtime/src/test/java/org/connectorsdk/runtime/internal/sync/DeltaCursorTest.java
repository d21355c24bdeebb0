package org.connectorsdk.runtime.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.DeltaWindow;
import org.connectorsdk.api.StreamSelection;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;
import org.junit.jupiter.api.Test;

/** How a cursor holds its next watermark back to the vendor's clock when the local clock runs ahead. */
class DeltaCursorTest {
    private static final StreamSpec ALERTS = new StreamSpec("alerts", "Alerts", List.of("id"), Optional.of("at"),
            Set.of(SyncMode.FULL, SyncMode.INCREMENTAL), Optional.empty());
    private static final DeltaWindow FRAME = new DeltaWindow(Duration.ofMinutes(5), Duration.ofMinutes(1));
    private static final Instant NOW = Instant.parse("2026-05-25T16:40:00Z");
    private static final Duration AHEAD = Duration.ofMinutes(10);

    private final AtomicReference<Optional<Duration>> localAhead = new AtomicReference<>(Optional.empty());

    private DeltaCursor plan(Optional<Checkpoint> committed, Instant now) {
        return DeltaCursor.plan(ALERTS, committed, now, FRAME, StreamSelection.EVERYTHING, (a, b) -> false,
                localAhead::get);
    }

    private static Map<String, Object> alert(String id, Instant at) {
        return Map.of("id", id, "at", at.toEpochMilli());
    }

    private static Instant watermark(Checkpoint cursor) {
        return Instant.parse((String) cursor.values().get("watermark"));
    }

    private static Checkpoint committedAt(Instant watermark) {
        return new Checkpoint(Map.of("watermark", watermark.toString(), "seen", List.of()));
    }

    @Test
    void withTheClocksAgreedTheNextWatermarkIsTheWindowsEnd() {
        DeltaCursor cursor = plan(Optional.of(committedAt(NOW.minus(Duration.ofMinutes(4)))), NOW);

        assertThat(cursor.window()).contains(new TimeWindow(NOW.minus(Duration.ofMinutes(9)),
                NOW.minus(Duration.ofMinutes(1))));
        assertThat(watermark(cursor.next())).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
        assertThat(cursor.heldBack()).isEmpty();
    }

    @Test
    void aLocalClockAheadHoldsTheWatermarkBackToTheVendorsTimeLessTheSettleWhileTheWindowStays() {
        Instant committed = NOW.minus(Duration.ofMinutes(30));
        DeltaCursor cursor = plan(Optional.of(committedAt(committed)), NOW);
        localAhead.set(Optional.of(AHEAD));

        // the window was fixed before the vendor's first reply: it still ends by the local clock
        assertThat(cursor.window()).contains(new TimeWindow(committed.minus(FRAME.overlap()),
                NOW.minus(FRAME.settle())));
        assertThat(watermark(cursor.next())).isEqualTo(NOW.minus(AHEAD).minus(FRAME.settle()));
        assertThat(cursor.heldBack()).contains(Duration.ofMinutes(10));
    }

    @Test
    void aHeldBackWatermarkNeverMovesBelowTheCommittedOne() {
        Instant committed = NOW.minus(Duration.ofMinutes(3));
        DeltaCursor cursor = plan(Optional.of(committedAt(committed)), NOW);
        localAhead.set(Optional.of(AHEAD));

        assertThat(watermark(cursor.next())).isEqualTo(committed);
        assertThat(cursor.heldBack()).contains(Duration.ofMinutes(2));
    }

    @Test
    void theRecordsReadPastAHeldBackWatermarkAreKeptSoTheNextRunSkipsThemAndReadsTheRest() {
        localAhead.set(Optional.of(AHEAD));
        DeltaCursor first = plan(Optional.of(committedAt(NOW.minus(Duration.ofMinutes(30)))), NOW);
        Instant held = NOW.minus(AHEAD).minus(FRAME.settle()); // 16:29
        List<Map<String, Object>> read = List.of(
                alert("old", held.minus(Duration.ofMinutes(20))), // before the next overlap: not kept
                alert("overlap", held.minus(Duration.ofMinutes(2))),
                alert("past", held.plus(Duration.ofMinutes(6))), // beyond the held watermark, before the window end
                alert("past", held.plus(Duration.ofMinutes(6)))); // the same version on two pages: once
        assertThat(read.stream().filter(first::accept).map(r -> r.get("id"))).containsExactly("old", "overlap",
                "past");
        Checkpoint cursor = first.next();
        assertThat(watermark(cursor)).isEqualTo(held);
        assertThat((List<?>) cursor.values().get("seen")).hasSize(2);

        // the next run, 3 minutes later by the still-fast local clock, reads from the held watermark
        DeltaCursor second = plan(Optional.of(cursor), NOW.plus(Duration.ofMinutes(3)));
        assertThat(second.window().orElseThrow().from()).isEqualTo(held.minus(FRAME.overlap()));
        Map<String, Object> arrivedAfterTheRead = alert("late", held.plus(Duration.ofMinutes(1)));
        assertThat(second.accept(read.get(1))).isFalse();
        assertThat(second.accept(read.get(2))).isFalse();
        assertThat(second.accept(arrivedAfterTheRead)).isTrue();
        // what the first run kept is still inside the second's next overlap, so it stays remembered
        assertThat((List<?>) second.next().values().get("seen")).hasSize(3);
    }

    @Test
    void theHoldBackIsFixedAtTheFirstRecordSoTheKeptSetMatchesTheWatermarkSaved() {
        DeltaCursor cursor = plan(Optional.of(committedAt(NOW.minus(Duration.ofMinutes(30)))), NOW);
        localAhead.set(Optional.of(AHEAD));
        cursor.accept(alert("a", NOW.minus(Duration.ofMinutes(14))));
        // a later, different estimate does not move what the kept set was chosen for
        localAhead.set(Optional.of(Duration.ofMinutes(2)));

        Checkpoint next = cursor.next();
        assertThat(watermark(next)).isEqualTo(NOW.minus(AHEAD).minus(FRAME.settle()));
        assertThat((List<?>) next.values().get("seen")).hasSize(1);
    }

    @Test
    void aResumedRunKeepsTheWatermarkItsSavedPositionFixed() {
        localAhead.set(Optional.of(AHEAD));
        DeltaCursor interrupted = plan(Optional.of(committedAt(NOW.minus(Duration.ofMinutes(30)))), NOW);
        interrupted.accept(alert("a", NOW.minus(Duration.ofMinutes(14))));
        List<String> kept = interrupted.kept();
        Optional<Instant> saved = interrupted.watermark();

        // the process that resumes it sees the clocks agree (NTP fixed in between)
        localAhead.set(Optional.empty());
        DeltaCursor resumed = plan(Optional.of(committedAt(NOW.minus(Duration.ofMinutes(30)))), NOW);
        resumed.resume(kept, saved);

        assertThat(resumed.watermark()).isEqualTo(saved);
        assertThat(resumed.accept(alert("a", NOW.minus(Duration.ofMinutes(14))))).isFalse();
        assertThat(watermark(resumed.next())).isEqualTo(saved.orElseThrow());
    }

    @Test
    void aFullReadWithTheLocalClockAheadAlsoLeavesAHeldBackWatermark() {
        localAhead.set(Optional.of(AHEAD));
        DeltaCursor cursor = plan(Optional.empty(), NOW);

        assertThat(cursor.mode()).isEqualTo(SyncMode.FULL);
        assertThat(cursor.window().orElseThrow().from()).isEqualTo(Instant.EPOCH);
        assertThat(watermark(cursor.next())).isEqualTo(NOW.minus(AHEAD).minus(FRAME.settle()));
    }
}
