package org.connectorsdk.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.connectorsdk.api.ErrorKind;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.http.Context;

/** Request bodies in, responses out: JSON objects of plain values, one mapper for the server. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private Json() {
    }

    /** The request body as text, refused when it is not one JSON object. */
    static String objectText(Context ctx) {
        String text = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
        object(text);
        return text;
    }

    /** The request body as a JSON object. */
    static Map<String, Object> object(Context ctx) {
        return object(new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8));
    }

    private static Map<String, Object> object(String text) {
        try {
            Map<String, Object> map = text.isBlank() ? null : MAPPER.readValue(text, OBJECT);
            if (map == null) {
                throw new ApiError(400, ErrorKind.CONFIGURATION, "The request body is empty; it must be a JSON object",
                        "Send a JSON object with Content-Type: application/json");
            }
            return map;
        } catch (JsonProcessingException e) {
            // the parser's own words name the position, never echo the body (it may hold a key)
            throw new ApiError(400, ErrorKind.CONFIGURATION, "The request body is not a valid JSON object at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(),
                    "Send a JSON object with Content-Type: application/json");
        }
    }

    static void write(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line of a JSON Lines stream, flushed so the client sees it now. */
    static void writeLine(Context ctx, Object line) {
        try {
            var out = ctx.outputStream();
            out.write(MAPPER.writeValueAsBytes(line));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
