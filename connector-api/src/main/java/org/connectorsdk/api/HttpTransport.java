package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
