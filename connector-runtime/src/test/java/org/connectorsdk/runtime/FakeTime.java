package org.connectorsdk.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.connectorsdk.api.CancellationSignal;

/** A clock that only moves when slept on or advanced: backoff and rate limits without waiting. */
final class FakeTime extends Clock implements Sleeper {
    private Instant now;
    private final List<Duration> sleeps = new ArrayList<>();

    FakeTime(Instant start) {
        this.now = start;
    }

    FakeTime() {
        this(Instant.parse("2026-11-25T16:00:00Z"));
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("FakeTime is always UTC");
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

    synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Everything slept so far. */
    synchronized Duration slept() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }

    synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
