package org.connectorsdk.runtime.internal.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clocks of the tenants one run talked to, as the {@code Date} headers of their replies tell,
 * so the run can keep its watermarks on the vendor's time line. One per run (or connection test),
 * shared by all its transports; it remembers which origins they got replies from, while the
 * estimates themselves are the factory's and outlive the run.
 */
public final class VendorClock {
    private final VendorClocks estimates;
    private final Set<Origin> origins = ConcurrentHashMap.newKeySet();

    VendorClock(VendorClocks estimates) {
        this.estimates = requireNonNull(estimates, "estimates is null");
    }

    /** Takes one reply's {@code Date} header from {@code uri}, sent and received at the given local instants. */
    void observe(URI uri, Optional<String> date, Instant sent, Instant received) {
        origins.add(Origin.of(uri));
        estimates.observe(uri, date, sent, received);
    }

    /**
     * How far the local clock is ahead of the vendor's for certain, the most among the origins
     * this run got a dated reply from; empty when it is ahead of none of them (or no reply was
     * dated). Only what the replies prove counts: clocks that agree to within a {@code Date}
     * header's one-second resolution hold nothing back.
     */
    public Optional<Duration> localAhead() {
        return origins.stream().map(estimates::localAhead).flatMap(Optional::stream).max(Comparator.naturalOrder());
    }
}
