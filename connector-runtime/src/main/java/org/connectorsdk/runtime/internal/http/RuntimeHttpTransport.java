package org.connectorsdk.runtime.internal.http;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.JsonReply;
import org.connectorsdk.api.Metrics;
import org.connectorsdk.api.ProbeResult;
import org.connectorsdk.runtime.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's {@link HttpTransport}: one shared {@link HttpClient} per trust configuration,
 * rate limited per tenant (the {@link Origin} of each request), retrying transient failures with
 * capped exponential backoff and full jitter, and keeping secrets out of every log line,
 * message and metric.
 *
 * <ul>
 *   <li>Only {@code https} URIs are accepted. Plain {@code http} is allowed to a loopback host
 *       ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) alone, so tests can run against a
 *       local server; no remote host ever receives a credential in clear text.</li>
 *   <li>Redirects are never followed: a 3xx is a {@link ErrorKind#BAD_RESPONSE} naming the
 *       location, so the credentials never travel to a host other than the configured one.</li>
 *   <li>Retried: 429, 502, 503, 504, 500s the settings classify as transient, resets, refusals
 *       and timeouts, whatever the method (vendor read APIs such as Cortex XDR's use POST).
 *       Never retried: any other status, which goes back to the caller.
 *       {@code Retry-After} (seconds, or an HTTP date counted from the reply's own {@code Date})
 *       replaces the backoff when present. A 429
 *       pauses and slows every request to the tenant, not only this one ({@link RateLimiter}),
 *       and its retry waits out that pause.</li>
 *   <li>Authentication headers are asked from {@link HttpSettings#authenticator()} for every
 *       attempt, so signed requests get a fresh nonce and timestamp on each retry.</li>
 *   <li>{@link HttpSettings#requestTimeout()} bounds a buffered exchange as a whole and, for a
 *       streamed body ({@link #open}), every wait for its next byte: a stalled stream fails the
 *       read with an {@link java.net.http.HttpTimeoutException} instead of hanging.</li>
 *   <li>Every reply's {@code Date} header feeds the tenant's clock estimate, through the run's
 *       {@link VendorClock}.</li>
 *   <li>Metrics: {@code http.requests} (attempts), {@code http.bytes} (response body bytes as
 *       received), {@code http.retries}, {@code http.retryWaitMillis},
 *       {@code http.rateLimitWaitMillis}, {@code http.throttled} (429s received) and
 *       {@value SettledRate#COUNTER} (the tenant's rate when the run last sent).</li>
 * </ul>
 */
final class RuntimeHttpTransport implements HttpTransport {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeHttpTransport.class);

    static final Duration BASE_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A longer Retry-After is not waited for: the response goes back to the caller instead. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    /** The largest body {@link #send} holds in memory; larger downloads use {@link #open}. */
    static final long MAX_BODY_BYTES = 64L * 1024 * 1024;
    /** How often a waiting request looks at the cancellation signal. */
    private static final Duration POLL = Duration.ofMillis(50);
    /** Longest single sleep while waiting, so a cancellation is noticed quickly. */
    private static final Duration SLEEP_SLICE = Duration.ofMillis(200);

    private static final Set<String> NEVER_SET = Set.of("accept-encoding", "content-length", "host", "connection");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final HttpClient client;
    private final SSLContext sslContext;
    private final HttpSettings settings;
    private final Redactor redactor;
    private final CancellationSignal cancellation;
    private final Metrics metrics;
    private final Function<URI, RateLimiter> tenants;
    private final VendorClock vendorClock;
    private final RetryBudget runBudget;
    private final SettledRate settledRate;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Random random;
    private final Set<String> sensitiveHeaders;

    RuntimeHttpTransport(HttpClient client, SSLContext sslContext, HttpSettings settings, Redactor redactor,
            CancellationSignal cancellation, Metrics metrics, Function<URI, RateLimiter> tenants,
            VendorClock vendorClock, RetryBudget runBudget, SettledRate settledRate, Clock clock, Sleeper sleeper,
            Random random) {
        this.client = requireNonNull(client, "client is null");
        this.sslContext = requireNonNull(sslContext, "sslContext is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.cancellation = requireNonNull(cancellation, "cancellation is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
        this.vendorClock = requireNonNull(vendorClock, "vendorClock is null");
        this.runBudget = requireNonNull(runBudget, "runBudget is null");
        this.settledRate = requireNonNull(settledRate, "settledRate is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.random = requireNonNull(random, "random is null");
        this.sensitiveHeaders = settings.sensitiveHeaders().stream().map(h -> h.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    // ---------------------------------------------------------------- requests

    @Override
    public Response send(Request request) {
        HttpResponse<byte[]> raw = exchange(request, () -> new CappedBodySubscriber(MAX_BODY_BYTES), r -> { });
        return toResponse(request, raw);
    }

    @Override
    public StreamingResponse open(Request request) {
        String target = describe(request);
        // the JDK's timeout covers the headers only: every wait for the body's next byte gets it too
        HttpResponse<InputStream> raw = exchange(request,
                () -> new IdleTimeoutBodySubscriber(settings.requestTimeout(), target), r -> closeQuietly(r.body()));
        // a read blocked on a server that drips its body must end when the run is cancelled
        AutoCloseable hook = cancellation instanceof Cancellation c ? c.onCancel(() -> closeQuietly(raw.body())) : () -> { };
        InputStream body = new GuardedStream(raw.body(), target);
        if (isGzip(raw.headers())) {
            try {
                body = new GZIPInputStream(body);
            } catch (IOException e) {
                closeQuietly(body);
                closeQuietly(hook);
                throw new ConnectorException(ErrorKind.BAD_RESPONSE,
                        target + " answered with a body that claims gzip encoding but is not gzip ("
                                + redactor.apply(e.getMessage()) + ")",
                        "Check that the base URL points at the vendor's API and not at a proxy or web page");
            }
        }
        return new OpenResponse(raw.statusCode(), lowerCaseHeaders(raw.headers(), isGzip(raw.headers())), body, hook);
    }

    /**
     * Sends until a final answer: a non-retryable status, a retryable one past the budget, or
     * an exception. {@code discard} releases the body of a response about to be retried.
     */
    private <T> HttpResponse<T> exchange(Request request, Supplier<HttpResponse.BodySubscriber<T>> body,
            Consumer<HttpResponse<T>> discard) {
        URI uri = checkUri(request.uri());
        String target = describe(request);
        RateLimiter tenant = tenants.apply(uri);
        int attempt = 0;
        while (true) {
            throwIfCancelled(target);
            waitForRateLimit(tenant, target);
            HttpRequest httpRequest = build(request, uri, target);
            long started = System.nanoTime();
            Instant sent = clock.instant();
            metrics.count("http.requests", 1);
            HttpResponse<T> response;
            try {
                response = await(client.sendAsync(httpRequest, info -> body.get()), target);
                vendorClock.observe(uri, response.headers().firstValue("date"), sent, clock.instant());
            } catch (IOException e) {
                Failure failure = classify(e, uri, target);
                LOG.debug("{} failed after {} ms: {}", target, millisSince(started), failure.message());
                if (failure.retryable() && mayRetry(attempt, target)) {
                    retryAfterWait(target, failure.message(), attempt, backoff(attempt));
                    attempt++;
                    continue;
                }
                if (failure.retryable()) {
                    LOG.warn("Giving up on {} after {} attempt(s): {}", target, attempt + 1, failure.message());
                }
                throw failure.toException(redactedCause(e));
            }
            if (response.body() instanceof byte[] bytes) {
                metrics.count("http.bytes", bytes.length);
            }
            int status = response.statusCode();
            LOG.debug("{} -> {} in {} ms", target, status, millisSince(started));
            Optional<Duration> retryAfter = retryAfter(response.headers());
            if (status == 429) {
                metrics.count("http.throttled", 1);
                tenant.throttled(retryAfter.filter(wait -> wait.compareTo(MAX_RETRY_AFTER) <= 0));
            }
            settledRate.report(metrics, tenant.rate());
            if (status >= 300 && status < 400) {
                discard.accept(response);
                throw redirect(target, status, response.headers());
            }
            if (!isRetryableStatus(status, request, response)) {
                return response;
            }
            String reason = "HTTP " + status;
            if (retryAfter.isPresent() && retryAfter.get().compareTo(MAX_RETRY_AFTER) > 0) {
                LOG.warn("Giving up on {}: HTTP {} asks to retry after {} s, longer than the {} s this runtime waits",
                        target, status, retryAfter.get().toSeconds(), MAX_RETRY_AFTER.toSeconds());
                return response;
            }
            if (!mayRetry(attempt, target)) {
                LOG.warn("Giving up on {} after {} attempt(s): last answer HTTP {}", target, attempt + 1, status);
                return response;
            }
            discard.accept(response);
            // after a 429 the tenant's limiter holds the retry (and every other request) for the pause
            Duration wait = status == 429 ? Duration.ZERO : retryAfter.isPresent() ? retryAfter.get() : backoff(attempt);
            retryAfterWait(target, reason + (retryAfter.isPresent() ? " with Retry-After" : ""), attempt, wait);
            attempt++;
        }
    }

    private <T> boolean isRetryableStatus(int status, Request request, HttpResponse<T> response) {
        return switch (status) {
            case 429, 502, 503, 504 -> true;
            case 500 -> {
                if (!(response.body() instanceof byte[])) {
                    // a streamed body cannot be shown to the classifier without consuming it, and
                    // retrying a request the vendor considers wrong would only repeat the error
                    yield false;
                }
                try {
                    yield settings.transientServerError().test(toResponse(request, castBytes(response)));
                } catch (RuntimeException e) {
                    LOG.debug("The transient-error classifier failed on {}; not retrying: {}", describe(request),
                            redactor.apply(e.toString()));
                    yield false;
                }
            }
            default -> false;
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> HttpResponse<byte[]> castBytes(HttpResponse<T> response) {
        return (HttpResponse<byte[]>) response;
    }

    private boolean mayRetry(int attempt, String target) {
        if (attempt >= settings.maxRetries()) {
            return false;
        }
        if (!runBudget.tryTake()) {
            LOG.warn("Not retrying {}: this run has spent its budget of {} retries", target, runBudget.limit());
            return false;
        }
        return true;
    }

    private void retryAfterWait(String target, String reason, int attempt, Duration wait) {
        metrics.count("http.retries", 1);
        metrics.count("http.retryWaitMillis", wait.toMillis());
        LOG.debug("Retrying {} in {} ms after {} (retry {} of {})", target, wait.toMillis(), reason, attempt + 1,
                settings.maxRetries());
        if (!wait.isZero()) {
            pause(wait, target);
        }
    }

    /** Full jitter: uniformly random between zero and the capped exponential bound. */
    Duration backoff(int attempt) {
        long cap = attempt >= 16 ? MAX_BACKOFF.toMillis()
                : Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << attempt);
        return Duration.ofMillis(random.nextLong(cap + 1));
    }

    /** The wait a {@code Retry-After} header asks for: delta-seconds or an HTTP date. */
    Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("retry-after").map(String::strip);
        if (value.isEmpty() || value.get().isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.of(MAX_RETRY_AFTER.plusSeconds(1));
            }
        }
        Optional<Instant> when = VendorClocks.parse(v);
        if (when.isEmpty()) {
            LOG.debug("Ignoring an unreadable Retry-After header");
            return Optional.empty();
        }
        // a date on the vendor's clock, so counted from the vendor's Date of the same reply
        Instant now = headers.firstValue("date").flatMap(VendorClocks::parse).orElseGet(clock::instant);
        Duration wait = Duration.between(now, when.get());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    /** Waits for the slot on the tenant's grid, then for as long as late departures before it ask. */
    private void waitForRateLimit(RateLimiter tenant, String target) {
        Duration wait = tenant.reserve();
        while (true) {
            if (!wait.isZero()) {
                metrics.count("http.rateLimitWaitMillis", wait.toMillis());
                pause(wait, target);
            }
            wait = tenant.depart();
            if (wait.isZero()) {
                return;
            }
        }
    }

    /** Waits through the sleeper, ending early (CANCELLED) once the run is cancelled. */
    private void pause(Duration wait, String target) {
        try {
            sleeper.sleep(wait, cancellation, SLEEP_SLICE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelled(target, "the waiting thread was interrupted");
        } catch (ConnectorException e) {
            if (e.kind() == ErrorKind.CANCELLED) {
                throw cancelled(target, "the run was cancelled");
            }
            throw e;
        }
    }

    /**
     * Waits for the response while watching the cancellation signal and the request timeout
     * (which the JDK applies to the headers only; a body that drips in forever is cut here).
     */
    private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> future, String target) throws IOException {
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        try {
            while (true) {
                if (cancellation.isCancelled()) {
                    future.cancel(true);
                    throw cancelled(target, "the request was abandoned");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    future.cancel(true);
                    throw new HttpTimeoutException("no complete response within " + settings.requestTimeout().toMillis()
                            + " ms");
                }
                try {
                    return future.get(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // poll again
                }
            }
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw cancelled(target, "the requesting thread was interrupted");
        } catch (CancellationException e) {
            throw cancelled(target, "the request was abandoned");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UnresolvedAddressException) {
                throw new UnknownHostException("unresolved address");
            }
            if (cause instanceof ConnectorException ce) {
                throw ce;
            }
            throw new IOException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        }
    }

    private HttpRequest build(Request request, URI uri, String target) {
        HttpRequest.BodyPublisher publisher = request.body().length == 0
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .method(request.method().toUpperCase(Locale.ROOT), publisher)
                .setHeader("Accept-Encoding", "gzip")
                .setHeader("User-Agent", "connector-sdk");
        Map<String, String> auth = requireNonNull(settings.authenticator().get(), "the authenticator returned null");
        auth.forEach((name, value) -> {
            if (isSensitive(name)) {
                redactor.add(value);
            }
        });
        request.headers().forEach((name, value) -> {
            if (isSensitive(name)) {
                redactor.add(value);
            }
        });
        try {
            request.headers().forEach((name, value) -> {
                if (!NEVER_SET.contains(name.toLowerCase(Locale.ROOT))) {
                    builder.setHeader(name, value);
                }
            });
            auth.forEach(builder::setHeader);
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(ErrorKind.INTERNAL,
                    "The request " + target + " has a header the HTTP client refuses: " + redactor.apply(e.getMessage()),
                    "This is a defect in the connector; report it with the connector's id and version");
        }
    }

    private boolean isSensitive(String header) {
        String name = header.toLowerCase(Locale.ROOT);
        return name.equals("authorization") || sensitiveHeaders.contains(name);
    }

    private Response toResponse(Request request, HttpResponse<byte[]> raw) {
        byte[] body = raw.body() == null ? new byte[0] : raw.body();
        boolean gzip = isGzip(raw.headers());
        if (gzip) {
            body = gunzip(body, describe(request));
        }
        return new Response(raw.statusCode(), lowerCaseHeaders(raw.headers(), gzip), body);
    }

    private byte[] gunzip(byte[] compressed, String target) {
        if (compressed.length == 0) {
            return compressed;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] out = in.readNBytes((int) MAX_BODY_BYTES + 1);
            if (out.length > MAX_BODY_BYTES) {
                throw new ConnectorException(ErrorKind.BAD_RESPONSE,
                        target + " answered with a gzip body that unpacks to more than " + MAX_BODY_BYTES + " bytes",
                        "Ask for smaller pages (a lower batch size), or check that the base URL points at the vendor's API");
            }
            return out;
        } catch (IOException e) {
            throw new ConnectorException(ErrorKind.BAD_RESPONSE,
                    target + " answered with a body that claims gzip encoding but is not valid gzip ("
                            + redactor.apply(e.getMessage()) + ")",
                    "Check that the base URL points at the vendor's API and not at a proxy or web page");
        }
    }

    private static boolean isGzip(HttpHeaders headers) {
        return headers.allValues("content-encoding").stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("gzip"));
    }

    /** Header names in lower case; encoding headers dropped once the body is decoded. */
    private static Map<String, List<String>> lowerCaseHeaders(HttpHeaders headers, boolean decoded) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (decoded && (lower.equals("content-encoding") || lower.equals("content-length"))) {
                return;
            }
            out.computeIfAbsent(lower, k -> new ArrayList<>()).addAll(values);
        });
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    // ---------------------------------------------------------------- failures

    /** An I/O failure explained: its kind, message, remediation and whether to retry. */
    private record Failure(ErrorKind kind, String message, String remediation, boolean retryable) {
        ConnectorException toException(Throwable cause) {
            return new ConnectorException(kind, message, remediation, cause);
        }
    }

    private Failure classify(IOException e, URI uri, String target) {
        String hostAndPort = hostAndPort(uri);
        Optional<TlsFailures.Explained> tls = TlsFailures.explain(e, hostAndPort);
        if (tls.isPresent() && tls.get().failure() != ProbeResult.Failure.PROTOCOL
                && tls.get().failure() != ProbeResult.Failure.TIMEOUT) {
            return new Failure(ErrorKind.TLS, redactor.apply(tls.get().message()), tls.get().remediation(), false);
        }
        if (has(e, UnknownHostException.class) || has(e, UnresolvedAddressException.class)) {
            return new Failure(ErrorKind.UNREACHABLE, "The host " + uri.getHost() + " does not resolve (DNS lookup failed)",
                    "Check the host name in the base URL, and this machine's DNS and proxy settings", false);
        }
        if (has(e, HttpConnectTimeoutException.class)) {
            return new Failure(ErrorKind.TRANSIENT, "Connecting to " + hostAndPort + " timed out after "
                    + settings.connectTimeout().toMillis() + " ms",
                    "Check that " + hostAndPort + " is reachable from this machine (firewall, proxy, VPN)", true);
        }
        if (has(e, HttpTimeoutException.class)) {
            return new Failure(ErrorKind.TRANSIENT, target + " got no complete response within "
                    + settings.requestTimeout().toMillis() + " ms",
                    "The service is slow or overloaded; try again later or raise the request timeout", true);
        }
        if (has(e, ConnectException.class) || has(e, NoRouteToHostException.class)) {
            return new Failure(ErrorKind.UNREACHABLE, "The connection to " + hostAndPort + " was refused or could not "
                    + "be opened (" + redactor.apply(TlsFailures.rootMessage(e)) + ")",
                    "Check the host and port of the base URL, and any firewall or proxy between this machine and "
                            + hostAndPort, true);
        }
        if (tls.isPresent() && !TlsFailures.isConnectionLoss(e)) {
            return new Failure(ErrorKind.TLS, redactor.apply(tls.get().message()), tls.get().remediation(), false);
        }
        if (e instanceof CappedBodySubscriber.BodyTooLargeException) {
            return new Failure(ErrorKind.BAD_RESPONSE, target + " answered with a body larger than " + MAX_BODY_BYTES
                    + " bytes", "Ask for smaller pages (a lower batch size)", false);
        }
        return new Failure(ErrorKind.TRANSIENT, target + " failed: the connection was reset or closed ("
                + redactor.apply(e.getClass().getSimpleName() + ": " + TlsFailures.rootMessage(e)) + ")",
                "The service or a proxy dropped the connection; try again later", true);
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** {@code error} as a cause, unless some message in its chain contains a secret. */
    private Throwable redactedCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.equals(redactor.apply(message))) {
                return null;
            }
        }
        return error;
    }

    private ConnectorException redirect(String target, int status, HttpHeaders headers) {
        String location = headers.firstValue("location").map(redactor::apply).orElse("(no Location header)");
        return new ConnectorException(ErrorKind.BAD_RESPONSE,
                target + " answered HTTP " + status + " redirecting to " + location
                        + "; redirects are never followed, so credentials only go to the configured host",
                "Set the base URL to the API's own address (for Cortex XDR: https://api-<tenant>.xdr.<region>."
                        + "paloaltonetworks.com), not a portal or proxy address that redirects");
    }

    private void throwIfCancelled(String target) {
        if (cancellation.isCancelled()) {
            throw cancelled(target, "the run was cancelled");
        }
    }

    private static ConnectorException cancelled(String target, String what) {
        return new ConnectorException(ErrorKind.CANCELLED, target + " was not completed: " + what, null);
    }

    /** Method and path only: queries may carry tokens, and the host is the configured one. */
    private String describe(Request request) {
        String path = request.uri().getRawPath();
        return redactor.apply(request.method().toUpperCase(Locale.ROOT) + " " + (path == null || path.isEmpty() ? "/" : path));
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    // ---------------------------------------------------------------- URI rules

    /**
     * Accepts https URIs, and http ones to a loopback host (tests).
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} otherwise
     */
    static URI checkUri(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!uri.isAbsolute() || host == null || host.isEmpty()) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "The request URI " + safe(uri) + " is not an absolute URI with a host",
                    "Set the base URL to an absolute https URL, e.g. https://api-tenant.example.com");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "The request URI for host " + host + " carries user info (user:password@); credentials never go in a URL",
                    "Remove the user info from the base URL and configure the API key instead");
        }
        if (scheme.equals("https") || scheme.equals("http") && isLoopback(host)) {
            return uri;
        }
        throw new ConnectorException(ErrorKind.CONFIGURATION,
                "Refusing to send a request to " + scheme + "://" + host + ": only https is allowed "
                        + "(plain http only to a loopback address, for tests)",
                "Use an https:// base URL");
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || IPV4_LOOPBACK.matcher(h).matches();
    }

    private static String safe(URI uri) {
        // never echo user info or a query: both may hold credentials
        return (uri.getScheme() == null ? "" : uri.getScheme() + "://") + (uri.getHost() == null ? "" : uri.getHost())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String hostAndPort(URI uri) {
        return uri.getHost() + ":" + port(uri);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    // ---------------------------------------------------------------- probes

    @Override
    public JsonReply parseJson(Response response) {
        return JsonReplies.parse(response);
    }

    @Override
    public ProbeResult probeTcp(URI uri, Duration timeout) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return new ProbeResult(ProbeResult.Failure.OTHER, "The URL " + safe(uri) + " names no host");
        }
        int port = port(uri);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return new ProbeResult(ProbeResult.Failure.DNS, "The host name " + host + " does not resolve (DNS lookup failed)");
        }
        ProbeResult last = null;
        for (InetAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), timeoutMillis(timeout));
                return ProbeResult.ok("Connected to " + host + " (" + address.getHostAddress() + ") on port " + port);
            } catch (SocketTimeoutException e) {
                last = new ProbeResult(ProbeResult.Failure.TIMEOUT, "No answer from " + host + " ("
                        + address.getHostAddress() + ") on port " + port + " within " + timeout.toMillis() + " ms");
            } catch (ConnectException e) {
                last = new ProbeResult(ProbeResult.Failure.REFUSED, host + " (" + address.getHostAddress()
                        + ") refused the connection on port " + port);
            } catch (IOException e) {
                last = new ProbeResult(ProbeResult.Failure.OTHER, "Cannot connect to " + host + " ("
                        + address.getHostAddress() + ") on port " + port + ": " + e.getClass().getSimpleName() + ": "
                        + e.getMessage());
            }
        }
        return requireNonNull(last, "no address");
    }

    @Override
    public ProbeResult probeTls(URI uri, Duration timeout) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return new ProbeResult(ProbeResult.Failure.OTHER, "The URL " + safe(uri) + " names no host");
        }
        int port = port(uri);
        String hostAndPort = host + ":" + port;
        int millis = timeoutMillis(timeout);
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket socket = (SSLSocket) sslContext.getSocketFactory().createSocket(plain, host, port, true)) {
                socket.setSSLParameters(TrustMaterial.sslParameters(sslContext));
                socket.startHandshake();
                String detail = "TLS handshake with " + hostAndPort + " succeeded (" + socket.getSession().getProtocol();
                if (socket.getSession().getPeerCertificates()[0] instanceof X509Certificate peer) {
                    detail += ", certificate " + peer.getSubjectX500Principal().getName() + " issued by "
                            + peer.getIssuerX500Principal().getName() + ", valid until " + peer.getNotAfter().toInstant();
                }
                return ProbeResult.ok(detail + ")");
            }
        } catch (IOException e) {
            Optional<TlsFailures.Explained> tls = TlsFailures.explain(e, hostAndPort);
            if (tls.isPresent()) {
                return new ProbeResult(tls.get().failure(), tls.get().message());
            }
            if (e instanceof UnknownHostException) {
                return new ProbeResult(ProbeResult.Failure.DNS, "The host name " + host + " does not resolve (DNS lookup failed)");
            }
            if (e instanceof SocketTimeoutException) {
                return new ProbeResult(ProbeResult.Failure.TIMEOUT,
                        "No TLS answer from " + hostAndPort + " within " + timeout.toMillis() + " ms");
            }
            if (e instanceof ConnectException) {
                return new ProbeResult(ProbeResult.Failure.REFUSED, hostAndPort + " refused the connection");
            }
            return new ProbeResult(ProbeResult.Failure.PROTOCOL, "The TLS handshake with " + hostAndPort
                    + " failed: " + e.getClass().getSimpleName() + ": " + TlsFailures.rootMessage(e));
        } finally {
            closeQuietly(plain);
        }
    }

    private static int timeoutMillis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing useful to do: the resource is being abandoned
        }
    }

    // ---------------------------------------------------------------- streaming

    /** Counts the bytes as they arrive and stops reading once the run is cancelled. */
    private final class GuardedStream extends FilterInputStream {
        private final String target;

        GuardedStream(InputStream in, String target) {
            super(in);
            this.target = target;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            throwIfCancelled(target);
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                // the cancellation hook closed the stream under a blocked read
                throwIfCancelled(target);
                throw e;
            }
            throwIfCancelled(target);
            if (n > 0) {
                metrics.count("http.bytes", n);
            }
            return n;
        }
    }

    private record OpenResponse(int status, Map<String, List<String>> headers, InputStream body, AutoCloseable hook)
            implements StreamingResponse {
        @Override
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        @Override
        public void close() {
            closeQuietly(hook);
            closeQuietly(body);
        }
    }

    @Override
    public String toString() {
        return "HttpTransport[" + redactor.apply(settings.rateLimitKey()) + "]";
    }
}
