package org.connectorsdk.cortexxdr;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpTransport.Response;

/**
 * Turns Cortex XDR error replies into {@link ConnectorException}s. The vendor's envelope is
 * {@code {"reply": {"err_code", "err_msg", "err_extra"}}}, sometimes without the {@code reply}
 * wrapper; {@code err_extra} is a string, an object or null. HTTP 500 carries both server faults
 * and business errors ("not found", a missing licence module, a bad filter), so its text decides
 * whether a retry can help.
 */
final class XdrErrors {
    /** Words with which an XQL refusal says the tenant lacks the XQL licence (Host Insights). */
    private static final Pattern XQL_LICENCE = Pattern.compile("licen[cs]e|host insights|add-on|entitle",
            Pattern.CASE_INSENSITIVE);
    /** Words with which an XQL refusal says the daily query quota is spent. */
    private static final Pattern XQL_QUOTA = Pattern.compile("quota", Pattern.CASE_INSENSITIVE);

    /** Words with which a 500 says the request itself is wrong, so retrying cannot help. */
    private static final Pattern BUSINESS = Pattern.compile(
            "not found|does not exist|doesn't exist|no such|licen[cs]e|not licensed|invalid|illegal|not supported"
                    + "|unsupported|already|not allowed|permission|forbidden|unauthori[sz]ed|must |missing|required"
                    + "|unknown field|unknown filter|bad request|malformed|cannot be|can't be|exceed|quota");

    private XdrErrors() {
    }

    /** The envelope of an error reply, if the body has one. */
    record Envelope(Optional<Integer> code, String message, Optional<String> extra) {
        /** "message: extra", as the vendor said it (sanitised, bounded). */
        String text() {
            return extra.map(e -> message.isEmpty() ? e : message + ": " + e).orElse(message);
        }
    }

    /** Reads the error envelope of {@code body}, with or without the {@code reply} wrapper. */
    static Optional<Envelope> envelope(byte[] body) {
        JsonNode root;
        try {
            root = CortexXdrJson.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        return envelope(root);
    }

    static Optional<Envelope> envelope(JsonNode root) {
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        JsonNode node = root.path("reply").isObject() && hasErrorKey(root.path("reply")) ? root.path("reply") : root;
        if (!hasErrorKey(node)) {
            return Optional.empty();
        }
        JsonNode code = node.path("err_code");
        Optional<Integer> c = code.canConvertToInt() || code.isTextual() && code.asText().matches("\\d{3}")
                ? Optional.of(code.asInt()) : Optional.empty();
        String msg = node.path("err_msg").isValueNode() ? sanitize(node.path("err_msg").asText(""), 300) : "";
        JsonNode extra = node.path("err_extra");
        Optional<String> x;
        if (extra.isMissingNode() || extra.isNull()) {
            x = Optional.empty();
        } else if (extra.isValueNode()) {
            x = Optional.of(sanitize(extra.asText(), 300)).filter(s -> !s.isBlank());
        } else {
            try {
                x = Optional.of(sanitize(CortexXdrJson.MAPPER.writeValueAsString(extra), 300));
            } catch (JsonProcessingException e) {
                x = Optional.empty();
            }
        }
        return Optional.of(new Envelope(c, msg, x));
    }

    private static boolean hasErrorKey(JsonNode node) {
        return node.has("err_code") || node.has("err_msg");
    }

    /**
     * Whether an HTTP 500 is worth retrying: yes unless its envelope says the request itself is
     * wrong. A 500 without an envelope (a proxy's page) is treated as a server fault.
     */
    static boolean isTransientServerError(Response response) {
        if (response.status() != 500) {
            return false;
        }
        return envelope(response.body()).map(e -> !isBusiness(e)).orElse(true);
    }

    private static boolean isBusiness(Envelope e) {
        return BUSINESS.matcher((e.message() + " " + e.extra().orElse("")).toLowerCase(Locale.ROOT)).find();
    }

    /**
     * The exception for a non-2xx response (or a 2xx whose body is an error envelope) to
     * {@code api}, e.g. {@code "get_endpoint"}.
     */
    static ConnectorException toException(String api, Response response) {
        Optional<Envelope> env = envelope(response.body());
        int status = response.status();
        if (status >= 200 && status < 300) {
            status = env.flatMap(Envelope::code).orElse(500);
        }
        String vendor = env.map(Envelope::text).filter(s -> !s.isBlank())
                .orElseGet(() -> "no error envelope; " + describeBody(response));
        String prefix = "Cortex XDR answered HTTP " + status + " to " + api + ": ";
        // HTTP 500 carries business errors too: only a server fault is worth a retry
        ErrorKind kind = status == 500 && !isTransientServerError(new Response(500, response.headers(), response.body()))
                ? ErrorKind.BAD_REQUEST : kindOf(status);
        return switch (kind) {
            case AUTHENTICATION -> new ConnectorException(kind, prefix + vendor, Remediation.AUTHENTICATION);
            case LICENSE -> new ConnectorException(kind,
                    prefix + vendor + " (the tenant's licence does not cover this API)", Remediation.license(api));
            case AUTHORIZATION -> new ConnectorException(kind,
                    prefix + vendor + " (the API key's role may not use " + api + ")", Remediation.authorization(api));
            case RATE_LIMITED -> new ConnectorException(kind, prefix + vendor, Remediation.RATE_LIMITED);
            case BAD_REQUEST -> new ConnectorException(kind, prefix + vendor, Remediation.badRequest(api));
            case TRANSIENT -> new ConnectorException(kind, prefix + vendor, Remediation.TRANSIENT);
            default -> new ConnectorException(kind, prefix + vendor, Remediation.BAD_RESPONSE);
        };
    }

    /**
     * The kind of error an HTTP status stands for, the one status vocabulary of every call:
     * 401 authentication, 402 licence, 403 authorization, 429 rate limited, 400 and 404 bad
     * request, 5xx transient, anything else a bad response.
     */
    static ErrorKind kindOf(int status) {
        return switch (status) {
            case 401 -> ErrorKind.AUTHENTICATION;
            case 402 -> ErrorKind.LICENSE;
            case 403 -> ErrorKind.AUTHORIZATION;
            case 429 -> ErrorKind.RATE_LIMITED;
            case 400, 404 -> ErrorKind.BAD_REQUEST;
            default -> status >= 500 ? ErrorKind.TRANSIENT : ErrorKind.BAD_RESPONSE;
        };
    }

    /**
     * The exception for an error reply (status and body) to the XQL call {@code path}: the
     * status vocabulary of {@link #kindOf(int)}, worded for XQL, after the two refusals only XQL
     * has: a tenant without the XQL licence (402, or a 500 naming it) and an exhausted daily quota.
     */
    static ConnectorException xqlRefusal(String path, int status, byte[] body) {
        String words = vendorWords(body);
        String said = " (HTTP " + status + ": " + words + ")";
        String subject = "Cortex XDR refused the XQL call " + path;
        if (status == 402 || status == 500 && XQL_LICENCE.matcher(words).find()) {
            return new ConnectorException(ErrorKind.LICENSE,
                    subject + ": the tenant is not licensed for XQL vulnerability data" + said, Remediation.XQL_LICENCE);
        }
        if (XQL_QUOTA.matcher(words).find()) {
            return new ConnectorException(ErrorKind.BAD_REQUEST,
                    subject + ": the tenant's daily XQL query quota is exhausted" + said, Remediation.XQL_QUOTA);
        }
        ErrorKind kind = kindOf(status);
        String detail = kind == ErrorKind.AUTHORIZATION ? ": the API key may not run XQL queries" : "";
        return new ConnectorException(kind, subject + detail + said, Remediation.xql(kind));
    }

    /**
     * What the vendor said in an error reply, for matching and for messages: "message (extra)"
     * from its envelope, the body itself when it has none, one line of at most 300 characters.
     */
    static String vendorWords(byte[] body) {
        String joined = envelope(body)
                .map(e -> e.extra().map(x -> e.message().isEmpty() ? x : e.message() + " (" + x + ")")
                        .orElse(e.message()))
                .filter(words -> !words.isEmpty())
                .orElseGet(() -> new String(body, StandardCharsets.UTF_8));
        return truncate(joined.isBlank() ? "no error message" : joined);
    }

    /** The exception for a reply that is not the JSON shape {@code api} promises. */
    static ConnectorException badResponse(String api, Response response, String expected) {
        return new ConnectorException(ErrorKind.BAD_RESPONSE,
                "Cortex XDR answered " + api + " with " + describeBody(response) + ", not " + expected,
                Remediation.BAD_RESPONSE);
    }

    /** "HTTP 200, content type text/html, body starts with '<html>...'": what came back. */
    static String describeBody(Response response) {
        String type = response.contentType().isBlank() ? "no content type" : "content type " + sanitize(
                response.contentType(), 80);
        if (response.body().length == 0) {
            return "HTTP " + response.status() + ", " + type + ", empty body";
        }
        int n = Math.min(response.body().length, 80);
        String head = sanitize(new String(response.body(), 0, n, StandardCharsets.UTF_8), 80);
        return "HTTP " + response.status() + ", " + type + ", body starts with '" + head + "'"
                + (response.body().length > n ? "..." : "");
    }

    /** {@code text} on one line, cut after 300 characters with "..." when longer. */
    static String truncate(String text) {
        String oneLine = sanitize(text, Integer.MAX_VALUE);
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }

    /** Control characters become spaces, runs of white space one space, length bounded. */
    static String sanitize(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        boolean space = false;
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || c == '\uFFFD') {
                if (!space && b.length() > 0) {
                    b.append(' ');
                }
                space = true;
            } else {
                b.append(c);
                space = false;
            }
        }
        return b.toString().strip();
    }
}
