package org.connectorsdk.cortexxdr;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Metrics;
import org.connectorsdk.api.ProbeResult;

/**
 * A plain JDK HTTP transport for request-shape tests against WireMock: the runtime's contract
 * in miniature (authentication headers asked for on every attempt, transient statuses retried
 * without waiting). The runtime's own transport is tested in connector-runtime.
 */
final class JdkTestTransport implements HttpTransport {
    private final HttpClient http = HttpClient.newHttpClient();
    private final HttpSettings settings;

    JdkTestTransport(HttpSettings settings) {
        this.settings = settings;
    }

    /** A context lending this transport, with {@code clock}. */
    static ConnectorContext context(Clock clock) {
        return new ConnectorContext() {
            @Override
            public String instanceName() {
                return "wiremock";
            }

            @Override
            public HttpTransport http(HttpSettings settings) {
                return new JdkTestTransport(settings);
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public CancellationSignal cancellation() {
                return CancellationSignal.NONE;
            }

            @Override
            public Metrics metrics() {
                return Metrics.NONE;
            }
        };
    }

    @Override
    public Response send(Request request) {
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(request.uri())
                    .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
            request.headers().forEach(b::header);
            settings.authenticator().get().forEach(b::header);
            HttpResponse<byte[]> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new ConnectorException(ErrorKind.UNREACHABLE, "test transport: " + e, null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException(ErrorKind.CANCELLED, "interrupted", null, e);
            }
            Response response = new Response(r.statusCode(), r.headers().map(), r.body());
            int s = response.status();
            boolean retry = s == 429 || s == 502 || s == 503 || s == 504
                    || s == 500 && settings.transientServerError().test(response);
            if (!retry || attempt >= settings.maxRetries()) {
                return response;
            }
        }
    }

    @Override
    public StreamingResponse open(Request request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ProbeResult probeTcp(URI uri, Duration timeout) {
        return ProbeResult.ok("test");
    }

    @Override
    public ProbeResult probeTls(URI uri, Duration timeout) {
        return ProbeResult.ok("test");
    }
}
