package org.connectorsdk.cortexxdr.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * One misbehaviour the simulated tenant shows on request, placed by a {@link FaultPlan} on a path
 * and request numbers (the testkit's {@code Fault} is the other kind: a bad answer of a WireMock
 * fixture server). Faults either replace the answer (an error status, a reset, an HTML page) or
 * change the answer the tenant would have given (a lying {@code total_count}, a truncated body, a
 * repeated page); any of them can come late with {@link #withDelay(Duration)}.
 *
 * <pre>{@code
 * simulator.faults().onPath("/public_api/v1/endpoints/get_endpoint")
 *         .requests(7, 9).respond(TenantFault.status(503))
 *         .onPath("/public_api/v1/endpoints/get_endpoint")
 *         .request(12).respond(TenantFault.tooManyRequests(2));
 * }</pre>
 */
public final class TenantFault {

    enum Kind {
        /** Answer {@link #status} with its usual body instead of the real answer. */
        STATUS,
        /** Answer a caller-given error envelope. */
        ENVELOPE,
        /** The real answer, only later. */
        DELAY_ONLY,
        /** Headers with the full length, half the body, then the connection closes. */
        CONNECTION_RESET,
        /** A complete HTTP message whose JSON body stops half way. */
        TRUNCATED_JSON,
        /** 200 with an HTML sign-in page. */
        HTML_LOGIN_PAGE,
        /** 200 with no body at all. */
        EMPTY_BODY,
        /** The real answer without {@code reply.total_count}. */
        TOTAL_COUNT_ABSENT,
        /** The real answer with {@code reply.total_count} set to {@link #number}. */
        TOTAL_COUNT_VALUE,
        /** The real answer with {@code reply.total_count} moved by {@link #number}. */
        TOTAL_COUNT_DELTA,
        /** The body this path answered last time, again. */
        REPEAT_PREVIOUS_PAGE,
        /** Headers and the body's first bytes, then nothing for {@link #number} ms, then the connection closes. */
        STALLED_BODY
    }

    final Kind kind;
    final int status;
    final String errMsg;
    final Object errExtra;
    final long number;
    final Duration delay;
    final String retryAfter;

    private TenantFault(Kind kind, int status, String errMsg, Object errExtra, long number, Duration delay,
            String retryAfter) {
        this.kind = kind;
        this.status = status;
        this.errMsg = errMsg;
        this.errExtra = errExtra;
        this.number = number;
        this.delay = delay;
        this.retryAfter = retryAfter;
    }

    private static TenantFault of(Kind kind) {
        return new TenantFault(kind, 0, null, null, 0, Duration.ZERO, null);
    }

    /**
     * The given HTTP status with the body the real service sends for it: the error envelope for
     * 400, 401 (exactly the recorded one), 402, 403, 404, 429 and 500 (a transient-looking
     * {@code err_extra}); a proxy's HTML page for 502, 503 and 504.
     */
    public static TenantFault status(int httpStatus) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("TenantFault status must be an HTTP error status (400..599), got "
                    + httpStatus);
        }
        return new TenantFault(Kind.STATUS, httpStatus, null, null, 0, Duration.ZERO, null);
    }

    /** 401 with {@code {"reply": {"err_code": 401, "err_msg": "Public API request unauthorized", "err_extra": null}}}. */
    public static TenantFault unauthorized() {
        return status(401);
    }

    /** 402: the licence does not cover the API. */
    public static TenantFault paymentRequired() {
        return status(402);
    }

    /** 403: the key's role lacks permission. */
    public static TenantFault forbidden() {
        return status(403);
    }

    /** 429 without {@code Retry-After}. */
    public static TenantFault tooManyRequests() {
        return status(429);
    }

    /** 429 with {@code Retry-After: <seconds>}. */
    public static TenantFault tooManyRequests(int retryAfterSeconds) {
        return status(429).withRetryAfter(retryAfterSeconds);
    }

    /** 500 whose {@code err_extra} reads like a passing server fault (worth a retry). */
    public static TenantFault transientServerError() {
        return status(500);
    }

    /**
     * 500 whose {@code err_extra} says the request itself cannot succeed (the API uses 500 for
     * business errors too), e.g. {@code "Incident not found"}. {@code errExtra} may be a string, a
     * map or null.
     */
    public static TenantFault serverError(Object errExtra) {
        return envelope(500, Replies.SERVER_ERROR_MSG, errExtra);
    }

    /** Any status with a caller-worded error envelope. */
    public static TenantFault envelope(int httpStatus, String errMsg, Object errExtra) {
        Objects.requireNonNull(errMsg, "errMsg is null");
        return new TenantFault(Kind.ENVELOPE, httpStatus, errMsg, errExtra, 0, Duration.ZERO, null);
    }

    /** 502 from the proxy in front of the API. */
    public static TenantFault badGateway() {
        return status(502);
    }

    /** 503 from the proxy in front of the API. */
    public static TenantFault serviceUnavailable() {
        return status(503);
    }

    /** 504 from the proxy in front of the API. */
    public static TenantFault gatewayTimeout() {
        return status(504);
    }

    /** The real answer, sent after {@code delay} (a slow reply; use it to trip request timeouts). */
    public static TenantFault delay(Duration delay) {
        return of(Kind.DELAY_ONLY).withDelay(delay);
    }

    /**
     * The connection dies mid-reply: the status line and a {@code Content-Length} for the full
     * body go out, then half the body, then the connection is closed. Clients see an EOF/reset
     * while reading the body.
     */
    public static TenantFault connectionReset() {
        return of(Kind.CONNECTION_RESET);
    }

    /**
     * The real answer starts (status line, headers, its first {@value #STALL_AFTER_BYTES} bytes or
     * half of a shorter body), then no byte comes for {@code stall} and the connection is dropped:
     * a stream that hangs, for testing the client's idle timeout.
     */
    public static TenantFault stalledBody(Duration stall) {
        if (stall.isNegative() || stall.isZero()) {
            throw new IllegalArgumentException("The stall must be positive: " + stall);
        }
        return new TenantFault(Kind.STALLED_BODY, 200, null, null, stall.toMillis(), Duration.ZERO, null);
    }

    /** How much of the body a {@link #stalledBody} sends before it stalls. */
    static final int STALL_AFTER_BYTES = 1024;

    /** 200 with a well-framed body holding only the first half of the JSON. */
    public static TenantFault truncatedJson() {
        return of(Kind.TRUNCATED_JSON);
    }

    /** 200, {@code Content-Type: text/html}, a sign-in page: what a wrong host or an SSO proxy answers. */
    public static TenantFault htmlLoginPage() {
        return of(Kind.HTML_LOGIN_PAGE);
    }

    /** 200 with an empty body. */
    public static TenantFault emptyBody() {
        return of(Kind.EMPTY_BODY);
    }

    /** The real page without {@code reply.total_count} (as in some recorded replies). */
    public static TenantFault totalCountAbsent() {
        return of(Kind.TOTAL_COUNT_ABSENT);
    }

    /** The real page claiming {@code reply.total_count = totalCount}. */
    public static TenantFault totalCount(long totalCount) {
        return new TenantFault(Kind.TOTAL_COUNT_VALUE, 0, null, null, totalCount, Duration.ZERO, null);
    }

    /** The real page with {@code reply.total_count} larger (positive delta) or smaller than the truth. */
    public static TenantFault totalCountOffBy(long delta) {
        return new TenantFault(Kind.TOTAL_COUNT_DELTA, 0, null, null, delta, Duration.ZERO, null);
    }

    /** Exactly the body this path answered the previous time (the real answer if there was none). */
    public static TenantFault repeatPreviousPage() {
        return of(Kind.REPEAT_PREVIOUS_PAGE);
    }

    /** This fault, sent after {@code delay}. */
    public TenantFault withDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay is null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("TenantFault delay must not be negative, got " + delay);
        }
        return new TenantFault(kind, status, errMsg, errExtra, number, delay, retryAfter);
    }

    /** This fault with {@code Retry-After: <seconds>}. */
    public TenantFault withRetryAfter(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("Retry-After seconds must not be negative, got " + seconds);
        }
        return withRetryAfterHeader(Integer.toString(seconds));
    }

    /** This fault with a literal {@code Retry-After} value, e.g. an HTTP date. */
    public TenantFault withRetryAfterHeader(String value) {
        Objects.requireNonNull(value, "value is null");
        return new TenantFault(kind, status, errMsg, errExtra, number, delay, value);
    }

    /** True when the fault answers instead of the tenant (the request is then not processed). */
    boolean replacesAnswer() {
        return switch (kind) {
            case STATUS, ENVELOPE, HTML_LOGIN_PAGE, EMPTY_BODY -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("TenantFault[").append(kind);
        if (status != 0) {
            text.append(' ').append(status);
        }
        if (kind == Kind.TOTAL_COUNT_VALUE || kind == Kind.TOTAL_COUNT_DELTA) {
            text.append(' ').append(number);
        }
        if (!delay.isZero()) {
            text.append(" after ").append(delay);
        }
        if (retryAfter != null) {
            text.append(" Retry-After ").append(retryAfter);
        }
        return text.append(']').toString();
    }
}
