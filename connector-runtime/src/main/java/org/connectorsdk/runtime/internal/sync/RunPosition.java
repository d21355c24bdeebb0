package org.connectorsdk.runtime.internal.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.host.SinkWriter;

/**
 * Where an unpublished run stands, as the runtime saves it with the run's records on a resumable
 * sink ({@link SinkWriter#savePosition}): per stream whether it is done, which partitions are done,
 * the page checkpoint of the partition being read (only for a stream whose checkpoints are stable
 * positions), the stream's figures, its cursor's overlap identities and the watermark they were
 * kept for. The digest says which config the run was planned for: a run is resumed only into the
 * same one.
 */
final class RunPosition {
    private static final String DIGEST = "digest";
    private static final String STREAMS = "streams";

    private final String digest;
    /**
     * Per stream: {"done": bool, "partitions": [done ids], "partition": id, "checkpoint": {...}, "counts", "kept",
     * "watermark"}.
     */
    private final Map<String, Map<String, Object>> streams = new LinkedHashMap<>();

    private RunPosition(String digest) {
        this.digest = digest;
    }

    /** A run that has read nothing yet. */
    static RunPosition start(String digest) {
        return new RunPosition(digest);
    }

    /** The position {@code saved} when it was saved by a run planned with {@code digest}. */
    static Optional<RunPosition> resume(Checkpoint saved, String digest) {
        if (!digest.equals(saved.values().get(DIGEST))) {
            return Optional.empty();
        }
        RunPosition p = new RunPosition(digest);
        object(saved.values().get(STREAMS)).forEach((stream, state) ->
                p.streams.put(String.valueOf(stream), new LinkedHashMap<>(object(state))));
        return Optional.of(p);
    }

    /** A digest of {@code plan}'s parts (their {@code toString}), none of them a secret. */
    static String digest(List<?> plan) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(String.valueOf(plan)
                    .getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    boolean streamDone(String stream) {
        return Boolean.TRUE.equals(state(stream).get("done"));
    }

    boolean partitionDone(String stream, String partition) {
        return state(stream).get("partitions") instanceof List<?> done && done.contains(partition);
    }

    /** Where the partition's next page starts: the saved checkpoint, or the start. */
    Checkpoint checkpoint(String stream, String partition) {
        Map<String, Object> s = state(stream);
        return partition.equals(s.get("partition")) ? new Checkpoint(object(s.get("checkpoint"))) : Checkpoint.START;
    }

    /** The stream's figures when the position was saved; zero for a stream not begun. */
    StreamCounts counts(String stream) {
        return StreamCounts.of(object(state(stream).get("counts")));
    }

    /** The cursor's overlap identities when the position was saved; empty for a stream not begun. */
    List<String> kept(String stream) {
        List<String> out = new ArrayList<>();
        if (state(stream).get("kept") instanceof List<?> l) {
            l.forEach(k -> out.add(String.valueOf(k)));
        }
        return out;
    }

    /** The watermark the cursor had fixed when the position was saved, if it had. */
    Optional<Instant> watermark(String stream) {
        return state(stream).get("watermark") instanceof String w ? Optional.of(Instant.parse(w)) : Optional.empty();
    }

    /** Whether anything of {@code stream} was saved: it resumes rather than starts. */
    boolean begun(String stream) {
        return streams.containsKey(stream);
    }

    /** After a page of {@code partition} whose next page starts at {@code next}. */
    void page(String stream, String partition, Checkpoint next, StreamCounts counts, DeltaCursor cursor) {
        Map<String, Object> s = update(stream, counts, cursor);
        s.put("partition", partition);
        s.put("checkpoint", next.values());
    }

    /** After the last page of {@code partition}. */
    void partitionDone(String stream, String partition, StreamCounts counts, DeltaCursor cursor) {
        Map<String, Object> s = update(stream, counts, cursor);
        List<Object> done = new ArrayList<>(s.get("partitions") instanceof List<?> l ? l : List.of());
        done.add(partition);
        s.put("partitions", done);
        s.remove("partition");
        s.remove("checkpoint");
    }

    /** After the last partition of {@code stream}. */
    void streamDone(String stream, StreamCounts counts, DeltaCursor cursor) {
        update(stream, counts, cursor).put("done", true);
    }

    /** The position as the plain values a sink stores. */
    Checkpoint values() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(DIGEST, digest);
        Map<String, Object> s = new LinkedHashMap<>();
        streams.forEach((stream, state) -> s.put(stream, new LinkedHashMap<>(state)));
        v.put(STREAMS, s);
        return new Checkpoint(v);
    }

    private Map<String, Object> update(String stream, StreamCounts counts, DeltaCursor cursor) {
        Map<String, Object> s = streams.computeIfAbsent(stream, k -> new LinkedHashMap<>());
        s.put("counts", counts.values());
        s.put("kept", cursor.kept());
        cursor.watermark().ifPresent(w -> s.put("watermark", w.toString()));
        return s;
    }

    /** A saved JSON object as a map; an absent one as empty. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private Map<String, Object> state(String stream) {
        return streams.getOrDefault(stream, Map.of());
    }
}
