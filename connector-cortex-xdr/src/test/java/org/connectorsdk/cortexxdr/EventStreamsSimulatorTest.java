package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.Partition;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.testkit.MutableClock;

/**
 * The incident and alert readers against the simulated tenant over HTTPS, driven page by page
 * the way the runtime drives them (a frozen window per run), on fake time.
 */
class EventStreamsSimulatorTest {
    static final String KEY_ID = "1";
    static final String KEY = "standard-key-for-event-tests-0123";
    /** The simulator's incidents lead up to this instant; the runs happen after it. */
    static final Instant BASE = Instant.parse("2026-11-20T00:00:00Z");
    static final Duration OVERLAP = Duration.ofMinutes(5);
    static final Duration SETTLE = Duration.ofMinutes(1);

    private final CortexXdrConnector connector = new CortexXdrConnector();

    static CortexXdrSimulator start(int incidents) {
        return CortexXdrSimulator.builder().endpoints(50).incidents(incidents).seed(11).eventTimeBase(BASE)
                .standardKey(KEY_ID, KEY).start();
    }

    static ConnectorConfig config(CortexXdrSimulator sim, Object... more) {
        Map<String, Object> raw = TestConfigs.raw(sim.baseUrl());
        raw.put("apiKey", KEY);
        raw.put("apiKeyId", KEY_ID);
        raw.put("caCertificate", sim.caCertificatePem());
        raw.put("dataToSync", "none");
        raw.put("events", List.of("incidents", "alerts"));
        raw.put("maxRequestsPerSecond", 10);
        for (int i = 0; i < more.length; i += 2) {
            raw.put((String) more[i], more[i + 1]);
        }
        return TestConfigs.config(raw);
    }

    /** Every page of one stream in one run, as the runtime reads it; fails on a runaway loop. */
    static List<Map<String, Object>> readAll(StreamReader reader, StreamSpec stream, SyncMode mode,
            Optional<TimeWindow> window) {
        List<Map<String, Object>> out = new ArrayList<>();
        PageRequest request = new PageRequest(stream, Partition.WHOLE, Checkpoint.START, mode, window);
        Set<Checkpoint> checkpoints = new HashSet<>();
        for (int pages = 1; ; pages++) {
            assertThat(pages).as("pages of %s", stream.name()).isLessThan(1_000);
            Page page = reader.read(request);
            out.addAll(page.records());
            if (page.done()) {
                return out;
            }
            assertThat(checkpoints.add(page.next())).as("a new checkpoint on every page").isTrue();
            request = request.next(page);
        }
    }

    static List<String> ids(List<Map<String, Object>> records, String field) {
        return records.stream().map(r -> (String) r.get(field)).toList();
    }

    @Test
    void threeHundredIncidentsSharingOneModificationTimeServedInANewOrderOnEveryRequestAreEachReadOnce() {
        try (CortexXdrSimulator sim = start(400)) {
            MutableClock clock = MutableClock.at(BASE.plus(Duration.ofHours(2)));
            List<String> tied = sim.modifyIncidents(300, BASE.plus(Duration.ofHours(1)));
            sim.shuffleTiesOnEveryRequest(true);

            List<Map<String, Object>> read;
            ConnectorContext context = RuntimeContexts.onFakeTime("tenant-a", List.of(KEY), clock);
            try (StreamReader reader = connector.open(config(sim, "eventLookback", "P30D"), context)) {
                read = readAll(reader, CortexXdrConnector.INCIDENTS, SyncMode.FULL, Optional.empty());
            }

            assertThat(RuntimeContexts.metrics(context)).as("the tie was read on its own").containsEntry("incidents.ties", 1L);
            assertThat(ids(read, "incident_id")).hasSize(400).doesNotHaveDuplicates().containsAll(tied);
            assertThat(read).extracting(r -> ((Number) r.get("modification_time")).longValue()).isSorted();
        }
    }

    @Test
    void aFullReadWhoseRequestCarriesAWindowEndsWhereThatWindowEnds() {
        try (CortexXdrSimulator sim = start(20)) {
            MutableClock clock = MutableClock.at(BASE.plus(Duration.ofHours(2)));
            Instant windowEnd = clock.instant().minus(SETTLE);
            // stamped after the runtime's window end, before the reader opens: the next run's to read
            List<String> late = sim.addIncidents(2, windowEnd.plusSeconds(10));
            ConnectorConfig config = config(sim, "eventLookback", "P30D");

            List<Map<String, Object>> withWindow;
            List<Map<String, Object>> withoutWindow;
            try (StreamReader reader = connector.open(config, RuntimeContexts.onFakeTime("tenant-a", List.of(KEY), clock))) {
                withWindow = readAll(reader, CortexXdrConnector.INCIDENTS, SyncMode.FULL,
                        Optional.of(new TimeWindow(windowEnd.minus(OVERLAP), windowEnd)));
            }
            try (StreamReader reader = connector.open(config, RuntimeContexts.onFakeTime("tenant-a", List.of(KEY), clock))) {
                withoutWindow = readAll(reader, CortexXdrConnector.INCIDENTS, SyncMode.FULL, Optional.empty());
            }

            // the lookback start, not the window's: all twenty older incidents
            assertThat(ids(withWindow, "incident_id")).hasSize(20).doesNotContainAnyElementsOf(late);
            assertThat(ids(withoutWindow, "incident_id")).hasSize(22).containsAll(late);
        }
    }

    @Test
    void aDeltaRunAfterThreeModifiedAndTwoAddedIncidentsEmitsExactlyThoseFive() {
        try (CortexXdrSimulator sim = start(300)) {
            MutableClock clock = MutableClock.at(BASE.plus(Duration.ofHours(2)));
            ConnectorConfig config = config(sim, "eventLookback", "P30D");

            // first run: a full read reaching back eventLookback
            List<Map<String, Object>> first;
            ConnectorContext context = RuntimeContexts.onFakeTime("tenant-a", List.of(KEY), clock);
            try (StreamReader reader = connector.open(config, context)) {
                first = readAll(reader, CortexXdrConnector.INCIDENTS, SyncMode.FULL, Optional.empty());
            }
            assertThat(ids(first, "incident_id")).hasSize(300).doesNotHaveDuplicates();
            assertThat(first).extracting(r -> ((Number) r.get("modification_time")).longValue()).isSorted();
            Instant watermark = clock.instant().minus(SETTLE);

            clock.advance(Duration.ofMinutes(5));
            List<String> modified = sim.modifyIncidents(3, clock.instant());
            clock.advance(Duration.ofMinutes(1));
            List<String> added = sim.addIncidents(2, clock.instant());
            clock.advance(Duration.ofMinutes(4));

            // the delta run: the runtime's frozen window [watermark - overlap, now - settle)
            TimeWindow window = new TimeWindow(watermark.minus(OVERLAP), clock.instant().minus(SETTLE));
            List<Map<String, Object>> delta;
            try (StreamReader reader = connector.open(config, RuntimeContexts.onFakeTime("tenant-a", List.of(KEY), clock))) {
                delta = readAll(reader, CortexXdrConnector.INCIDENTS, SyncMode.INCREMENTAL, Optional.of(window));
            }
            List<String> expected = new ArrayList<>(modified);
            expected.addAll(added);
            assertThat(ids(delta, "incident_id")).containsExactlyElementsOf(expected);
            assertThat(delta.subList(3, 5)).allSatisfy(r -> assertThat(r).containsEntry("status", "new"));
            for (int i = 0; i < 3; i++) {
                String id = modified.get(i);
                Map<String, Object> before = first.stream().filter(r -> id.equals(r.get("incident_id"))).findFirst()
                        .orElseThrow();
                assertThat(delta.get(i).get("status")).isEqualTo(sim.incident(id).get("status"))
                        .isNotEqualTo(before.get("status"));
            }
        }
    }

    @Test
    void aFirstRunReachesBackTheLookbackOnly() {
        try (CortexXdrSimulator sim = start(700)) {
            MutableClock clock = MutableClock.at(BASE);
            // 700 incidents over the week before BASE: about 100 a day
            List<Map<String, Object>> day;
            try (StreamReader reader = connector.open(config(sim),
                    RuntimeContexts.onFakeTime("tenant-a", List.of(KEY), clock))) {
                day = readAll(reader, CortexXdrConnector.INCIDENTS, SyncMode.FULL, Optional.empty());
            }
            long from = BASE.minus(Duration.ofDays(1)).toEpochMilli();
            long expected = sim.incidentCount() == 700 ? countModifiedSince(sim, from) : -1;
            assertThat(day).hasSize((int) expected);
            assertThat(day).allSatisfy(r -> assertThat(((Number) r.get("modification_time")).longValue())
                    .isGreaterThanOrEqualTo(from).isLessThan(BASE.toEpochMilli()));
        }
    }

    private static long countModifiedSince(CortexXdrSimulator sim, long from) {
        long n = 0;
        for (int i = 1; i <= sim.incidentCount(); i++) {
            long t = ((Number) sim.incident(Integer.toString(i)).get("modification_time")).longValue();
            if (t >= from && t < BASE.toEpochMilli()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void incidentsModifiedWhilePagingAreNeitherSkippedNorRepeated() {
        try (CortexXdrSimulator sim = start(450)) {
            MutableClock clock = MutableClock.at(BASE.plus(Duration.ofHours(1)));
            List<Map<String, Object>> out = new ArrayList<>();
            try (StreamReader reader = connector.open(config(sim, "eventLookback", "P30D"),
                    RuntimeContexts.onFakeTime("tenant-a", List.of(KEY), clock))) {
                PageRequest request = new PageRequest(CortexXdrConnector.INCIDENTS, Partition.WHOLE, Checkpoint.START,
                        SyncMode.FULL, Optional.empty());
                for (int page = 1; ; page++) {
                    Page p = reader.read(request);
                    out.addAll(p.records());
                    if (p.done()) {
                        break;
                    }
                    if (page == 2) {
                        // incidents already read move past the window's end: offsets would shift
                        for (Map<String, Object> r : p.records().subList(0, 40)) {
                            sim.modifyIncident((String) r.get("incident_id"), clock.instant().plusSeconds(60));
                        }
                    }
                    request = request.next(p);
                }
            }
            assertThat(ids(out, "incident_id")).doesNotHaveDuplicates().hasSize(450);
        }
    }

    @Test
    void aWindowPastTheNineThousandNineHundredNinetyNineCapIsPagedByServerTimeAndEveryAlertReadOnce() {
        try (CortexXdrSimulator sim = start(3_200)) {
            int alerts = sim.alertCount();
            assertThat(alerts).isGreaterThan(10_000);
            Set<String> expected = new HashSet<>();
            for (int i = 1; i <= sim.incidentCount(); i++) {
                sim.alertsOf(Integer.toString(i)).forEach(a -> expected.add((String) a.get("alert_id")));
            }
            MutableClock clock = MutableClock.at(BASE.plus(Duration.ofDays(1)));
            ConnectorContext context = RuntimeContexts.onFakeTime("tenant-a", List.of(KEY), clock);
            List<Map<String, Object>> read;
            try (StreamReader reader = connector.open(config(sim), context)) {
                TimeWindow all = new TimeWindow(BASE.minus(Duration.ofDays(10)), BASE.plus(Duration.ofHours(12)));
                read = readAll(reader, CortexXdrConnector.ALERTS, SyncMode.INCREMENTAL, Optional.of(all));
            }
            assertThat(ids(read, "alert_id")).doesNotHaveDuplicates().hasSize(alerts);
            assertThat(new HashSet<>(ids(read, "alert_id"))).isEqualTo(expected);
            assertThat(read).extracting(r -> ((Number) r.get("local_insert_ts")).longValue()).isSorted();
        }
    }

    @Test
    void withoutTotalCountAWindowPastTenThousandAlertsIsReadWhole() {
        try (CortexXdrSimulator sim = start(3_200)) {
            sim.faults().onPath(CortexXdrSimulator.GET_ALERTS_MULTI_EVENTS).always()
                    .respond(org.connectorsdk.cortexxdr.simulator.TenantFault.totalCountAbsent());
            MutableClock clock = MutableClock.at(BASE.plus(Duration.ofDays(1)));
            ConnectorContext context = RuntimeContexts.onFakeTime("tenant-a", List.of(KEY), clock);
            List<Map<String, Object>> read;
            try (StreamReader reader = connector.open(config(sim), context)) {
                TimeWindow all = new TimeWindow(BASE.minus(Duration.ofDays(10)), BASE.plus(Duration.ofHours(12)));
                read = readAll(reader, CortexXdrConnector.ALERTS, SyncMode.INCREMENTAL, Optional.of(all));
            }
            assertThat(ids(read, "alert_id")).doesNotHaveDuplicates().hasSize(sim.alertCount());
        }
    }

    @Test
    void filtersReachTheApiOrApplyToEachPage() {
        try (CortexXdrSimulator sim = start(400)) {
            MutableClock clock = MutableClock.at(BASE.plus(Duration.ofHours(1)));
            ConnectorConfig config = config(sim, "eventLookback", "P30D",
                    "incidentStatusFilter", List.of("new", "under_investigation"),
                    "incidentSeverityFilter", List.of("critical"), "alertSeverityFilter", List.of("high", "critical"));
            List<Map<String, Object>> incidents;
            List<Map<String, Object>> alerts;
            try (StreamReader reader = connector.open(config, RuntimeContexts.onFakeTime("t", List.of(KEY), clock))) {
                incidents = readAll(reader, CortexXdrConnector.INCIDENTS, SyncMode.FULL, Optional.empty());
                alerts = readAll(reader, CortexXdrConnector.ALERTS, SyncMode.FULL, Optional.empty());
            }
            assertThat(incidents).isNotEmpty().allSatisfy(r -> {
                assertThat(r.get("severity")).isEqualTo("critical");
                assertThat(r.get("status")).isIn("new", "under_investigation");
            });
            assertThat(alerts).isNotEmpty().allSatisfy(r -> assertThat(r.get("severity")).isIn("high", "critical"));
            long all = 0;
            for (int i = 1; i <= 400; i++) {
                Map<String, Object> inc = sim.incident(Integer.toString(i));
                if ("critical".equals(inc.get("severity")) && List.of("new", "under_investigation")
                        .contains(inc.get("status"))) {
                    all++;
                }
            }
            assertThat(incidents).hasSize((int) all);
        }
    }
}
