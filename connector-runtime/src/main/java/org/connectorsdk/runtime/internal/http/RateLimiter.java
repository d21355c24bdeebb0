package org.connectorsdk.runtime.internal.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The request budget of one tenant (one {@link Origin}), shared by everything in the runtime that
 * sends to it. Requests are paced one at a time on an even grid, so the tenant never sees more
 * than one window's worth at once, not even after an idle hour: vendors such as Cortex XDR count
 * requests in a (sliding) second across all of a tenant's keys and APIs, and answer 429 to a
 * burst even when the average is within the limit.
 *
 * <p>The tenant counts arrivals, this limiter departures: a request whose sender woke late, or
 * that lingered on its way, narrows the gap to the next one at the tenant. So besides the grid,
 * every request waits until the one {@code ceiling} requests before it actually left (see
 * {@link #depart()}) is one second plus a guard ago, and each 429 episode doubles the guard
 * (from {@link #ARRIVAL_GUARD} up to {@link #MAX_GUARD}): the limiter learns how much the
 * tenant's arrivals jitter, instead of paying for every jitter-made 429 with a lower rate.
 *
 * <p>A requester that comes late to its slot (a page that took longer than one interval) may
 * make the time up at no more than twice the rate ({@link #CATCH_UP_SPACING}): against a sliding
 * window every request delays the one {@code ceiling} requests after it, so a lost slot is lost
 * for good unless the requests between use it; the departure check above still holds every
 * second to the ceiling. Idle time beyond one window is not banked.
 *
 * <p>The ceiling is the lowest rate any user (an instance's {@code rateLimitKey}) configured, or
 * the runtime's explicit budget for the origin. A key's rate is kept for the limiter's (the
 * runtime's) lifetime: an instance whose key or rate changes leaves its old rate in force until
 * the runtime restarts, so the ceiling may stay lower than the instances now registered ask for,
 * never higher. Under the ceiling the rate adapts: a 429 pauses every request to the tenant (for
 * its {@code Retry-After}, or an estimate) and cuts the rate by {@link #DECREASE}; after the pause
 * the rate climbs back by {@link #RECOVERY} of the ceiling per second. The cut is shallow on
 * purpose: a tenant that counts in one window forgets in one second, and a 429 from it says one
 * request of the last second was too many, not that the rate is a fifth too high.
 *
 * <p>Time is monotonic: {@link System#nanoTime()} on the system clock, and a given (fake) clock
 * with a step back taken as no time passing, so a wall clock set back an hour does not hold
 * requests for an hour, nor one set forward end a pause. Callers
 * {@link #reserve()} a slot and wait the returned time themselves, so the waiting honours their
 * cancellation signal and fake time in tests, then call {@link #depart()} right before sending.
 */
final class RateLimiter {
    /** What a 429 multiplies the rate by: one request in ten at the limit. */
    static final double DECREASE = 0.9;
    /** How much of the ceiling the rate regains per second without a 429. */
    static final double RECOVERY = 0.1;
    /** The rate never drops below this share of the ceiling. */
    static final double FLOOR = 0.1;
    /**
     * Slack added to every second of pacing until the first 429: the tenant counts arrivals, this
     * limiter departures, and a request that arrives a few milliseconds late must not make the
     * next window hold one request too many.
     */
    static final Duration ARRIVAL_GUARD = Duration.ofMillis(15);
    /** The most slack 429s can grow the guard to: 5% of the rate. */
    static final Duration MAX_GUARD = Duration.ofMillis(50);
    /**
     * The closest two slots may be, as a share of the interval, while a requester makes up for
     * coming late to the grid: twice the rate at most.
     */
    static final double CATCH_UP_SPACING = 0.5;
    /** The longest pause estimated for a 429 without {@code Retry-After}. */
    static final Duration MAX_ESTIMATE = Duration.ofSeconds(30);

    private static final long SECOND = 1_000_000_000L;

    private final Clock clock;
    private final boolean systemClock;
    private final long originNanos;
    private long lastRefusedNanos = Long.MIN_VALUE;
    private final Map<String, Double> configured = new HashMap<>();
    private double explicitBudget;
    private double ceiling;

    private long lastWallNanos;
    private long monotonicNanos;

    /** When the next request may go on the even grid, on the monotonic time line. */
    private long nextFreeNanos;
    /** The last slot handed out. */
    private long lastSlotNanos = Long.MIN_VALUE / 2;
    private long pausedUntilNanos;
    private long lastEstimateNanos;
    /** The rate right after the last 429, and from when it recovers; {@code NaN} before any 429. */
    private double decreasedRate = Double.NaN;
    private long recoveringSinceNanos;
    private long throttled;
    private long guardNanos = ARRIVAL_GUARD.toNanos();
    /** When the last requests (at most the ceiling's worth) actually left. */
    private final ArrayDeque<Long> departures = new ArrayDeque<>();

    /**
     * @param explicitBudget the runtime's budget for the origin, or 0 for the lowest rate its
     *                       users configure
     */
    RateLimiter(Clock clock, double explicitBudget) {
        this.clock = clock;
        this.systemClock = clock.equals(Clock.system(clock.getZone()));
        this.originNanos = System.nanoTime();
        this.explicitBudget = explicitBudget;
        this.ceiling = explicitBudget;
        this.lastWallNanos = wallNanos();
    }

    /** Records the rate {@code user} configured; the ceiling is the lowest of all users' rates. */
    synchronized void use(String user, double requestsPerSecond) {
        checkRate(requestsPerSecond);
        Double previous = configured.put(user, requestsPerSecond);
        if (previous == null || previous != requestsPerSecond) {
            ceiling = explicitBudget > 0 ? explicitBudget
                    : configured.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }
    }

    /** Sets the runtime's explicit budget, which replaces the users' rates. */
    synchronized void budget(double requestsPerSecond) {
        checkRate(requestsPerSecond);
        explicitBudget = requestsPerSecond;
        ceiling = requestsPerSecond;
    }

    /** The rate requests go at now, at most the ceiling. */
    synchronized double rate() {
        return rate(now());
    }

    /** The highest rate this tenant's requests may go at. */
    synchronized double ceiling() {
        return ceiling;
    }

    /** How many 429s this tenant has answered. */
    synchronized long throttled() {
        return throttled;
    }

    /** Takes the next free slot and says how long to wait until it comes (zero if now). */
    synchronized Duration reserve() {
        if (!(ceiling > 0)) {
            throw new IllegalStateException("no rate configured for this tenant");
        }
        long now = now();
        long interval = interval(rate(now), guardNanos);
        // a requester late for its slot (a slow page) may make the time up; idle time beyond one
        // window is not banked
        long grid = Math.max(Math.max(nextFreeNanos, now - SECOND), pausedUntilNanos);
        long start = Math.max(now, Math.max(grid, lastSlotNanos + Math.round(interval * CATCH_UP_SPACING)));
        nextFreeNanos = grid + interval;
        lastSlotNanos = start;
        return Duration.ofNanos(start - now);
    }

    /**
     * The caller is about to send: says how much longer it must wait so that no second (plus the
     * guard) of actual departures holds more than the ceiling's worth of requests, or records the
     * departure and returns zero. Call again after waiting.
     */
    synchronized Duration depart() {
        long now = now();
        int perWindow = Math.max(1, (int) Math.floor(ceiling));
        while (departures.size() > perWindow) {
            departures.pollFirst();
        }
        if (departures.size() == perWindow) {
            long allowed = departures.peekFirst() + SECOND + guardNanos;
            // a clock that stood still while the caller waited (a fixed clock in a test) cannot
            // pace departures: let the request go rather than wait for ever
            if (now < allowed && now != lastRefusedNanos) {
                lastRefusedNanos = now;
                return Duration.ofNanos(allowed - now);
            }
            departures.pollFirst();
        }
        departures.addLast(now);
        return Duration.ZERO;
    }

    /** The slack added to every second of pacing now. */
    synchronized Duration guard() {
        return Duration.ofNanos(guardNanos);
    }

    /**
     * The tenant answered 429: pause every request to it for {@code retryAfter}, or an estimate
     * (one request interval at the lowered rate, doubling while 429s follow each other within a
     * second), lower the rate and widen the guard. A 429 for a request sent before the current pause began only
     * lengthens the pause to its {@code Retry-After}: the rate was lowered for that episode already.
     */
    synchronized void throttled(Optional<Duration> retryAfter) {
        throttled++;
        long now = now();
        if (now < pausedUntilNanos) {
            retryAfter.ifPresent(wait -> pausedUntilNanos = Math.max(pausedUntilNanos, now + wait.toNanos()));
            return;
        }
        double lowered = Math.max(ceiling * FLOOR, rate(now) * DECREASE);
        guardNanos = Math.min(MAX_GUARD.toNanos(), 2 * guardNanos);
        long pause;
        if (retryAfter.isPresent()) {
            pause = retryAfter.get().toNanos();
        } else {
            boolean soonAfterLastPause = pausedUntilNanos > 0 && now - pausedUntilNanos < SECOND;
            pause = soonAfterLastPause ? Math.min(MAX_ESTIMATE.toNanos(), 2 * lastEstimateNanos)
                    : interval(lowered, guardNanos);
            lastEstimateNanos = pause;
        }
        pausedUntilNanos = now + pause;
        nextFreeNanos = Math.max(nextFreeNanos, pausedUntilNanos);
        decreasedRate = lowered;
        recoveringSinceNanos = pausedUntilNanos;
    }

    private double rate(long at) {
        if (Double.isNaN(decreasedRate)) {
            return ceiling;
        }
        double recovered = (double) Math.max(0, at - recoveringSinceNanos) / SECOND * RECOVERY * ceiling;
        return Math.min(ceiling, decreasedRate + recovered);
    }

    private static long interval(double requestsPerSecond, long guardNanos) {
        return Math.max(1, Math.round((double) (SECOND + guardNanos) / requestsPerSecond));
    }

    /**
     * Time that never goes back: {@link System#nanoTime()} when the clock is the system's, else
     * the given (fake) clock with a step back counted as no time passing.
     */
    private long now() {
        if (systemClock) {
            return System.nanoTime() - originNanos;
        }
        long wall = wallNanos();
        if (wall > lastWallNanos) {
            monotonicNanos += wall - lastWallNanos;
        }
        lastWallNanos = wall;
        return monotonicNanos;
    }

    private long wallNanos() {
        Instant instant = clock.instant();
        return instant.getEpochSecond() * SECOND + instant.getNano();
    }

    static void checkRate(double requestsPerSecond) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requests per second must be positive and finite, got "
                    + requestsPerSecond);
        }
    }
}
