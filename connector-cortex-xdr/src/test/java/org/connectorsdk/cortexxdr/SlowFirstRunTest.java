package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.TenantFault;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.testkit.InMemoryRecordSink;
import org.connectorsdk.testkit.InMemoryStateStore;
import org.connectorsdk.testkit.MutableClock;

/**
 * A first run that takes far longer than overlap + settle (the asset stream and the incidents
 * throttled with Retry-After for 25 minutes of fake time) while the tenant keeps adding and
 * modifying incidents and their alerts: the later runs publish every version the first one could
 * not see, and nothing twice. Before the windows were fixed at the run's start this lost every
 * alert that arrived while the incidents were throttled.
 */
class SlowFirstRunTest {
    static final String KEY = "slow-first-run-key-0123456789";
    static final Instant BASE = Instant.parse("2026-11-20T00:00:00Z");
    static final String NAME = "slow";

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void recordsArrivingDuringAThrottledFirstRunAreEachPublishedOnceByTheNextRuns() throws IOException {
        MutableClock clock = MutableClock.at(BASE.plus(Duration.ofHours(1)));
        // one incident added and one modified every minute of fake time, each new one with alerts
        CortexXdrSimulator sim = CortexXdrSimulator.builder().endpoints(1_500).incidents(40).seed(11)
                .eventTimeBase(BASE).liveEvents(Duration.ofMinutes(1)).clock(clock).standardKey("1", KEY).start();
        closing.add(sim);
        InMemoryRecordSink sink = new InMemoryRecordSink();
        ConnectorRuntime runtime = ConnectorRuntime.builder().sink(sink).stateStore(new InMemoryStateStore())
                .clock(clock).sleeper(clock).workers(1).build();
        closing.add(0, runtime);
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, KEY);
        runtime.register(new InstanceDefinition("cortex-xdr", NAME, "a slow tenant", Map.of("baseUrl", sim.baseUrl(),
                "apiKey", "file:" + keyFile, "apiKeyId", "1", "dataToSync", "assets",
                "events", List.of("incidents", "alerts"), "eventLookback", "P30D", "maxRequestsPerSecond", 10,
                "caCertificate", sim.caCertificatePem()), Optional.empty()));

        // the assets (read first) wait 2 x 300 s, then the incidents 3 x 300 s
        long endpoints = sim.requestCount(CortexXdrSimulator.GET_ENDPOINT);
        sim.faults().onPath(CortexXdrSimulator.GET_ENDPOINT).requests(endpoints + 2, endpoints + 3)
                .respond(TenantFault.tooManyRequests(300));
        long incidents = sim.requestCount(CortexXdrSimulator.GET_INCIDENTS);
        sim.faults().onPath(CortexXdrSimulator.GET_INCIDENTS).requests(incidents + 1, incidents + 3)
                .respond(TenantFault.tooManyRequests(300));
        Instant firstStart = clock.instant();
        RunSummary first = runtime.runNow(NAME);
        assertThat(first.state()).as(String.valueOf(first.error())).isEqualTo(ConnectorState.PROCESSED);
        assertThat(first.counter("http.retries")).isEqualTo(5);
        assertThat(first.streams().get("assets").written()).isEqualTo(1_500);
        Duration took = Duration.between(firstStart, first.finishedAt());
        assertThat(took).as("the first run outlasts overlap + settle").isGreaterThanOrEqualTo(Duration.ofMinutes(25));
        int duringFirst = sim.incidentCount();

        for (int run = 0; run < 3; run++) {
            clock.advance(Duration.ofMinutes(7));
            RunSummary next = runtime.runNow(NAME);
            assertThat(next.state()).as(String.valueOf(next.error())).isEqualTo(ConnectorState.PROCESSED);
        }
        assertThat(sim.incidentCount()).as("incidents kept arriving").isGreaterThan(duringFirst);

        // the truth: every incident's and alert's current version inside the last run's window
        var lastRun = sink.lastRun(NAME).orElseThrow().run();
        long incidentsEnd = lastRun.streams().get("incidents").window().orElseThrow().to().toEpochMilli();
        long alertsEnd = lastRun.streams().get("alerts").window().orElseThrow().to().toEpochMilli();
        Set<String> expectedIncidents = new HashSet<>();
        Set<String> expectedAlerts = new HashSet<>();
        for (int i = 1; i <= sim.incidentCount(); i++) {
            String id = String.valueOf(i);
            long modified = ((Number) sim.incident(id).get("modification_time")).longValue();
            if (modified < incidentsEnd) {
                expectedIncidents.add(id + "@" + modified);
            }
            for (Map<String, Object> alert : sim.alertsOf(id)) {
                long inserted = ((Number) alert.get("local_insert_ts")).longValue();
                if (inserted < alertsEnd) {
                    expectedAlerts.add(alert.get("alert_id") + "@" + inserted);
                }
            }
        }
        Map<String, Integer> publishedIncidents = versions(sink, "incidents");
        Map<String, Integer> publishedAlerts = versions(sink, "alerts");
        assertThat(publishedIncidents).as("incident versions published more than once")
                .allSatisfy((version, times) -> assertThat(times).as(version).isOne());
        assertThat(publishedAlerts).as("alert versions published more than once")
                .allSatisfy((version, times) -> assertThat(times).as(version).isOne());
        assertThat(publishedIncidents.keySet()).as("every incident's current version").containsAll(expectedIncidents);
        assertThat(publishedAlerts.keySet()).as("every alert").containsExactlyInAnyOrderElementsOf(expectedAlerts);
    }

    /** How many times each {@code key@version} of the stream was published over all runs. */
    private static Map<String, Integer> versions(InMemoryRecordSink sink, String stream) {
        Map<String, Integer> times = new HashMap<>();
        for (InMemoryRecordSink.CommittedRun run : sink.committedRuns()) {
            for (Map<String, Object> record : run.records(stream)) {
                Map<?, ?> meta = (Map<?, ?>) record.get("_meta");
                times.merge(((List<?>) meta.get("key")).get(0) + "@" + meta.get("version"), 1, Integer::sum);
            }
        }
        return times;
    }
}
