package org.connectorsdk.cortexxdr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.connectorsdk.testkit.MutableClock;

/** Pauses that move {@link #clock} instead of sleeping and are recorded, so backoff is tested without waiting. */
final class FakeTime implements XqlClient.Pause {
    final MutableClock clock = MutableClock.at("2026-05-13T11:07:00Z");
    final List<Duration> pauses = new ArrayList<>();

    @Override
    public void pause(Duration duration) {
        pauses.add(duration);
        clock.advance(duration);
    }
}
