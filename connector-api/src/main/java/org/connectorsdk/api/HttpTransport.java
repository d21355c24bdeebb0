package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime's HTTP client as a plugin sees it: rate limited, retried with backoff on
 * transient failures, trusting the JDK's CAs plus the configured one, never following
 * redirects, and redacting credentials from every log line and message.
 */
public interface HttpTransport {

    /**
     * Sends {@code request}, retrying transient failures. Returns the final response whatever
     * its status (the plugin maps vendor errors); throws only when no response came.
     *
     * @throws ConnectorException of kind {@link ErrorKind#UNREACHABLE}, {@link ErrorKind#TLS},
     *                            {@link ErrorKind#TRANSIENT} (timeouts, resets past the budget)
     *                            or {@link ErrorKind#CANCELLED}
     */
    Response send(Request request);

    /**
     * Sends {@code request} and hands the body over as a stream, for large downloads. Retries
     * apply until the response headers arrive; the caller closes the stream.
     */
    StreamingResponse open(Request request);

    /** Resolves the host of {@code uri} and opens a TCP connection to its port. */
    ProbeResult probeTcp(URI uri, Duration timeout);

    /** Performs a verified TLS handshake with the host of {@code uri}. */
    ProbeResult probeTls(URI uri, Duration timeout);

    /**
     * Parses {@code response}'s body as JSON into plain values (maps, lists, strings, numbers,
     * booleans, nulls). The runtime's transport implements it; a test double that does not
     * answers {@link ErrorKind#INTERNAL}.
     *
     * @throws ConnectorException of kind {@link ErrorKind#BAD_RESPONSE} when the body is not
     *                            JSON (an HTML login page, a truncated body), naming the content
     *                            type and size
     */
    default JsonReply parseJson(Response response) {
        throw new ConnectorException(ErrorKind.INTERNAL, "The HTTP transport " + getClass().getName()
                + " cannot parse JSON", "Use the transport the runtime lends through ConnectorContext.http(...)");
    }

    /**
     * Sends {@code request} and parses the JSON body of a successful (2xx) reply; any other
     * status becomes the exception {@code errors} makes of it.
     *
     * @throws ConnectorException as {@link #send}, {@link HttpStatusErrors#requireSuccess} and
     *                            {@link #parseJson} throw
     */
    default JsonReply getJson(Request request, HttpStatusErrors errors) {
        return parseJson(errors.requireSuccess(request, send(request)));
    }

    /**
     * One HTTP request. Authentication headers come from {@link HttpSettings#authenticator()}.
     *
     * @param method  e.g. {@code POST}
     * @param uri     absolute URI on the configured host
     * @param headers extra headers
     * @param body    the body, empty for none
     */
    record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
        public Request {
            requireNonNull(method, "method is null");
            requireNonNull(uri, "uri is null");
            headers = Map.copyOf(requireNonNull(headers, "headers is null"));
            requireNonNull(body, "body is null");
        }

        /** A JSON POST. */
        public static Request postJson(URI uri, String json) {
            return new Request("POST", uri, Map.of("Content-Type", "application/json", "Accept", "application/json"),
                    json.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * A GET of {@code uri} accepting JSON, to which query parameters are added encoded:
         *
         * <pre>{@code
         * Request.get(URI.create(baseUrl + "/v2/findings"))
         *         .query("updated_since", window.from())
         *         .queryIfPresent("cursor", checkpoint.get("cursor"))
         *         .build();
         * }</pre>
         */
        public static Builder get(URI uri) {
            return new Builder("GET", uri);
        }

        /** What the request does, without query or credentials: {@code GET https://host/path}. */
        public String describe() {
            return method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
        }

        /** Builds a bodiless request; query names and values are percent-encoded (RFC 3986). */
        public static final class Builder {
            private final String method;
            private final URI uri;
            private final StringBuilder query = new StringBuilder();
            private final Map<String, String> headers = new LinkedHashMap<>();

            private Builder(String method, URI uri) {
                this.method = method;
                this.uri = requireNonNull(uri, "uri is null");
                if (uri.getRawQuery() != null) {
                    query.append(uri.getRawQuery());
                }
                headers.put("Accept", "application/json");
            }

            /** Adds {@code name=value}, with the value's {@code toString()} (an {@code Instant} as ISO-8601). */
            public Builder query(String name, Object value) {
                requireNonNull(name, "name is null");
                requireNonNull(value, () -> "value of query parameter '" + name + "' is null");
                query.append(query.length() == 0 ? "" : "&").append(encode(name)).append('=')
                        .append(encode(value.toString()));
                return this;
            }

            /** Adds {@code name=value} when {@code value} is present; nothing otherwise. */
            public Builder queryIfPresent(String name, Optional<?> value) {
                requireNonNull(value, "value is null").ifPresent(v -> query(name, v));
                return this;
            }

            /** Sets a header (authentication headers come from the settings' authenticator). */
            public Builder header(String name, String value) {
                headers.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
                return this;
            }

            public Request build() {
                String base = uri.toString();
                int cut = base.indexOf('?');
                String path = cut < 0 ? base : base.substring(0, cut);
                return new Request(method, URI.create(query.length() == 0 ? path : path + "?" + query), headers,
                        new byte[0]);
            }

            private static String encode(String text) {
                StringBuilder out = new StringBuilder();
                for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                    int c = b & 0xff;
                    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                        out.append((char) c);
                    } else {
                        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    }
                }
                return out.toString();
            }

            private static final char[] HEX = "0123456789ABCDEF".toCharArray();
        }
    }

    /**
     * A complete response.
     *
     * @param status  the HTTP status
     * @param headers header names in lower case
     * @param body    the decoded (un-gzipped) body
     */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public Response {
            headers = Map.copyOf(requireNonNull(headers, "headers is null"));
            requireNonNull(body, "body is null");
        }

        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        public String contentType() {
            return header("content-type").orElse("");
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    /** A response whose body is read as it arrives. */
    interface StreamingResponse extends AutoCloseable {
        int status();

        Optional<String> header(String name);

        InputStream body();

        @Override
        void close();
    }
}
