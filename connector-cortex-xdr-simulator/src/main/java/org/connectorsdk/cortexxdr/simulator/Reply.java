package org.connectorsdk.cortexxdr.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of the simulator before it goes on the wire: a status, headers, and a body that is
 * a JSON tree (plain maps and lists, serialized late so faults can still change it), raw bytes,
 * or a writer that streams a body too large to hold.
 */
final class Reply {

    /** Streams a body straight onto the exchange. */
    @FunctionalInterface
    interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    final int status;
    final String contentType;
    final Map<String, String> headers = new LinkedHashMap<>();
    final Object json;
    final byte[] bytes;
    final BodyWriter writer;

    private Reply(int status, String contentType, Object json, byte[] bytes, BodyWriter writer) {
        this.status = status;
        this.contentType = contentType;
        this.json = json;
        this.bytes = bytes;
        this.writer = writer;
    }

    static Reply json(int status, Object tree) {
        return new Reply(status, "application/json", tree, null, null);
    }

    static Reply raw(int status, String contentType, byte[] body) {
        return new Reply(status, contentType, null, body, null);
    }

    static Reply stream(String contentType, BodyWriter writer) {
        return new Reply(200, contentType, null, null, writer);
    }

    Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
