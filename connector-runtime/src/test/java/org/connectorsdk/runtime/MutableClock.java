package org.connectorsdk.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.runtime.time.Sleeper;

/**
 * A clock tests move by hand. As a {@link Sleeper} it is also fake time: a wait advances it
 * and is recorded, so backoff and rate limits are tested without waiting. (The runtime's tests
 * cannot use the testkit's {@code MutableClock}: the testkit depends on the runtime.)
 */
public final class MutableClock extends Clock implements Sleeper {
    private volatile Instant now;
    private final List<Duration> sleeps = new ArrayList<>();

    public MutableClock(Instant start) {
        this.now = start;
    }

    public MutableClock() {
        this(Instant.parse("2026-11-25T16:00:00Z"));
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

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        now = now.plus(duration);
    }

    /** Fake time passes in one step, so each wait is recorded whole. */
    @Override
    public void sleep(Duration duration, CancellationSignal cancellation, Duration slice) {
        cancellation.throwIfCancelled();
        sleep(duration);
    }

    /** Everything slept so far. */
    public synchronized Duration slept() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }

    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
