package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.api.host.StreamStats;
import org.connectorsdk.runtime.ConnectorRuntime.Progress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The metrics move with every page of a run, and its end adds only what the pages did not tell. */
class RunMetersTest {
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private FileStateStore store;
    private RunMeters meters;

    @BeforeEach
    void open() {
        store = FileStateStore.open(dir);
        store.saveInstance(new InstanceRecord("tenant-a", "cortex-xdr", "", Map.of("baseUrl", "https://api-a.example:443"),
                Optional.empty(), ConnectorState.REGISTERED, T0));
        meters = new RunMeters(registry, store);
    }

    private static Progress page(long pages, long read, long written, long rejected, Map<String, Long> counters) {
        return new Progress("tenant-a", "assets", pages, read, written, rejected, OptionalLong.of(300), counters);
    }

    private double value(String meter, String... tags) {
        var search = registry.find(meter).tags(tags);
        return search.counter() != null ? search.counter().count() : search.gauge() != null ? search.gauge().value() : -1;
    }

    @Test
    void everyPageMovesTheCountersAndTheTenantRateWhileTheRunGoesOn() {
        meters.transition("tenant-a", new StateTransition(ConnectorState.PROCESSING, T0, Optional.of("r1"), "run started"));
        meters.progress(page(1, 100, 98, 2, Map.of("http.requests", 1L, "http.settledRequestsPerMinute", 540L)));

        assertThat(value("connector.records.read", "instance", "tenant-a", "stream", "assets")).isEqualTo(100);
        assertThat(value("connector.records.written", "instance", "tenant-a", "stream", "assets")).isEqualTo(98);
        assertThat(value("connector.records.rejected", "instance", "tenant-a", "stream", "assets")).isEqualTo(2);
        assertThat(value("connector.http.requests", "tenant", "api-a.example")).isEqualTo(1);
        assertThat(value("connector.http.rate", "tenant", "api-a.example")).isEqualTo(9.0);

        meters.progress(page(2, 200, 197, 3, Map.of("http.requests", 3L, "http.retries", 1L, "http.throttled", 1L,
                "http.settledRequestsPerMinute", 432L)));

        assertThat(value("connector.records.written", "instance", "tenant-a", "stream", "assets")).isEqualTo(197);
        assertThat(value("connector.pages", "instance", "tenant-a", "stream", "assets")).isEqualTo(2);
        assertThat(value("connector.http.requests", "tenant", "api-a.example")).isEqualTo(3);
        assertThat(value("connector.http.rate.limited", "tenant", "api-a.example")).isEqualTo(1);
        assertThat(value("connector.http.rate", "tenant", "api-a.example")).isEqualTo(7.2);
        assertThat(value("connector.runs", "instance", "tenant-a", "state", "PROCESSED")).isEqualTo(-1);
    }

    @Test
    void theRunsEndCountsOnlyWhatItsPagesDidNotTell() {
        meters.transition("tenant-a", new StateTransition(ConnectorState.PROCESSING, T0, Optional.of("r1"), "run started"));
        meters.progress(page(2, 200, 197, 3, Map.of("http.requests", 3L)));
        store.saveRun(new RunSummary("r1", "tenant-a", "cortex-xdr", ConnectorState.PROCESSED, T0, T0.plusSeconds(30),
                Map.of("assets", new StreamStats(300, 296, 4, 3, List.of(), Optional.empty())),
                Map.of("http.requests", 5L), Optional.empty()));
        meters.transition("tenant-a", new StateTransition(ConnectorState.PROCESSED, T0.plusSeconds(30), Optional.of("r1"),
                "run ended"));

        assertThat(value("connector.records.read", "instance", "tenant-a", "stream", "assets")).isEqualTo(300);
        assertThat(value("connector.records.written", "instance", "tenant-a", "stream", "assets")).isEqualTo(296);
        assertThat(value("connector.records.rejected", "instance", "tenant-a", "stream", "assets")).isEqualTo(4);
        assertThat(value("connector.http.requests", "tenant", "api-a.example")).isEqualTo(5);
        assertThat(value("connector.runs", "instance", "tenant-a", "state", "PROCESSED")).isEqualTo(1);
    }
}
