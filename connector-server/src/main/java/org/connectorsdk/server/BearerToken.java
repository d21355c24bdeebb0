package org.connectorsdk.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.connectorsdk.api.ErrorKind;

import io.javalin.http.Context;

/**
 * The one token every API path and {@code /metrics} require as {@code Authorization: Bearer}.
 * Compared in constant time over digests, so neither its content nor its length leaks through
 * timing; never printed.
 */
final class BearerToken {
    private static final String PREFIX = "Bearer ";
    private final byte[] digest;

    BearerToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the API token is empty");
        }
        this.digest = sha256(token.strip());
    }

    /** Refuses {@code ctx} with 401 unless it carries the token. */
    void require(Context ctx) {
        String header = ctx.header("Authorization");
        boolean valid = header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                && MessageDigest.isEqual(digest, sha256(header.substring(PREFIX.length()).strip()));
        if (!valid) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiError(401, ErrorKind.AUTHENTICATION, header == null
                    ? "The request has no Authorization header" : "The request's bearer token is not valid",
                    "Send 'Authorization: Bearer <token>' with the token from the server's --token-file");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[hidden]";
    }
}
