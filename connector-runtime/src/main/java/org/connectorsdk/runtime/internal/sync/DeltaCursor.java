package org.connectorsdk.runtime.internal.sync;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.DeltaWindow;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;

/**
 * How one stream is read in one run, and the cursor it leaves for the next.
 *
 * <p>A stream that supports incremental reads and has a committed cursor is read in the frozen
 * window {@code [watermark - overlap, now - settle)}; otherwise it is read in full (or, if it
 * only reads incrementally, from the epoch). Records the previous run already delivered inside
 * the overlap (same primary key and same cursor value) are skipped. The new cursor is saved
 * only after the sink committed, so a failed run reads the same window again.
 */
final class DeltaCursor {
    /** At most this many recent keys are remembered for de-duplication across the overlap. */
    static final int MAX_RECENT = 50_000;

    private final StreamSpec stream;
    private final SyncMode mode;
    private final Optional<TimeWindow> window;
    private final Instant nextWatermark;
    private final Instant recentFrom;
    private final Set<String> delivered;
    private final List<String> recent = new ArrayList<>();

    private DeltaCursor(StreamSpec stream, SyncMode mode, Optional<TimeWindow> window, Instant nextWatermark,
            Instant recentFrom, Set<String> delivered) {
        this.stream = stream;
        this.mode = mode;
        this.window = window;
        this.nextWatermark = nextWatermark;
        this.recentFrom = recentFrom;
        this.delivered = delivered;
    }

    /** Plans the read of {@code stream} at {@code now} from its committed cursor, if any. */
    static DeltaCursor plan(StreamSpec stream, Optional<Checkpoint> committed, Instant now, DeltaWindow frame) {
        Instant end = now.minus(frame.settle());
        Optional<Instant> watermark = committed.flatMap(c -> c.get("watermark")).flatMap(DeltaCursor::instant);
        if (stream.supports(SyncMode.INCREMENTAL) && stream.cursorField().isPresent()
                && (watermark.isPresent() || !stream.supports(SyncMode.FULL))) {
            Instant from = watermark.map(w -> w.minus(frame.overlap())).orElse(Instant.EPOCH);
            Instant to = end.isBefore(from) ? from : end;
            Set<String> delivered = new HashSet<>();
            committed.flatMap(c -> c.get("recent")).ifPresent(r -> {
                if (r instanceof List<?> list) {
                    list.forEach(o -> delivered.add(String.valueOf(o)));
                }
            });
            return new DeltaCursor(stream, SyncMode.INCREMENTAL, Optional.of(new TimeWindow(from, to)), to,
                    to.minus(frame.overlap()), delivered);
        }
        return new DeltaCursor(stream, SyncMode.FULL, Optional.empty(), end, end.minus(frame.overlap()), Set.of());
    }

    SyncMode mode() {
        return mode;
    }

    Optional<TimeWindow> window() {
        return window;
    }

    /** Whether the stream keeps a cursor at all. */
    boolean tracked() {
        return stream.supports(SyncMode.INCREMENTAL) && stream.cursorField().isPresent();
    }

    /**
     * Notes a source record; false when the previous run already delivered it in the overlap.
     */
    boolean accept(Map<String, Object> record) {
        if (!tracked()) {
            return true;
        }
        Object value = path(record, stream.cursorField().get());
        String key = key(record, value);
        if (delivered.contains(key)) {
            return false;
        }
        Optional<Instant> at = instant(value);
        if (at.isPresent() && !at.get().isBefore(recentFrom) && recent.size() < MAX_RECENT) {
            recent.add(key);
        }
        return true;
    }

    /** The cursor to commit after this run. */
    Checkpoint next() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("watermark", nextWatermark.toString());
        values.put("recent", List.copyOf(recent));
        return new Checkpoint(values);
    }

    private String key(Map<String, Object> record, Object cursorValue) {
        StringBuilder sb = new StringBuilder();
        for (String k : stream.primaryKey()) {
            sb.append(path(record, k)).append('|');
        }
        return sb.append(cursorValue).toString();
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
