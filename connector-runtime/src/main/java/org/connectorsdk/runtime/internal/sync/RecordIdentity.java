package org.connectorsdk.runtime.internal.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.connectorsdk.api.StreamSpec;

/**
 * The identity every target record carries in {@code _meta}: instance, stream, key (the source
 * record's primary-key values) and version: its cursor value in a time-tracked stream, else a
 * SHA-256 digest of the target record's content (the same content always has the same version),
 * so a downstream can de-duplicate on the four.
 */
final class RecordIdentity {
    private final String instance;
    private final StreamSpec stream;

    RecordIdentity(String instance, StreamSpec stream) {
        this.instance = instance;
        this.stream = stream;
    }

    /** {@code target} with its identity added to a copy of its {@code _meta}. */
    Map<String, Object> stamp(Map<String, Object> source, Map<String, Object> target) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (target.get("_meta") instanceof Map<?, ?> engine) {
            engine.forEach((k, v) -> meta.put(String.valueOf(k), v));
        }
        meta.put("instance", instance);
        meta.put("stream", stream.name());
        meta.put("key", key(source));
        meta.put("version", version(source, target));
        Map<String, Object> out = new LinkedHashMap<>(target);
        out.put("_meta", meta);
        return out;
    }

    List<Object> key(Map<String, Object> source) {
        List<Object> key = new ArrayList<>(stream.primaryKey().size());
        for (String field : stream.primaryKey()) {
            key.add(DeltaCursor.path(source, field));
        }
        return key;
    }

    private String version(Map<String, Object> source, Map<String, Object> target) {
        Object cursor = stream.timeTracked() ? DeltaCursor.path(source, stream.cursorField().get()) : null;
        if (cursor != null) {
            return String.valueOf(cursor);
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
        Map<String, Object> content = new TreeMap<>(target);
        content.remove("_meta");
        digest(sha, content);
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    /** Feeds {@code value} in a canonical form: map keys sorted, every value tagged with its kind. */
    private static void digest(MessageDigest sha, Object value) {
        if (value instanceof Map<?, ?> m) {
            sha.update((byte) '{');
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            sorted.forEach((k, v) -> {
                text(sha, k);
                digest(sha, v);
            });
            sha.update((byte) '}');
        } else if (value instanceof List<?> l) {
            sha.update((byte) '[');
            l.forEach(v -> digest(sha, v));
            sha.update((byte) ']');
        } else if (value == null) {
            sha.update((byte) 'n');
        } else {
            sha.update((byte) (value instanceof String ? 's' : value instanceof Boolean ? 'b' : '#'));
            text(sha, String.valueOf(value));
        }
    }

    private static void text(MessageDigest sha, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update((byte) (bytes.length >>> 24));
        sha.update((byte) (bytes.length >>> 16));
        sha.update((byte) (bytes.length >>> 8));
        sha.update((byte) bytes.length);
        sha.update(bytes);
    }
}
