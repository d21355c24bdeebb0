package org.connectorsdk.runtime.internal.http;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One estimate of the tenant's clock per {@link Origin}, from the {@code Date} header of every
 * reply; each run reads those of the origins it talked to through its own {@link VendorClock}.
 *
 * <p>A {@code Date} says the vendor's clock read between {@code D} and {@code D + 1 s} at some
 * instant between sending and receiving, so each reply bounds the offset to
 * {@code [D - received, D + 1 s - sent]}. The estimate is the middle of the intersection of the
 * last {@link #SAMPLES} replies' bounds: replies sent at different fractions of a second narrow
 * it to about the round trip, and a slow reply only widens its own bounds. When the bounds no
 * longer meet (either clock was set), the older ones are dropped.
 *
 * <p>The first time the local clock is certainly more than {@link #WARN_BEYOND} off an origin's,
 * one WARN names the origin, the offset and the remedy.
 */
final class VendorClocks {
    /** Offsets beyond this are worth a warning: the default settle delay of a delta window. */
    static final Duration WARN_BEYOND = Duration.ofMinutes(1);
    /** How many recent replies an estimate keeps. */
    static final int SAMPLES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(VendorClocks.class);

    private final ConcurrentHashMap<Origin, Estimate> estimates = new ConcurrentHashMap<>();

    /**
     * The vendor's clock minus the local clock at {@code uri}'s origin (positive: the vendor is
     * ahead), the middle of what its recent replies allow; empty until a dated reply came back.
     */
    Optional<Duration> offset(URI uri) {
        Estimate estimate = estimates.get(Origin.of(uri));
        return estimate == null ? Optional.empty() : Optional.of(estimate.offset());
    }

    /**
     * How far the local clock is ahead of {@code origin}'s for certain: the least the recent
     * replies allow, when that is more than nothing.
     */
    Optional<Duration> localAhead(Origin origin) {
        Estimate estimate = estimates.get(origin);
        long behind = estimate == null ? 0 : estimate.highest();
        return behind < 0 ? Optional.of(Duration.ofMillis(-behind)) : Optional.empty();
    }

    /**
     * Takes one reply's {@code Date} header (absent or unreadable ones are skipped), sent and
     * received at the given local instants.
     */
    void observe(URI uri, Optional<String> date, Instant sent, Instant received) {
        Optional<Instant> vendorTime = date.flatMap(VendorClocks::parse);
        if (vendorTime.isEmpty()) {
            return;
        }
        Origin origin = Origin.of(uri);
        long d = vendorTime.get().toEpochMilli();
        Estimate estimate = estimates.computeIfAbsent(origin, o -> new Estimate());
        if (estimate.add(d - received.toEpochMilli(), d + 1_000 - sent.toEpochMilli())) {
            long seconds = Math.round(estimate.offset().toMillis() / 1000.0);
            LOG.warn("The local clock is {} s {} the clock of {} (from the Date headers of its replies): {}. Fix this "
                    + "machine's time synchronisation (NTP)", Math.abs(seconds), seconds < 0 ? "ahead of" : "behind",
                    origin, seconds < 0 ? "delta runs hold their watermarks back to the vendor's clock and read that "
                            + "much more of every window again" : "delta windows end that much before the vendor's "
                            + "present, so its records are published that much later");
        }
    }

    /** An RFC 1123 date (what HTTP servers send), or empty. */
    static Optional<Instant> parse(String date) {
        try {
            return Optional.of(ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The bounds of one origin's recent replies, in milliseconds of vendor minus local time. */
    private static final class Estimate {
        private final ArrayDeque<Bounds> bounds = new ArrayDeque<>();
        private long low;
        private long high;
        private boolean warned;

        /** Adds one reply's bounds; true when this is the moment to warn. */
        synchronized boolean add(long lower, long upper) {
            bounds.addLast(new Bounds(lower, upper));
            if (bounds.size() > SAMPLES) {
                bounds.pollFirst();
            }
            intersect();
            if (low > high) {
                // a clock was set: only the newest reply speaks for the clocks now
                Bounds newest = bounds.peekLast();
                bounds.clear();
                bounds.add(newest);
                intersect();
            }
            long limit = WARN_BEYOND.toMillis();
            if (!warned && (low > limit || high < -limit)) {
                warned = true;
                return true;
            }
            return false;
        }

        private void intersect() {
            low = Long.MIN_VALUE;
            high = Long.MAX_VALUE;
            for (Bounds b : bounds) {
                low = Math.max(low, b.lower());
                high = Math.min(high, b.upper());
            }
        }

        synchronized Duration offset() {
            return Duration.ofMillis(low + (high - low) / 2);
        }

        /** The highest offset the replies allow, in milliseconds. */
        synchronized long highest() {
            return high;
        }
    }

    private record Bounds(long lower, long upper) {
    }
}
