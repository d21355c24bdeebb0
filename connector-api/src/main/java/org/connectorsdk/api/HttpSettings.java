package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How a plugin wants its transport: the request budget it shares, extra trust, authentication
 * and which responses are worth retrying. Build with {@link #builder(String)}.
 *
 * @param rateLimitKey          who configured {@code maxRequestsPerSecond} (use the tenant's
 *                              base URL and key id); the runtime keeps one budget per tenant
 *                              (scheme, host and port of the requests), at the lowest rate
 *                              any key sending to it configured
 * @param maxRequestsPerSecond  the most requests per second this key wants the tenant to see
 * @param caCertificatePem      an extra trusted CA (PEM), on top of the JDK's trust store
 * @param authenticator         fresh authentication headers for every attempt, retries included
 * @param sensitiveHeaders      header names whose values never appear in logs or messages
 * @param transientServerError  which HTTP 500 responses are worth retrying (429, 502, 503 and
 *                              504 always are; 400, 401, 402, 403, 404 never)
 * @param connectTimeout        TCP and TLS connect timeout
 * @param requestTimeout        whole-response timeout of one buffered attempt; for a streamed body
 *                              ({@link HttpTransport#open}), the longest wait for its next byte
 * @param maxRetries            retries per request
 */
public record HttpSettings(
        String rateLimitKey,
        double maxRequestsPerSecond,
        Optional<String> caCertificatePem,
        Supplier<Map<String, String>> authenticator,
        Set<String> sensitiveHeaders,
        Predicate<HttpTransport.Response> transientServerError,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxRetries) {

    public HttpSettings {
        requireNonNull(rateLimitKey, "rateLimitKey is null");
        if (!(maxRequestsPerSecond > 0)) {
            throw new IllegalArgumentException("maxRequestsPerSecond must be positive, got " + maxRequestsPerSecond);
        }
        requireNonNull(caCertificatePem, "caCertificatePem is null");
        requireNonNull(authenticator, "authenticator is null");
        sensitiveHeaders = Set.copyOf(requireNonNull(sensitiveHeaders, "sensitiveHeaders is null"));
        requireNonNull(transientServerError, "transientServerError is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries
                    + " (0 sends each request once, without retries)");
        }
    }

    public static Builder builder(String rateLimitKey) {
        return new Builder(rateLimitKey);
    }

    /** Fluent construction with safe defaults: 5 requests/s, 10 s connect, 60 s request, 5 retries. */
    public static final class Builder {
        private final String rateLimitKey;
        private double maxRequestsPerSecond = 5;
        private String caCertificatePem;
        private Supplier<Map<String, String>> authenticator = Map::of;
        private Set<String> sensitiveHeaders = Set.of("Authorization");
        private Predicate<HttpTransport.Response> transientServerError = r -> true;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxRetries = 5;

        private Builder(String rateLimitKey) {
            this.rateLimitKey = rateLimitKey;
        }

        public Builder maxRequestsPerSecond(double value) {
            this.maxRequestsPerSecond = value;
            return this;
        }

        public Builder caCertificatePem(String pem) {
            this.caCertificatePem = pem;
            return this;
        }

        public Builder authenticator(Supplier<Map<String, String>> authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        public Builder sensitiveHeaders(Set<String> names) {
            this.sensitiveHeaders = names;
            return this;
        }

        public Builder transientServerError(Predicate<HttpTransport.Response> predicate) {
            this.transientServerError = predicate;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder maxRetries(int retries) {
            this.maxRetries = retries;
            return this;
        }

        public HttpSettings build() {
            return new HttpSettings(rateLimitKey, maxRequestsPerSecond, Optional.ofNullable(caCertificatePem),
                    authenticator, sensitiveHeaders, transientServerError, connectTimeout, requestTimeout,
                    maxRetries);
        }
    }
}
