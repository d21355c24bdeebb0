package org.connectorsdk.testkit;

import static java.util.Objects.requireNonNull;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A bad answer a {@link FixtureServer} can give instead of the recorded one, for
 * {@link FixtureServer#failNext}: the statuses a vendor API returns when things go wrong, a
 * reset connection, a slow answer, truncated JSON and an HTML page where JSON was expected.
 */
public final class Fault {
    private final String description;
    private final Supplier<ResponseDefinitionBuilder> response;

    private Fault(String description, Supplier<ResponseDefinitionBuilder> response) {
        this.description = description;
        this.response = response;
    }

    /** HTTP 401 with a JSON error body: the credentials were rejected. */
    public static Fault unauthorized() {
        return status(401, "{\"error\":\"unauthorized\",\"message\":\"The API key is invalid\"}");
    }

    /** HTTP 403 with a JSON error body: the credentials lack a permission. */
    public static Fault forbidden() {
        return status(403, "{\"error\":\"forbidden\",\"message\":\"Insufficient permissions\"}");
    }

    /** HTTP 429 with {@code Retry-After} in whole seconds (at least 1). */
    public static Fault tooManyRequests(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new Fault("429 with Retry-After: " + seconds, () -> json(429,
                "{\"error\":\"too_many_requests\",\"message\":\"Rate limit exceeded\"}")
                .withHeader("Retry-After", Long.toString(seconds)));
    }

    /** HTTP 500 with a JSON error body. */
    public static Fault serverError() {
        return status(500, "{\"error\":\"internal_error\",\"message\":\"Internal server error\"}");
    }

    /** HTTP 503 with a JSON error body. */
    public static Fault serviceUnavailable() {
        return status(503, "{\"error\":\"unavailable\",\"message\":\"Service temporarily unavailable\"}");
    }

    /** The connection is reset before any response. */
    public static Fault connectionReset() {
        return new Fault("connection reset", () -> WireMock.aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER));
    }

    /** HTTP 200 with an empty JSON object, after {@code delay} (long enough to trip a timeout). */
    public static Fault slow(Duration delay) {
        return slow(delay, "{}");
    }

    /** HTTP 200 with {@code jsonBody}, after {@code delay}. */
    public static Fault slow(Duration delay, String jsonBody) {
        requireNonNull(delay, "delay is null");
        return new Fault("slow answer after " + delay.toMillis() + " ms",
                () -> json(200, jsonBody).withFixedDelay((int) delay.toMillis()));
    }

    /** HTTP 200 whose JSON body stops mid-value. */
    public static Fault truncatedJson() {
        return new Fault("truncated JSON", () -> json(200, "{\"data\":[{\"id\":\"tr"));
    }

    /** HTTP 200 with an HTML page (a proxy's or portal's login page) where JSON was expected. */
    public static Fault htmlPage() {
        return new Fault("HTML page", () -> WireMock.aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("<!DOCTYPE html><html><head><title>Sign in</title></head>"
                        + "<body><form action=\"/login\"><input name=\"user\"></form></body></html>"));
    }

    /** Any status with a JSON body. */
    public static Fault status(int status, String jsonBody) {
        return new Fault("HTTP " + status, () -> json(status, jsonBody));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return WireMock.aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(requireNonNull(body, "body is null"));
    }

    ResponseDefinitionBuilder response() {
        return response.get();
    }

    @Override
    public String toString() {
        return description;
    }
}
