package org.connectorsdk.cortexxdr;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock advanced only by the pauses it records, so backoff is tested without sleeping. */
final class FakeTime extends Clock implements XqlClient.Pause {
    private Instant now = Instant.parse("2026-05-13T11:07:00Z");
    final List<Duration> pauses = new ArrayList<>();

    @Override
    public void pause(Duration duration) {
        pauses.add(duration);
        now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
        return now;
    }
}
