package org.connectorsdk.runtime.internal.http;

import static java.util.Objects.requireNonNull;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Metrics;
import org.connectorsdk.api.Secret;
import org.connectorsdk.runtime.time.Sleeper;

/**
 * Makes the transports a runtime lends its plugins. One per runtime: it holds one
 * {@link HttpClient} per distinct trust configuration (connection pools are shared by every
 * instance that trusts the same CAs) and one {@link RateLimiter} per tenant, that is per
 * {@link Origin} a request goes to (scheme, lower-case host, effective port), so every
 * instance, stream, check, XQL call, read-ahead and retry sending to a tenant draws on one
 * request budget, whatever key it uses: the lowest rate those instances configure, or the
 * budget {@link #tenantBudget set} for the tenant; and, per origin, an estimate of the tenant's
 * clock from the {@code Date} headers of its replies, which a run reads through its own
 * {@link #vendorClock()}. The HTTP clients
 * share one executor of a fixed number of threads, so the runtime's thread count does not grow
 * with its instances.
 * Transports themselves are cheap: make one per run or per check.
 *
 * <p>Every client trusts the JDK's CAs plus the configured PEM CA, verifies host names, speaks
 * TLS 1.2 or later and never follows a redirect. Transports accept https URIs only, except plain
 * http to a loopback address (localhost, 127.0.0.0/8, ::1), which tests use. See
 * {@link RuntimeHttpTransport} for the retry, rate-limit and redaction rules.
 */
public final class HttpTransportFactory implements AutoCloseable {
    /**
     * The JDK's switch for skipping host name checks in {@link HttpClient}; refused, because
     * this runtime promises verification can never be turned off.
     */
    static final String JDK_HOSTNAME_SWITCH = "jdk.internal.httpclient.disableHostnameVerification";
    /** HTTP executor threads unless told otherwise. */
    public static final int DEFAULT_THREADS = 4;

    private final Clock clock;
    private final Sleeper sleeper;
    private final Random random;
    private final ConcurrentHashMap<ClientKey, Client> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Origin, RateLimiter> rateLimiters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Origin, Double> budgets = new ConcurrentHashMap<>();
    private final VendorClocks vendorClocks = new VendorClocks();
    private final ThreadPoolExecutor executor;
    private volatile Optional<String> runtimeTrust = Optional.empty();
    private volatile boolean closed;

    /** A factory on real time. */
    public HttpTransportFactory(Clock clock) {
        this(clock, Sleeper.SYSTEM, new Random(), DEFAULT_THREADS);
    }

    /** A factory on the given time (fake in tests). */
    public HttpTransportFactory(Clock clock, Sleeper sleeper) {
        this(clock, sleeper, new Random(), DEFAULT_THREADS);
    }

    /** A factory on the given time with at most {@code threads} HTTP executor threads. */
    public static HttpTransportFactory withThreads(Clock clock, Sleeper sleeper, int threads) {
        return new HttpTransportFactory(clock, sleeper, new Random(), threads);
    }

    /** A factory on the given time (fake in tests), with seeded jitter. */
    public HttpTransportFactory(Clock clock, Sleeper sleeper, long seed) {
        this(clock, sleeper, new Random(seed), DEFAULT_THREADS);
    }

    private HttpTransportFactory(Clock clock, Sleeper sleeper, Random random, int threads) {
        this.clock = requireNonNull(clock, "clock is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.random = random;
        if (threads < 1) {
            throw new IllegalArgumentException("HTTP threads must be at least 1, got " + threads);
        }
        AtomicInteger count = new AtomicInteger();
        // callers block on their own threads; these only run the clients' completions, so a few
        // serve any number of exchanges. Daemon threads: an embedding application or the CLI must
        // be able to exit without close()
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "connector-http-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Sets the budget of the tenant at {@code baseUrl}'s origin, in place of the lowest rate its
     * instances configure.
     */
    public void tenantBudget(URI baseUrl, double requestsPerSecond) {
        Origin origin = Origin.of(baseUrl);
        RateLimiter.checkRate(requestsPerSecond);
        budgets.put(origin, requestsPerSecond);
        rateLimiters.computeIfPresent(origin, (o, limiter) -> {
            limiter.budget(requestsPerSecond);
            return limiter;
        });
    }

    /**
     * A transport for one plugin use, with its own retry budget of
     * {@value RetryBudget#DEFAULT_PER_RUN} retries, its own settled-rate counter and its own
     * {@link VendorClock}.
     *
     * @param secretValues values never to show in logs and messages (the instance's secret
     *                     config values, resolved)
     */
    public HttpTransport create(HttpSettings settings, Collection<String> secretValues, CancellationSignal cancellation,
            Metrics metrics) {
        return create(settings, secretValues, cancellation, metrics, new RetryBudget(RetryBudget.DEFAULT_PER_RUN),
                new SettledRate(), vendorClock());
    }

    /**
     * A transport that draws its retries from {@code runBudget}, reports the tenant's rate to
     * {@code settledRate} and the origins it talks to to {@code vendorClock}, all three shared by
     * the transports of a run.
     */
    public HttpTransport create(HttpSettings settings, Collection<String> secretValues, CancellationSignal cancellation,
            Metrics metrics, RetryBudget runBudget, SettledRate settledRate, VendorClock vendorClock) {
        requireNonNull(settings, "settings is null");
        requireNonNull(secretValues, "secretValues is null");
        requireNonNull(cancellation, "cancellation is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(runBudget, "runBudget is null");
        requireNonNull(settledRate, "settledRate is null");
        requireNonNull(vendorClock, "vendorClock is null");
        if (closed) {
            throw new IllegalStateException("This HttpTransportFactory is closed");
        }
        if (Boolean.getBoolean(JDK_HOSTNAME_SWITCH)) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "The system property " + JDK_HOSTNAME_SWITCH + " is set, which would switch off TLS host name "
                            + "verification; this runtime never runs without it",
                    "Remove -D" + JDK_HOSTNAME_SWITCH + " from the JVM options");
        }
        Client client = clients.computeIfAbsent(
                new ClientKey(withRuntimeTrust(settings.caCertificatePem().map(String::strip)), settings.connectTimeout()),
                this::newClient);
        return new RuntimeHttpTransport(client.http(), client.ssl(), settings, new Redactor(List.copyOf(secretValues)),
                cancellation, metrics, uri -> tenant(uri, settings), vendorClock, runBudget, settledRate, clock, sleeper,
                random);
    }

    /**
     * The limiter of the tenant {@code uri} goes to, with {@code settings}' rate recorded as its
     * key's: a changed rate applies without a restart, and the lowest rate of all keys wins.
     */
    RateLimiter tenant(URI uri, HttpSettings settings) {
        RateLimiter limiter = rateLimiters.computeIfAbsent(Origin.of(uri),
                origin -> new RateLimiter(clock, budgets.getOrDefault(origin, 0d)));
        limiter.use(settings.rateLimitKey(), settings.maxRequestsPerSecond());
        return limiter;
    }

    /**
     * A new {@link VendorClock} for one run: it answers for the tenants the transports it is
     * given to talk to, from the estimates this factory keeps across runs.
     */
    public VendorClock vendorClock() {
        return new VendorClock(vendorClocks);
    }

    /** The estimates behind every run's {@link VendorClock}. */
    VendorClocks vendorClocks() {
        return vendorClocks;
    }

    /** Makes every transport made from now on trust {@code pem} too, besides its own CA. */
    public void alsoTrust(String pem) {
        TrustMaterial.parsePem(pem); // fail at build time, not at the first request
        this.runtimeTrust = Optional.of(pem.strip());
    }

    private Optional<String> withRuntimeTrust(Optional<String> configured) {
        Optional<String> extra = runtimeTrust;
        if (extra.isEmpty()) {
            return configured;
        }
        return Optional.of(configured.map(pem -> Secret.resolveReference("caCertificate", pem) + "\n").orElse("")
                + extra.get());
    }

    private Client newClient(ClientKey key) {
        SSLContext ssl = TrustMaterial.sslContext(key.caCertificatePem());
        return new Client(httpClient(ssl, key.connectTimeout(), executor), ssl);
    }

    /**
     * An {@link HttpClient} as every transport of this factory uses: HTTP/1.1, no redirects, the
     * JDK's CAs plus {@code caCertificatePem}, TLS 1.2 or later with host name checks, the
     * system's proxy. Public for the benchmarks' bare loop, which must speak HTTP exactly alike.
     */
    public static HttpClient httpClient(Optional<String> caCertificatePem, Duration connectTimeout, Executor executor) {
        return httpClient(TrustMaterial.sslContext(caCertificatePem), connectTimeout, executor);
    }

    private static HttpClient httpClient(SSLContext ssl, Duration connectTimeout, Executor executor) {
        // HTTP/1.1: at a few requests per second per tenant, HTTP/2 multiplexing gains nothing,
        // and over plain http (loopback tests) the JDK would add an h2c upgrade to every request
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .sslContext(ssl)
                .sslParameters(TrustMaterial.sslParameters(ssl))
                .proxy(ProxySelector.getDefault() == null ? HttpClient.Builder.NO_PROXY : ProxySelector.getDefault())
                .executor(executor)
                .build();
    }

    /** How many threads the HTTP executor runs at most. */
    int threadBound() {
        return executor.getMaximumPoolSize();
    }

    /** How many distinct HTTP clients exist (one per trust configuration and connect timeout). */
    int clientCount() {
        return clients.size();
    }

    /** Stops the HTTP worker threads; transports made earlier fail afterwards. */
    @Override
    public void close() {
        closed = true;
        clients.clear();
        executor.shutdownNow();
    }

    private record ClientKey(Optional<String> caCertificatePem, Duration connectTimeout) {
    }

    private record Client(HttpClient http, SSLContext ssl) {
    }
}
