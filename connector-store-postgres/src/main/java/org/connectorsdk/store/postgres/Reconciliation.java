package org.connectorsdk.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Merges each batch of a run's staged records into the record tables and, at the end, reconciles its
 * complete snapshots, inside the run's transaction, counting per stream what changed.
 *
 * <p>Content is compared without {@code _meta} (its version moves with every sighting) and, for
 * assets, without {@code finding} (findings are counted on their own). A gone record reported again
 * counts as updated. Findings come from the {@code finding} array of the assets; an asset without
 * that array has unknown vulnerability data, and none of its findings is fixed.
 */
final class Reconciliation {
    /** Index of each count in the arrays {@link #reconcile} returns. */
    static final int ADDED = 0;
    static final int UPDATED = 1;
    static final int UNCHANGED = 2;
    static final int GONE = 3;
    static final int FIXED = 4;
    static final int REOPENED = 5;

    private static final String CONTENT = "(%s.document - '_meta' - 'finding')";
    /**
     * Ends a lateral lookup by primary key so that it stays one: a batch is small and the table large,
     * but the table's statistics, taken before this transaction wrote it, may say otherwise and make
     * the planner scan the whole table for every batch.
     */
    private static final String BY_KEY = " OFFSET 0";

    private final Connection connection;
    private final String instance;
    private final String runId;
    private final Map<String, long[]> counts = new LinkedHashMap<>();

    /** @param streams the run's streams: each gets counts, zero when nothing changed */
    Reconciliation(Connection connection, String instance, String runId, Set<String> streams) throws SQLException {
        this.connection = connection;
        this.instance = instance;
        this.runId = runId;
        streams.forEach(s -> counts.put(s, new long[6]));
        try (Statement st = connection.createStatement()) {
            // one row per record, and one per finding of an asset, beside its asset's row under the same
            // seq: the findings are split out by the writer, where the record is a map already, because
            // taking them apart in SQL costs more than all the rest
            st.execute("CREATE TEMPORARY TABLE staged (seq bigint NOT NULL, stream text NOT NULL, "
                    + "tbl text NOT NULL, record_key text NOT NULL, finding_id text, asset_id text, host_name text, "
                    + "severity integer, ordinal integer, findings_known boolean, document jsonb NOT NULL) "
                    + "ON COMMIT DROP");
            // the assets this run reported with their vulnerability data: only their findings are fixed
            st.execute("CREATE TEMPORARY TABLE known_assets (stream text NOT NULL, record_key text NOT NULL) "
                    + "ON COMMIT DROP");
            st.execute("CREATE TEMPORARY TABLE superseded (tbl text, stream text, record_key text, latest bigint) "
                    + "ON COMMIT DROP");
        }
    }

    /**
     * Merges the staged batch, which holds rows for {@code tables}, into the record tables and
     * empties it. A key reported in an earlier batch of the run is merged again (the last record
     * wins) but counted once.
     */
    void mergeBatch(Set<String> tables) throws SQLException {
        try (Statement st = connection.createStatement()) {
            // a key staged twice in a batch keeps its last record, and an asset its last record's
            // findings; rare, so found on the narrow columns and deleted
            st.execute("INSERT INTO superseded SELECT tbl, stream, record_key, max(seq) FROM staged "
                    + "WHERE tbl <> '" + PostgresRunWriter.FINDINGS + "' GROUP BY tbl, stream, record_key "
                    + "HAVING count(*) > 1");
            st.executeUpdate("DELETE FROM staged s USING superseded d WHERE s.stream = d.stream "
                    + "AND s.record_key = d.record_key AND s.seq < d.latest AND (s.tbl = d.tbl OR (d.tbl = 'assets' "
                    + "AND s.tbl = '" + PostgresRunWriter.FINDINGS + "'))");
            st.execute("TRUNCATE superseded");
            for (RecordTable table : RecordTable.ALL) {
                if (tables.contains(table.name())) {
                    merge(table);
                }
            }
            if (tables.contains(PostgresRunWriter.FINDINGS)) {
                mergeFindings();
            }
            st.execute("INSERT INTO known_assets SELECT stream, record_key FROM staged WHERE tbl = 'assets' "
                    + "AND findings_known");
            st.execute("TRUNCATE staged");
        }
    }

    /**
     * Reconciles the complete snapshots once every batch is merged; returns the counts by stream,
     * and under {@code findings} those of the findings.
     */
    Map<String, long[]> reconcile(Set<String> completeSnapshots) throws SQLException {
        if (!completeSnapshots.isEmpty()) {
            try (Statement st = connection.createStatement()) {
                st.execute("ANALYZE known_assets");
            }
        }
        for (String stream : completeSnapshots) {
            for (RecordTable table : RecordTable.ALL) {
                markGone(table, stream);
            }
            fixFindings(stream);
        }
        return counts;
    }

    private void merge(RecordTable table) throws SQLException {
        String t = table.name();
        String changed = String.format(CONTENT, "t") + " IS DISTINCT FROM " + String.format(CONTENT, "s");
        String before = "t.record_key IS NOT NULL AND t.run_id <> ?";
        query("SELECT s.stream, count(*) FILTER (WHERE t.record_key IS NULL), "
                + "count(*) FILTER (WHERE " + before + " AND (t.gone_at IS NOT NULL OR " + changed + ")), "
                + "count(*) FILTER (WHERE " + before + " AND t.gone_at IS NULL AND NOT (" + changed + ")) "
                + "FROM staged s LEFT JOIN LATERAL (SELECT * FROM " + t + " t WHERE t.instance = ? "
                + "AND t.stream = s.stream AND t.record_key = s.record_key" + BY_KEY + ") t ON true WHERE s.tbl = ? "
                + "GROUP BY s.stream",
                List.of(runId, runId, instance, t), ADDED, UPDATED, UNCHANGED);
        String columns = table.columns().keySet().stream().map(c -> ", " + c).collect(Collectors.joining());
        String values = table.columns().values().stream().map(v -> ", " + v).collect(Collectors.joining());
        String updates = table.columns().keySet().stream().map(c -> c + " = EXCLUDED." + c + ", ")
                .collect(Collectors.joining());
        update("INSERT INTO " + t + " AS t (instance, stream, record_key" + columns + ", document, first_seen, "
                + "last_seen, gone_at, run_id) SELECT ?, s.stream, s.record_key" + values + ", s.document, now(), "
                + "now(), NULL, ? FROM staged s WHERE s.tbl = ? ON CONFLICT (instance, stream, record_key) DO UPDATE "
                + "SET " + updates + "document = EXCLUDED.document, last_seen = EXCLUDED.last_seen, gone_at = NULL, "
                + "run_id = EXCLUDED.run_id", instance, runId, t);
    }

    private void mergeFindings() throws SQLException {
        String changed = "(t.document - '_meta') IS DISTINCT FROM (r.document - '_meta')";
        String reported = "staged r WHERE r.tbl = '" + PostgresRunWriter.FINDINGS + "'";
        String before = "t.run_id <> ? AND t.status = ";
        query("SELECT 'findings', count(*) FILTER (WHERE t.asset_key IS NULL), "
                + "count(*) FILTER (WHERE " + before + "'OPEN' AND " + changed + "), "
                + "count(*) FILTER (WHERE " + before + "'OPEN' AND NOT (" + changed + ")), "
                + "count(*) FILTER (WHERE " + before + "'FIXED') "
                + "FROM staged r LEFT JOIN LATERAL (SELECT * FROM findings t WHERE t.instance = ? "
                + "AND t.stream = r.stream AND t.asset_key = r.record_key AND t.external_finding_id = r.finding_id"
                + BY_KEY + ") t ON true WHERE r.tbl = '" + PostgresRunWriter.FINDINGS + "' HAVING count(*) > 0",
                List.of(runId, runId, runId, instance), ADDED, UPDATED, UNCHANGED, REOPENED);
        update("INSERT INTO findings AS t (instance, stream, asset_key, external_finding_id, external_asset_id, "
                + "host_name, severity, ordinal, status, document, first_seen, last_seen, fixed_at, reopened_at, run_id) "
                + "SELECT ?, r.stream, r.record_key, r.finding_id, r.asset_id, r.host_name, r.severity, r.ordinal, "
                + "'OPEN', r.document, now(), now(), NULL, NULL, ? FROM " + reported + " "
                + "ON CONFLICT (instance, stream, asset_key, external_finding_id) DO UPDATE SET "
                + "external_asset_id = EXCLUDED.external_asset_id, host_name = EXCLUDED.host_name, "
                + "severity = EXCLUDED.severity, ordinal = EXCLUDED.ordinal, status = 'OPEN', "
                + "document = EXCLUDED.document, "
                + "last_seen = EXCLUDED.last_seen, fixed_at = NULL, reopened_at = CASE WHEN t.status = 'FIXED' "
                + "THEN EXCLUDED.last_seen ELSE t.reopened_at END, run_id = EXCLUDED.run_id", instance, runId);
    }

    /**
     * Records of a complete snapshot that this run did not report: every reported one carries this
     * run's id by now, since the merge wrote it on each.
     */
    private void markGone(RecordTable table, String stream) throws SQLException {
        int gone = update("UPDATE " + table.name() + " t SET gone_at = now(), run_id = ? WHERE t.instance = ? "
                + "AND t.stream = ? AND t.gone_at IS NULL AND t.run_id <> ?", runId, instance, stream, runId);
        if (gone > 0) {
            counts.computeIfAbsent(stream, s -> new long[6])[GONE] += gone;
        }
    }

    /**
     * Open findings this run did not report (the merge wrote this run's id on every reported one) of
     * an asset reported with its vulnerability data.
     */
    private void fixFindings(String stream) throws SQLException {
        int fixed = update("UPDATE findings t SET status = 'FIXED', fixed_at = now(), run_id = ? "
                + "WHERE t.instance = ? AND t.stream = ? AND t.status = 'OPEN' AND t.run_id <> ? "
                + "AND (t.stream, t.asset_key) IN (SELECT k.stream, k.record_key FROM known_assets k)",
                runId, instance, stream, runId);
        if (fixed > 0) {
            counts.computeIfAbsent("findings", s -> new long[6])[FIXED] += fixed;
        }
    }

    /** Adds each row's counts (after the stream in column 1) at {@code slots}. */
    private void query(String sql, List<String> params, int... slots) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                st.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long[] c = counts.computeIfAbsent(rs.getString(1), s -> new long[6]);
                    for (int i = 0; i < slots.length; i++) {
                        c[slots[i]] += rs.getLong(i + 2);
                    }
                }
            }
        }
    }

    private int update(String sql, String... params) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setString(i + 1, params[i]);
            }
            return st.executeUpdate();
        }
    }
}
