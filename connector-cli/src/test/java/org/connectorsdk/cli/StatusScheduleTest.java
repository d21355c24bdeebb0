package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.ScheduleState;
import org.connectorsdk.runtime.FileStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} says when each stream runs next and when a failed run is retried. */
class StatusScheduleTest {
    private static final Instant T0 = Instant.parse("2026-05-25T16:00:00Z");

    @TempDir
    Path dir;

    @AfterEach
    void systemClock() {
        StatusCommand.clock = Clock.systemUTC();
    }

    @Test
    void statusShowsEachStreamsNextRunAndAPendingRetry() {
        StatusCommand.clock = Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC);
        FileStateStore store = FileStateStore.open(dir.resolve("state"));
        ScheduleSpec everyMinute = ScheduleSpec.recurring(ScheduleSpec.Recurrence.everyMinutes(1),
                LocalDateTime.ofInstant(T0, ZoneOffset.UTC), ZoneOffset.UTC);
        store.saveInstance(new InstanceRecord("tenant-eu", "cortex-xdr", "", Map.of(), Optional.of(everyMinute),
                ConnectorState.ERRORED, T0));
        Map<String, Instant> streams = new LinkedHashMap<>();
        streams.put("assets", T0.plusSeconds(86_400));
        streams.put("incidents", T0.plusSeconds(60));
        store.saveScheduleState("tenant-eu", new ScheduleState(everyMinute, Optional.of(T0.plusSeconds(60)),
                Optional.of(T0), streams, Optional.of(new ScheduleState.Retry(1, 3, T0.plusSeconds(60),
                        ErrorKind.TRANSIENT))));

        ConnectorsCliTest.Result status = ConnectorsCliTest.run("status", "--state", dir.resolve("state").toString());

        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out().lines()).containsExactly(
                "tenant-eu (cortex-xdr): ERRORED",
                "  last run:  none yet",
                "  next run:  2026-05-25T16:01:00Z",
                "  streams:   assets 2026-05-26T16:00:00Z, incidents 2026-05-25T16:01:00Z",
                "  pending:   retry 1 of 3 at 2026-05-25T16:01:00Z after TRANSIENT");
    }
}
