package org.connectorsdk.cortexxdr.simulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The vendor's reply shapes and error wording in one place.
 *
 * <p>The 401 envelope and the 500 {@code err_msg} are copied from recorded replies (see the shared
 * fixtures); the 400, 402, 403 and 429 wordings follow the same envelope but no public recording
 * pins their text.
 */
final class Replies {

    static final String UNAUTHORIZED_MSG = "Public API request unauthorized";
    static final String SERVER_ERROR_MSG = "An error occurred while processing XDR public API";
    static final String BAD_REQUEST_MSG = "Bad Request";
    static final String FORBIDDEN_MSG = "Public API request forbidden";
    static final String PAYMENT_REQUIRED_MSG = "Public API request is not covered by the license";
    static final String TOO_MANY_REQUESTS_MSG = "Too many requests";
    static final String TRANSIENT_EXTRA = "Internal error while processing the request, please try again later";

    private Replies() {
    }

    /** {@code {"reply": {"err_code": .., "err_msg": .., "err_extra": ..}}}, keys in that order. */
    static Map<String, Object> envelope(int code, String msg, Object extra) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("err_code", code);
        inner.put("err_msg", msg);
        inner.put("err_extra", extra);
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("reply", inner);
        return outer;
    }

    static Reply unauthorized() {
        return Reply.json(401, envelope(401, UNAUTHORIZED_MSG, null));
    }

    static Reply forbidden(String path) {
        return Reply.json(403, envelope(403, FORBIDDEN_MSG,
                "The role of this API key does not have permission to call " + path));
    }

    static Reply paymentRequired(String path) {
        return Reply.json(402, envelope(402, PAYMENT_REQUIRED_MSG,
                "The tenant's license does not include access to " + path));
    }

    static Reply licenceServerError(String path) {
        return Reply.json(500, envelope(500, SERVER_ERROR_MSG,
                "Your license does not allow access to " + path
                        + ": the Host Insights add-on is required for this query"));
    }

    static Reply tooManyRequests() {
        return Reply.json(429, envelope(429, TOO_MANY_REQUESTS_MSG,
                "Rate limit exceeded: too many requests per second for this tenant"));
    }

    /** What a reverse proxy in front of the API sends for 502/503/504: HTML, not the envelope. */
    static Reply gatewayPage(int status) {
        String title = status + " " + switch (status) {
            case 502 -> "Bad Gateway";
            case 503 -> "Service Temporarily Unavailable";
            case 504 -> "Gateway Time-out";
            default -> "Error";
        };
        String html = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>"
                + title + "</h1></center>\r\n</body>\r\n</html>\r\n";
        return Reply.raw(status, "text/html", html.getBytes(StandardCharsets.UTF_8));
    }

    /** A single sign-on page as served with 200 by a proxy or a wrong host: HTML where JSON was due. */
    static Reply htmlLoginPage() {
        String html = """
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Sign In | Cortex</title></head>
                <body>
                <form method="post" action="/login">
                <h1>Sign in to your account</h1>
                <label>Email <input type="email" name="username"></label>
                <label>Password <input type="password" name="password"></label>
                <button type="submit">Sign In</button>
                </form>
                </body>
                </html>
                """;
        return Reply.raw(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    static Reply forStatus(int status) {
        return switch (status) {
            case 400 -> Reply.json(400, envelope(400, BAD_REQUEST_MSG, null));
            case 401 -> unauthorized();
            case 402 -> Reply.json(402, envelope(402, PAYMENT_REQUIRED_MSG,
                    "The tenant's license does not include access to this API"));
            case 403 -> Reply.json(403, envelope(403, FORBIDDEN_MSG,
                    "The role of this API key does not have permission to call this API"));
            case 404 -> Reply.json(404, envelope(404, "Not Found", null));
            case 429 -> tooManyRequests();
            case 500 -> Reply.json(500, envelope(500, SERVER_ERROR_MSG, TRANSIENT_EXTRA));
            case 502, 503, 504 -> gatewayPage(status);
            default -> Reply.json(status, envelope(status, "HTTP " + status, null));
        };
    }
}
