package org.connectorsdk.runtime.internal.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.DeltaWindow;
import org.connectorsdk.api.StreamSelection;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;

/**
 * How one stream is read in one run, and the cursor it leaves for the next.
 *
 * <p>A time-tracked stream with a committed cursor is read in the frozen window
 * {@code [watermark - overlap, max(now - settle, watermark))}: a clock stepping back never moves
 * a watermark back. Without a cursor, or when the config's selection widened since the cursor was
 * committed, it is read in full in {@code [epoch, now - settle)}. The next watermark is the
 * window's end, unless the local clock is ahead of the vendor's: then a window end by the local
 * clock lies in the vendor's future, and records the vendor stamps after the read but before it
 * would be read by no later run. So the next watermark is held back to the run's start on the
 * vendor's time line less the settle delay ({@code now - ahead - settle}), never below the
 * committed watermark; it is fixed when the stream's first record is accepted (the vendor's first
 * reply has told its clock by then) or when the cursor is committed, whichever comes first.
 *
 * <p>The cursor keeps the identity (key and version) of every record whose version lies in the
 * next run's overlap ({@code next watermark - overlap} on), whether this run delivered it or
 * skipped it as delivered before, so each record version is delivered once however many runs see
 * it; that set grows with the rate of change inside the overlap (and the hold-back), never with
 * the pages read.
 */
final class DeltaCursor {
    private static final char SEPARATOR = '\u001f';

    private final StreamSpec stream;
    private final SyncMode mode;
    private final Optional<TimeWindow> window;
    /** When the run was planned, by the local clock. */
    private final Instant now;
    private final DeltaWindow frame;
    /** The lowest next watermark: the committed one, or the window's start. */
    private final Instant floor;
    /** How far the local clock is ahead of the vendor's, as known when asked. */
    private final Supplier<Optional<Duration>> localAhead;
    private final Set<String> delivered;
    private final Set<String> kept = new HashSet<>();
    private final StreamSelection selection;
    private final Optional<String> reset;
    /** The next watermark once fixed, else null. */
    private Instant watermark;

    private DeltaCursor(StreamSpec stream, SyncMode mode, Optional<TimeWindow> window, Instant now, DeltaWindow frame,
            Instant floor, Supplier<Optional<Duration>> localAhead, Set<String> delivered, StreamSelection selection,
            Optional<String> reset) {
        this.stream = stream;
        this.mode = mode;
        this.window = window;
        this.now = now;
        this.frame = frame;
        this.floor = floor;
        this.localAhead = localAhead;
        this.delivered = delivered;
        this.selection = selection;
        this.reset = reset;
    }

    /**
     * Plans the read of {@code stream} at {@code now} (the local clock) from its committed
     * cursor, if any.
     *
     * @param widens     whether the second selection selects records the first did not
     * @param localAhead how far the local clock is ahead of the vendor's, as the run's replies
     *                   tell when it is asked; empty when not ahead or not known
     */
    static DeltaCursor plan(StreamSpec stream, Optional<Checkpoint> committed, Instant now, DeltaWindow frame,
            StreamSelection selection, BiPredicate<StreamSelection, StreamSelection> widens,
            Supplier<Optional<Duration>> localAhead) {
        Instant end = now.minus(frame.settle());
        if (!stream.timeTracked()) {
            return new DeltaCursor(stream, SyncMode.FULL, Optional.empty(), now, frame, end, localAhead, Set.of(),
                    selection, Optional.empty());
        }
        Optional<String> reset = committed.flatMap(c -> StreamResets.widened(c, selection, widens));
        if (reset.isPresent()) {
            committed = Optional.empty();
        }
        Optional<Instant> watermark = committed.flatMap(c -> c.get("watermark")).flatMap(DeltaCursor::instant);
        Set<String> delivered = new HashSet<>();
        committed.flatMap(c -> c.get("seen")).ifPresent(r -> {
            if (r instanceof List<?> list) {
                list.forEach(o -> delivered.add(String.valueOf(o)));
            }
        });
        SyncMode mode = watermark.isPresent() || !stream.supports(SyncMode.FULL) ? SyncMode.INCREMENTAL
                : SyncMode.FULL;
        Instant from = watermark.map(w -> w.minus(frame.overlap())).orElse(Instant.EPOCH);
        Instant to = watermark.filter(end::isBefore).orElse(end);
        if (to.isBefore(from)) {
            to = from;
        }
        return new DeltaCursor(stream, mode, Optional.of(new TimeWindow(from, to)), now, frame, watermark.orElse(from),
                localAhead, delivered, selection, reset);
    }

    SyncMode mode() {
        return mode;
    }

    Optional<TimeWindow> window() {
        return window;
    }

    /** Why the committed cursor was not used, when an update widened the stream. */
    Optional<String> reset() {
        return reset;
    }

    /** Whether the stream keeps a cursor at all. */
    boolean tracked() {
        return stream.timeTracked();
    }

    /** Notes a source record; false when this record version was delivered before. */
    boolean accept(Map<String, Object> record) {
        if (!tracked()) {
            return true;
        }
        fix();
        String version = String.valueOf(path(record, stream.cursorField().get()));
        StringBuilder entry = new StringBuilder(version);
        for (String k : stream.primaryKey()) {
            entry.append(SEPARATOR).append(path(record, k));
        }
        String id = entry.toString();
        if (delivered.contains(id)) {
            return false;
        }
        // a version the reader returns twice in one run (pages overlapping) is delivered once
        return !keeps(version) || kept.add(id);
    }

    /**
     * Fixes the next watermark, held back to the vendor's clock when the local one is ahead, and
     * with it the start of the next overlap.
     */
    private void fix() {
        if (watermark != null) {
            return;
        }
        Instant end = window.orElseThrow().to();
        Optional<Instant> vendorEnd = localAhead.get().map(ahead -> now.minus(ahead).minus(frame.settle()));
        fixAt(vendorEnd.filter(end::isAfter).map(v -> v.isBefore(floor) ? floor : v).orElse(end));
    }

    private void fixAt(Instant next) {
        watermark = next;
        // what was delivered before and is still inside the next overlap stays remembered even
        // if the source does not return it again
        for (String entry : delivered) {
            if (keeps(entry.substring(0, Math.max(0, entry.indexOf(SEPARATOR))))) {
                kept.add(entry);
            }
        }
    }

    private boolean keeps(String version) {
        Instant keepFrom = watermark.minus(frame.overlap());
        return instant(version).map(at -> !at.isBefore(keepFrom)).orElse(false);
    }

    /** The identities kept so far for the next overlap, for a run's saved position. */
    List<String> kept() {
        if (tracked()) {
            fix();
        }
        return kept.stream().sorted().toList();
    }

    /** The watermark this run leaves, once fixed (a run's saved position keeps it); empty for an untracked stream. */
    Optional<Instant> watermark() {
        if (!tracked()) {
            return Optional.empty();
        }
        fix();
        return Optional.of(watermark);
    }

    /** How far the next watermark was held back from the window's end to the vendor's clock, if it was. */
    Optional<Duration> heldBack() {
        return watermark().map(w -> Duration.between(w, window.orElseThrow().to())).filter(d -> !d.isZero());
    }

    /**
     * Continues a resumed run: the identities kept when its position was saved, and the watermark
     * fixed then, if any.
     */
    void resume(List<String> saved, Optional<Instant> savedWatermark) {
        kept.clear();
        savedWatermark.ifPresent(w -> watermark = w);
        kept.addAll(saved);
    }

    /** The cursor to commit after this run. */
    Checkpoint next() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("watermark", watermark().orElseThrow().toString());
        values.put("seen", kept());
        values.put("selection", Map.of("source", selection.source(), "filters", selection.filters()));
        return new Checkpoint(values);
    }

    static Object path(Map<String, Object> record, String dotted) {
        Object current = record;
        for (String part : dotted.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(part);
        }
        return current;
    }

    /** A cursor value as an instant: epoch milliseconds, or an ISO-8601 instant. */
    static Optional<Instant> instant(Object value) {
        if (value instanceof Number n) {
            return Optional.of(Instant.ofEpochMilli(n.longValue()));
        }
        if (value instanceof String s) {
            try {
                return Optional.of(Instant.parse(s));
            } catch (DateTimeParseException e) {
                try {
                    return Optional.of(Instant.ofEpochMilli(Long.parseLong(s.strip())));
                } catch (NumberFormatException e2) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
