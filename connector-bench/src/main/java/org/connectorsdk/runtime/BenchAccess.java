package org.connectorsdk.runtime;

import java.net.http.HttpClient;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * What the benchmarks need from the runtime's package-private machinery. Lives in the runtime's
 * package inside connector-bench (split packages are fine on the class path); not part of any
 * published API.
 */
public final class BenchAccess {
    private BenchAccess() {
    }

    /**
     * An {@link HttpClient} set up exactly as {@link HttpTransportFactory} sets up the runtime's
     * (HTTP/1.1, no redirects, the JDK's CAs plus {@code caPem}, TLS 1.2+ with host name checks,
     * a daemon executor): the bare loop's client, so both sides of the comparison speak HTTP alike.
     */
    public static HttpClient httpClient(String caPem) {
        SSLContext ssl = TrustMaterial.sslContext(Optional.of(caPem));
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "bare-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(java.time.Duration.ofSeconds(10))
                .sslContext(ssl)
                .sslParameters(TrustMaterial.sslParameters(ssl))
                .executor(executor)
                .build();
    }
}
