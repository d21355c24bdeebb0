package org.connectorsdk.server;

import java.util.LinkedHashMap;
import java.util.Map;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

/**
 * A refused request: its HTTP status and the JSON body every error has, the SDK's kind, a
 * message and a remediation. Thrown by handlers; the server writes it.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, Object> body;

    ApiError(int status, ErrorKind kind, String message, String remediation) {
        this(status, body(kind, message, remediation));
    }

    private ApiError(int status, Map<String, Object> body) {
        super(String.valueOf(body.get("message")), null, false, false);
        this.status = status;
        this.body = body;
    }

    /** A failure the runtime reported, with the status its kind calls for. */
    static ApiError of(ConnectorException e) {
        return new ApiError(statusOf(e.kind()), body(e.kind(), e.getMessage(), e.remediation().orElse("")));
    }

    /** This error with more fields in its body, e.g. the check results of a refused instance. */
    ApiError with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(body);
        more.put(key, value);
        return new ApiError(status, more);
    }

    static ApiError notFound(String what, String remediation) {
        return new ApiError(404, ErrorKind.CONFIGURATION, what, remediation);
    }

    int status() {
        return status;
    }

    Map<String, Object> body() {
        return body;
    }

    private static int statusOf(ErrorKind kind) {
        return switch (kind) {
            case CONFIGURATION -> 400;
            case TRANSIENT, CANCELLED -> 409;
            case INTERNAL -> 500;
            // a connection check failed: the request was understood, the tenant refused it
            default -> 422;
        };
    }

    private static Map<String, Object> body(ErrorKind kind, String message, String remediation) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind.name());
        body.put("message", message);
        body.put("remediation", remediation);
        return body;
    }
}
