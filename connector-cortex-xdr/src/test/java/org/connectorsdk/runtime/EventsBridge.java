package org.connectorsdk.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;

import org.connectorsdk.api.ConnectorContext;

/**
 * Test-only door for the event stream tests: a run's context on fake time, whose waits (rate
 * limit, backoff) advance the clock instead of sleeping, with its metrics readable.
 */
public final class EventsBridge {
    private EventsBridge() {
    }

    /** A clock that moves only when told to (or when the runtime waits on it). */
    public static final class FakeClock extends Clock {
        private volatile Instant now;

        public FakeClock(Instant start) {
            this.now = start;
        }

        public synchronized void advance(Duration d) {
            now = now.plus(d);
        }

        public void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A run's context on {@code clock}; {@link #metrics(ConnectorContext)} reads its counters. */
    public static ConnectorContext context(String instance, Collection<String> secrets, FakeClock clock) {
        HttpTransportFactory factory = new HttpTransportFactory(clock, clock::advance, 7);
        return new DefaultConnectorContext(instance, secrets, factory, clock, new Cancellation(),
                new CountingMetrics());
    }

    /** The counters of a context made here. */
    public static Map<String, Long> metrics(ConnectorContext context) {
        return ((CountingMetrics) context.metrics()).snapshot();
    }
}
