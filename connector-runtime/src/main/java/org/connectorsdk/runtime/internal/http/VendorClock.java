package org.connectorsdk.runtime.internal.http;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How far a tenant's clock is from this machine's, as its replies tell: what a sync run adds to
 * the local clock to plan a window on the vendor's time line.
 */
public interface VendorClock {
    /**
     * The vendor's clock minus the local clock at {@code uri}'s origin (positive: the vendor is
     * ahead), estimated from the {@code Date} headers of its recent replies; empty until a reply
     * with a readable {@code Date} came back from that origin.
     */
    Optional<Duration> offset(URI uri);
}
