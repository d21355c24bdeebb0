package org.connectorsdk.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;
import org.connectorsdk.api.host.StreamChanges;
import org.connectorsdk.api.host.StreamRead;
import org.connectorsdk.api.host.StreamStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL sink against a real server: a run killed before or after its commit,
 * reconciliation of gone assets and fixed findings, two processes on one instance, the export.
 */
class PostgresRecordSinkIT {
    private static final String INSTANCE = "tenant-eu";
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private static TestDatabase database;

    private String url;
    private PostgresStore store;
    private int runs;

    @BeforeAll
    static void startServer() throws IOException {
        database = TestDatabase.start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        database.close();
    }

    @BeforeEach
    void openStore() {
        url = database.newDatabase();
        store = PostgresStore.open(url, TestDatabase.USER, "");
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aRunKilledBeforeItsCommitLeavesNoRowOfIt() throws SQLException {
        SinkWriter writer = store.sink().open(info(SyncMode.FULL));
        for (int i = 0; i < 2000; i++) {
            writer.write("assets", asset("ep-" + i, List.of("CVE-" + i)));
        }
        // the process dies: the server sees its connection drop
        int killed = count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = "
                + "current_database() AND application_name = 'connector-sdk' AND state <> 'idle'");
        assertThat(killed).isEqualTo(1);
        writer.abort();

        assertThat(count("SELECT count(*) FROM connectors.assets")).isZero();
        assertThat(count("SELECT count(*) FROM connectors.findings")).isZero();
        assertThat(count("SELECT count(*) FROM connectors.runs")).isZero();
        assertThat(store.sink().lastCommit(INSTANCE)).isEmpty();
    }

    @Test
    void aRunKilledAfterItsCommitLeavesAllOfItForTheNextProcess() {
        RunCommit commit = run(SyncMode.FULL, true, asset("ep-1", List.of("CVE-1")), asset("ep-2", List.of()));
        // the process dies before the state store hears of the run; a new one opens the database
        store.close();
        store = PostgresStore.open(url, TestDatabase.USER, "");

        RunCommit last = store.sink().lastCommit(INSTANCE).orElseThrow();
        assertThat(last.summary().runId()).isEqualTo(commit.summary().runId());
        assertThat(last.cursors()).isEqualTo(commit.cursors());
        assertThat(count("SELECT count(*) FROM connectors.assets")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM connectors.findings WHERE status = 'OPEN'")).isEqualTo(1);
        // the committed run row carries the change counts the summary has
        assertThat(last.summary().streams().get("assets").changes()).contains(new StreamChanges(2, 0, 0, 0, 0, 0));
    }

    @Test
    void aRunHandedOverInManyBatchesKeepsTheLastRecordOfAKeyCountsItOnceAndReconcilesAcrossBatches() {
        List<Map<?, ?>> first = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            first.add(asset("ep-" + i, List.of("CVE-" + i + "a", "CVE-" + i + "b")));
        }
        assertThat(changes(SyncMode.FULL, true, first.toArray(Map<?, ?>[]::new)).get("findings"))
                .isEqualTo(new StreamChanges(40, 0, 0, 0, 0, 0));

        // every record or two is a batch of its own: ep-20 is gone, ep-3 lost a CVE, ep-7 comes twice
        List<Map<?, ?>> second = new ArrayList<>(first.subList(0, 19));
        second.set(2, asset("ep-3", List.of("CVE-3a")));
        Map<String, Object> renamed = asset("ep-7", List.of("CVE-7a", "CVE-7b"));
        renamed.put("hostName", "host-ep-7-renamed");
        second.add(renamed);
        Map<String, StreamChanges> c = changes(store.sink().withBatchChars(300), SyncMode.FULL, true,
                second.toArray(Map<?, ?>[]::new));

        StreamChanges assets = c.get("assets");
        assertThat(assets.added() + assets.updated() + assets.unchanged()).as("each key counted once").isEqualTo(19);
        assertThat(assets.gone()).isEqualTo(1);
        assertThat(c.get("findings")).isEqualTo(new StreamChanges(0, 0, 37, 0, 1, 0));
        assertThat(rows("SELECT host_name FROM connectors.assets WHERE external_asset_id = 'ep-7'"))
                .containsExactly("host-ep-7-renamed");
        assertThat(rows("SELECT external_finding_id FROM connectors.findings WHERE status = 'FIXED'"))
                .containsExactly("CVE-3b");
        assertThat(rows("SELECT external_asset_id FROM connectors.assets WHERE gone_at IS NOT NULL"))
                .containsExactly("ep-20");
    }

    @Test
    void aFullRunMarksGoneAssetsAndFixedFindingsAndReopensWhatComesBack() {
        Map<String, StreamChanges> first = changes(SyncMode.FULL, true, asset("ep-1", List.of("CVE-1", "CVE-2")),
                asset("ep-2", List.of("CVE-3")), asset("ep-3", List.of("CVE-4")));
        assertThat(first.get("assets")).isEqualTo(new StreamChanges(3, 0, 0, 0, 0, 0));
        assertThat(first.get("findings")).isEqualTo(new StreamChanges(4, 0, 0, 0, 0, 0));

        // ep-3 is gone, CVE-2 is fixed, ep-2's vulnerability data is unknown (no finding array)
        Map<String, Object> unknown = asset("ep-2", List.of());
        unknown.remove("finding");
        Map<String, StreamChanges> second = changes(SyncMode.FULL, true, asset("ep-1", List.of("CVE-1")), unknown);
        assertThat(second.get("assets")).isEqualTo(new StreamChanges(0, 0, 2, 1, 0, 0));
        assertThat(second.get("findings")).isEqualTo(new StreamChanges(0, 0, 1, 0, 1, 0));
        assertThat(rows("SELECT external_finding_id || ' ' || status || ' ' || (fixed_at IS NOT NULL) FROM "
                + "connectors.findings ORDER BY 1")).containsExactly("CVE-1 OPEN false", "CVE-2 FIXED true",
                        "CVE-3 OPEN false", "CVE-4 OPEN false");
        assertThat(rows("SELECT external_asset_id FROM connectors.assets WHERE gone_at IS NOT NULL"))
                .containsExactly("ep-3");

        // everything comes back: ep-3 present again, CVE-2 open again with reopened_at
        Map<String, StreamChanges> third = changes(SyncMode.FULL, true, asset("ep-1", List.of("CVE-1", "CVE-2")),
                asset("ep-2", List.of("CVE-3")), asset("ep-3", List.of("CVE-4")));
        assertThat(third.get("assets")).isEqualTo(new StreamChanges(0, 1, 2, 0, 0, 0));
        assertThat(third.get("findings")).isEqualTo(new StreamChanges(0, 0, 3, 0, 0, 1));
        assertThat(rows("SELECT external_finding_id FROM connectors.findings WHERE status = 'OPEN' "
                + "AND reopened_at IS NOT NULL")).containsExactly("CVE-2");
        assertThat(count("SELECT count(*) FROM connectors.assets WHERE gone_at IS NOT NULL")).isZero();
    }

    @Test
    void aRecordWrittenTwiceInOneRunIsKeptInItsLastVersion() {
        Map<String, StreamChanges> changes = changes(SyncMode.FULL, true, asset("ep-1", List.of("CVE-1")),
                asset("ep-2", List.of("CVE-3")), asset("ep-1", List.of("CVE-1", "CVE-2")));

        assertThat(changes.get("assets")).isEqualTo(new StreamChanges(2, 0, 0, 0, 0, 0));
        assertThat(rows("SELECT external_finding_id FROM connectors.findings ORDER BY 1"))
                .containsExactly("CVE-1", "CVE-2", "CVE-3");
    }

    @Test
    void aDeltaRunAndAFilteredRunReconcileNothing() {
        run(SyncMode.FULL, true, asset("ep-1", List.of("CVE-1", "CVE-2")), asset("ep-2", List.of("CVE-3")));

        // a delta run reports ep-1 without CVE-2; a full run whose filters narrow the stream is no
        // complete snapshot either (the runtime leaves it out of completeSnapshots)
        Map<String, StreamChanges> delta = changes(SyncMode.INCREMENTAL, false, asset("ep-1", List.of("CVE-1")));
        Map<String, StreamChanges> filtered = changes(SyncMode.FULL, false, asset("ep-1", List.of("CVE-1")));

        for (Map<String, StreamChanges> c : List.of(delta, filtered)) {
            assertThat(c.get("assets").gone()).isZero();
            assertThat(c.get("findings").fixed()).isZero();
        }
        assertThat(count("SELECT count(*) FROM connectors.findings WHERE status = 'FIXED'")).isZero();
        assertThat(count("SELECT count(*) FROM connectors.assets WHERE gone_at IS NOT NULL")).isZero();
    }

    @Test
    void aSecondProcessRunningTheSameInstanceIsRefusedAndAnotherInstanceIsNot() {
        try (PostgresStore other = PostgresStore.open(url, TestDatabase.USER, "");
                SinkWriter running = store.sink().open(info(SyncMode.FULL))) {
            running.write("assets", asset("ep-1", List.of()));

            assertThatThrownBy(() -> other.sink().open(info(SyncMode.FULL)))
                    .isInstanceOf(ConnectorException.class)
                    .hasMessageStartingWith("Instance 'tenant-eu' is being synced into this PostgreSQL database by "
                            + "another process; run ");
            RunInfo otherInstance = new RunInfo("tenant-us", "cortex-xdr", "20260501T000000Z-9999", T0,
                    Map.of("assets", new StreamRead("assets", SyncMode.FULL, Optional.empty())));
            try (SinkWriter writer = other.sink().open(otherInstance)) {
                writer.abort();
            }
        }
    }

    @Test
    void theExportShowsAssetsWithTheirOpenFindingsAndFindingsWithTheirStatus() {
        run(SyncMode.FULL, true, asset("ep-1", List.of("CVE-1", "CVE-2")), asset("ep-2", List.of()));
        run(SyncMode.FULL, true, asset("ep-1", List.of("CVE-1")));

        List<String> assets = export("assets", false, StoreExport.FindingStatus.OPEN);
        assertThat(assets).hasSize(1);
        assertThat(assets.get(0)).contains("\"externalAssetId\":\"ep-1\"").contains("CVE-1")
                .doesNotContain("CVE-2").doesNotContain("goneAt");
        assertThat(export("assets", true, StoreExport.FindingStatus.OPEN)).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("\"externalAssetId\":\"ep-2\"").contains("\"goneAt\":"));
        List<String> fixed = export("findings", false, StoreExport.FindingStatus.FIXED);
        assertThat(fixed).hasSize(1);
        assertThat(fixed.get(0)).startsWith("{\"externalAssetId\":\"ep-1\",")
                .contains("\"externalFindingId\":\"CVE-2\"", "\"status\":\"FIXED\"", "\"firstSeen\":", "\"lastSeen\":", "\"fixedAt\":");
        assertThat(export("findings", false, StoreExport.FindingStatus.ALL)).hasSize(2);
    }

    private List<String> export(String stream, boolean includeGone, StoreExport.FindingStatus status) {
        StringWriter out = new StringWriter();
        store.export().write(INSTANCE, stream, includeGone, status, out);
        return out.toString().lines().toList();
    }

    private Map<String, StreamChanges> changes(SyncMode mode, boolean complete, Map<?, ?>... assets) {
        return changes(store.sink(), mode, complete, assets);
    }

    private Map<String, StreamChanges> changes(PostgresRecordSink sink, SyncMode mode, boolean complete,
            Map<?, ?>... assets) {
        try (SinkWriter writer = sink.open(info(mode))) {
            for (Map<?, ?> a : assets) {
                @SuppressWarnings("unchecked")
                Map<String, Object> record = (Map<String, Object>) a;
                writer.write("assets", record);
            }
            writer.commit(commit(assets.length, complete));
            return writer.changes();
        }
    }

    private RunCommit run(SyncMode mode, boolean complete, Map<?, ?>... assets) {
        changes(mode, complete, assets);
        return store.sink().lastCommit(INSTANCE).orElseThrow();
    }

    private RunInfo info(SyncMode mode) {
        runs++;
        Optional<TimeWindow> window = Optional.of(new TimeWindow(mode == SyncMode.FULL ? Instant.EPOCH : T0,
                T0.plusSeconds(runs)));
        return new RunInfo(INSTANCE, "cortex-xdr", runId(), T0.plusSeconds(runs),
                Map.of("assets", new StreamRead("assets", mode, window)));
    }

    private String runId() {
        return String.format("20260501T0000%02dZ-%04d", runs, runs);
    }

    private RunCommit commit(long written, boolean complete) {
        RunSummary summary = new RunSummary(runId(), INSTANCE, "cortex-xdr", ConnectorState.PROCESSED,
                T0.plusSeconds(runs), T0.plusSeconds(runs + 1), Map.of("assets", new StreamStats(written, written, 0,
                        1, List.of())), Map.of(), Optional.empty());
        return new RunCommit(summary, Map.of("assets", new Checkpoint(Map.of("last_seen", T0.plusSeconds(runs)
                .toString()))), complete ? Set.of("assets") : Set.of());
    }

    private static Map<String, Object> asset(String id, List<String> cves) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("externalAssetId", id);
        r.put("hostName", "host-" + id);
        List<Map<String, Object>> findings = new ArrayList<>();
        for (String cve : cves) {
            findings.add(Map.of("externalFindingId", cve, "severity", 5));
        }
        r.put("finding", findings);
        r.put("_meta", Map.of("map", "Cortex XDR Asset Transform Map", "model", "asset", "modelVersion", "1.0.0",
                "instance", INSTANCE, "stream", "assets", "key", List.of(id), "version", "v1"));
        return r;
    }

    private int count(String sql) {
        return Integer.parseInt(rows(sql).get(0));
    }

    private List<String> rows(String sql) {
        try (Connection c = DriverManager.getConnection(url, TestDatabase.USER, "");
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
