package org.connectorsdk.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.connectorsdk.runtime.time.Sleeper;

/**
 * A clock that stands still until a test moves it, so time-dependent behaviour (schedules,
 * watermarks, durations) is tested without sleeping:
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at("2026-05-13T11:07:00Z");
 * clock.advance(Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>It is also fake time for the runtime's waits: given as both
 * {@code ConnectorRuntime.builder().clock(clock).sleeper(clock)}, backoff, {@code Retry-After} and
 * rate-limit spacing advance this clock instead of sleeping, so a test never waits them out.
 *
 * <p>Thread-safe: the runtime's workers may read it while the test advances it.
 */
public final class MutableClock extends Clock implements Sleeper {
    /** Where {@link #start()} begins: a fixed, unremarkable instant. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock at {@link #DEFAULT_START}, in UTC. */
    public static MutableClock start() {
        return at(DEFAULT_START);
    }

    /** A clock at {@code instant}, in UTC. */
    public static MutableClock at(Instant instant) {
        return new MutableClock(new AtomicReference<>(requireNonNull(instant, "instant is null")), ZoneOffset.UTC);
    }

    /** A clock at the ISO-8601 instant {@code instant}, e.g. {@code 2026-05-13T11:07:00Z}, in UTC. */
    public static MutableClock at(String instant) {
        return at(Instant.parse(instant));
    }

    /** Moves the clock forward by {@code amount}; returns the new instant. */
    public Instant advance(Duration amount) {
        requireNonNull(amount, "amount is null");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("A MutableClock only moves forward; got " + amount
                    + " (use set(Instant) to go back on purpose)");
        }
        return now.updateAndGet(t -> t.plus(amount));
    }

    /** Sets the clock to {@code instant}, forward or back. */
    public void set(Instant instant) {
        now.set(requireNonNull(instant, "instant is null"));
    }

    /** Fake sleep: moves the clock forward by {@code duration} (a zero or negative one does nothing). */
    @Override
    public void sleep(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        advance(duration);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone that shares this clock's time (advancing one moves both). */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new MutableClock(now, requireNonNull(newZone, "zone is null"));
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + ", " + zone + "]";
    }
}
