package org.connectorsdk.cortexxdr;

import java.time.Clock;
import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Metrics;

/** A context over a fake clock, recording metrics, with a cancellation flag a test can raise. */
final class XqlTestContext implements ConnectorContext {
    final FakeTime time = new FakeTime();
    final RecordingMetrics metrics = new RecordingMetrics();
    volatile boolean cancelled;
    private final HttpTransport http;

    XqlTestContext(HttpTransport http) {
        this.http = http;
    }

    @Override
    public String instanceName() {
        return "test-tenant";
    }

    @Override
    public HttpTransport http(HttpSettings settings) {
        return http;
    }

    @Override
    public Clock clock() {
        return time.clock;
    }

    @Override
    public CancellationSignal cancellation() {
        return () -> cancelled;
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }
}
