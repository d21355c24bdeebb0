package org.connectorsdk.store.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

/**
 * The store's current view of one instance's stream as JSON Lines: records as the JSON Lines sink
 * writes them (assets with their open findings in {@code finding}), or findings one per line with
 * their asset, status and dates. Get it from {@link PostgresStore#export()}.
 */
public final class StoreExport {
    /** Which findings an export of {@code findings} shows. */
    public enum FindingStatus { OPEN, FIXED, ALL }

    /** The pseudo-stream that exports findings. */
    public static final String FINDINGS = "findings";

    private final DataSource pool;

    StoreExport(DataSource pool) {
        this.pool = pool;
    }

    /**
     * Writes one JSON object per line to {@code out}.
     *
     * @param stream      a stream of the instance, or {@link #FINDINGS}
     * @param includeGone also records a complete run no longer reported, with {@code goneAt}
     * @param status      which findings, for {@link #FINDINGS}
     * @return the lines written
     */
    public long write(String instance, String stream, boolean includeGone, FindingStatus status, Writer out) {
        try (Connection c = pool.getConnection()) {
            return FINDINGS.equals(stream) ? findings(c, instance, status, out)
                    : records(c, instance, stream, includeGone, out);
        } catch (SQLException e) {
            throw Sql.failure("export stream '" + stream + "' of instance '" + instance + "'", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long records(Connection c, String instance, String stream, boolean includeGone, Writer out)
            throws SQLException, IOException {
        String union = RecordTable.ALL.stream().map(t -> "SELECT instance, stream, record_key, document, gone_at FROM "
                + t.name()).collect(Collectors.joining(" UNION ALL "));
        String sql = "SELECT r.document::text, r.gone_at, (SELECT jsonb_agg(f.document ORDER BY f.ordinal, f.external_finding_id)"
                + " FROM findings f WHERE f.instance = r.instance AND f.stream = r.stream AND f.asset_key = r.record_key"
                + " AND f.status = 'OPEN')::text FROM (" + union + ") r WHERE r.instance = ? AND r.stream = ?"
                + (includeGone ? "" : " AND r.gone_at IS NULL") + " ORDER BY r.record_key";
        long lines = 0;
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, instance);
            st.setString(2, stream);
            st.setFetchSize(500);
            c.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> record = new LinkedHashMap<>(Sql.parse(rs.getString(1)));
                    String open = rs.getString(3);
                    if (open != null) {
                        record.put("finding", Sql.parseList(open));
                    }
                    Timestamp gone = rs.getTimestamp(2);
                    if (gone != null) {
                        record.put("goneAt", gone.toInstant().toString());
                    }
                    line(out, record);
                    lines++;
                }
            } finally {
                c.setAutoCommit(true);
            }
        }
        return lines;
    }

    private static long findings(Connection c, String instance, FindingStatus status, Writer out)
            throws SQLException, IOException {
        Set<String> statuses = status == FindingStatus.ALL ? Set.of("OPEN", "FIXED") : Set.of(status.name());
        long lines = 0;
        try (PreparedStatement st = c.prepareStatement("SELECT external_asset_id, status, first_seen, last_seen, "
                + "fixed_at, document::text FROM findings WHERE instance = ? AND status = ANY (?) "
                + "ORDER BY external_asset_id, external_finding_id")) {
            st.setString(1, instance);
            st.setArray(2, c.createArrayOf("text", statuses.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("externalAssetId", rs.getString(1));
                    line.putAll(Sql.parse(rs.getString(6)));
                    line.put("status", rs.getString(2));
                    line.put("firstSeen", rs.getTimestamp(3).toInstant().toString());
                    line.put("lastSeen", rs.getTimestamp(4).toInstant().toString());
                    Timestamp fixed = rs.getTimestamp(5);
                    if (fixed != null) {
                        line.put("fixedAt", fixed.toInstant().toString());
                    }
                    line(out, line);
                    lines++;
                }
            }
        }
        return lines;
    }

    private static void line(Writer out, Map<String, Object> record) throws IOException {
        out.write(Sql.json(record));
        out.write('\n');
    }
}
