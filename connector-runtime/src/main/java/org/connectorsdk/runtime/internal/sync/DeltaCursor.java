package org.connectorsdk.runtime.internal.sync;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

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
 * committed, it is read in full in {@code [epoch, now - settle)}. The next watermark is exactly the
 * window's end. The cursor keeps the identity (key and version) of every record whose version lies
 * in the next run's overlap, whether this run delivered it or skipped it as delivered before, so
 * each record version is delivered once however many runs see it; that set grows with the rate of
 * change inside the overlap, never with the pages read.
 */
final class DeltaCursor {
    private static final char SEPARATOR = '\u001f';

    private final StreamSpec stream;
    private final SyncMode mode;
    private final Optional<TimeWindow> window;
    private final Instant keepFrom;
    private final Set<String> delivered;
    private final Set<String> kept = new HashSet<>();
    private final StreamSelection selection;
    private final Optional<String> reset;

    private DeltaCursor(StreamSpec stream, SyncMode mode, Optional<TimeWindow> window, Instant keepFrom,
            Set<String> delivered, StreamSelection selection, Optional<String> reset) {
        this.stream = stream;
        this.mode = mode;
        this.window = window;
        this.keepFrom = keepFrom;
        this.delivered = delivered;
        this.selection = selection;
        this.reset = reset;
    }

    /**
     * Plans the read of {@code stream} at {@code now} (the source's clock) from its committed
     * cursor, if any.
     *
     * @param widens whether the second selection selects records the first did not
     */
    static DeltaCursor plan(StreamSpec stream, Optional<Checkpoint> committed, Instant now, DeltaWindow frame,
            StreamSelection selection, BiPredicate<StreamSelection, StreamSelection> widens) {
        Instant end = now.minus(frame.settle());
        if (!stream.timeTracked()) {
            return new DeltaCursor(stream, SyncMode.FULL, Optional.empty(), end, Set.of(), selection,
                    Optional.empty());
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
        DeltaCursor cursor = new DeltaCursor(stream, mode, Optional.of(new TimeWindow(from, to)),
                to.minus(frame.overlap()), delivered, selection, reset);
        // what was delivered before and is still inside the next overlap stays remembered even
        // if the source does not return it again
        for (String entry : delivered) {
            if (cursor.keeps(entry.substring(0, Math.max(0, entry.indexOf(SEPARATOR))))) {
                cursor.kept.add(entry);
            }
        }
        return cursor;
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

    private boolean keeps(String version) {
        return instant(version).map(at -> !at.isBefore(keepFrom)).orElse(false);
    }

    /** The identities kept so far for the next overlap, for a run's saved position. */
    List<String> kept() {
        return kept.stream().sorted().toList();
    }

    /** Continues a resumed run: the identities kept when its position was saved. */
    void resume(List<String> saved) {
        kept.clear();
        kept.addAll(saved);
    }

    /** The cursor to commit after this run. */
    Checkpoint next() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("watermark", window.orElseThrow().to().toString());
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
