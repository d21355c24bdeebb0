package org.connectorsdk.store.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.LinkedHashMap;

import javax.sql.DataSource;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;
import org.connectorsdk.api.host.StreamChanges;
import org.connectorsdk.runtime.internal.store.StateJson;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's transaction. Records are copied into a temporary table as they come; the commit merges
 * them into the record tables, reconciles the complete snapshots, saves the cursors and the run row,
 * and commits once. Until then nothing of the run is visible; a process that dies leaves nothing
 * (the server rolls the transaction back when the connection drops).
 */
final class PostgresRunWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresRunWriter.class);
    /** Where every run's advisory locks live, beside the instance's hash. */
    private static final int LOCK_SPACE = 0x636f6e6e; // "conn"
    static final String FINDINGS = "findings";

    private final RunInfo run;
    private final Connection connection;
    private OutputStream copy;
    /** Records staged so far: each record's sequence number, so the last record of a key wins. */
    private long written;
    /** The tables this run staged rows for: the commit merges only those. */
    private final Set<String> staged = new HashSet<>();
    private Map<String, StreamChanges> changes = Map.of();
    private boolean finished;

    PostgresRunWriter(DataSource pool, RunInfo run) {
        this.run = run;
        Connection c = null;
        try {
            c = pool.getConnection();
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?, hashtext(?))")) {
                st.setInt(1, LOCK_SPACE);
                st.setString(2, run.instance());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw new ConnectorException(ErrorKind.CONFIGURATION, "Instance '" + run.instance()
                                + "' is being synced into this PostgreSQL database by another process; run "
                                + run.runId() + " did not start so the two never interleave",
                                "Run each instance from one process only, or wait for the other run to end");
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                // one row per record, and one per finding of an asset, beside its asset's row under the same
                // seq: the findings are split out here, where the record is a map already, because taking
                // them apart in SQL costs more than the whole rest of the commit
                st.execute("CREATE TEMPORARY TABLE staged (seq bigint NOT NULL, stream text NOT NULL, "
                        + "tbl text NOT NULL, record_key text NOT NULL, finding_id text, asset_id text, host_name text, "
                        + "severity integer, ordinal integer, findings_known boolean, document jsonb NOT NULL) "
                        + "ON COMMIT DROP");
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            if (e instanceof SQLException sql) {
                throw Sql.failure("begin run " + run.runId() + " of instance '" + run.instance() + "'", sql);
            }
            throw (RuntimeException) e;
        }
        this.connection = c;
    }

    @Override
    public void write(String stream, Map<String, Object> record) {
        if (finished) {
            throw new IllegalStateException("Run " + run.runId() + " of instance '" + run.instance()
                    + "' was already committed or aborted; write before the commit");
        }
        Object meta = record.get("_meta");
        Map<?, ?> m = meta instanceof Map<?, ?> map ? map : Map.of();
        Object key = m.get("key");
        if (key == null) {
            throw new ConnectorException(ErrorKind.INTERNAL, "A record of stream '" + stream + "' of instance '"
                    + run.instance() + "' has no _meta.key; the PostgreSQL sink keys every record on it",
                    "Write records through the runtime, which stamps their identity");
        }
        RecordTable table = RecordTable.of(String.valueOf(m.get("model") == null ? "" : m.get("model")));
        String recordKey = Sql.json(key);
        long seq = ++written;
        Object findings = record.get("finding");
        boolean known = table == RecordTable.ASSETS && findings instanceof List<?>;
        StringBuilder rows = new StringBuilder(512);
        Map<String, Object> document = record;
        if (known) {
            // an asset's findings are rows of their own; its document keeps an empty array, which says
            // its vulnerability data was known
            document = new LinkedHashMap<>(record);
            document.put("finding", List.of());
        }
        row(rows, seq, stream, table.name(), recordKey, null, null, null, null, null,
                table == RecordTable.ASSETS ? known : null, Sql.json(document));
        if (known) {
            String assetId = text(record.get("externalAssetId"));
            String hostName = text(record.get("hostName"));
            // the last finding of an id wins, as the last record of a key does
            Map<String, Map<?, ?>> byId = new LinkedHashMap<>();
            for (Object f : (List<?>) findings) {
                if (f instanceof Map<?, ?> finding && finding.get("externalFindingId") != null) {
                    byId.remove(String.valueOf(finding.get("externalFindingId")));
                    byId.put(String.valueOf(finding.get("externalFindingId")), finding);
                }
            }
            int ordinal = 0;
            for (var e : byId.entrySet()) {
                Map<?, ?> finding = e.getValue();
                row(rows, seq, stream, FINDINGS, recordKey, e.getKey(), assetId, hostName,
                        finding.get("severity") instanceof Number n ? n.intValue() : null, ordinal++, null,
                        Sql.json(finding));
            }
            staged.add(FINDINGS);
        }
        staged.add(table.name());
        try {
            if (copy == null) {
                copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class), "COPY staged (seq, stream, tbl, "
                        + "record_key, finding_id, asset_id, host_name, severity, ordinal, findings_known, document) FROM "
                        + "STDIN "
                        + "WITH (FORMAT csv)", 1 << 16);
            }
            copy.write(rows.toString().getBytes(StandardCharsets.UTF_8));
        } catch (SQLException e) {
            throw Sql.failure("stage a record of stream '" + stream + "' of instance '" + run.instance() + "'", e);
        } catch (IOException e) {
            throw new ConnectorException(ErrorKind.TRANSIENT, "PostgreSQL stopped accepting the records of run "
                    + run.runId() + " of instance '" + run.instance() + "': " + e.getMessage(),
                    "Check that the database is up; the run can be repeated safely", e);
        }
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    /** One CSV line of {@code staged}; a null is an unquoted empty field, which COPY reads as NULL. */
    private static void row(StringBuilder out, long seq, String stream, String table, String recordKey,
            String findingId, String assetId, String hostName, Integer severity, Integer ordinal, Boolean known,
            String document) {
        out.append(seq).append(',');
        csv(out, stream).append(',');
        csv(out, table).append(',');
        csv(out, recordKey).append(',');
        for (String value : new String[] {findingId, assetId, hostName}) {
            if (value != null) {
                csv(out, value);
            }
            out.append(',');
        }
        out.append(severity == null ? "" : severity.toString()).append(',');
        out.append(ordinal == null ? "" : ordinal.toString()).append(',');
        out.append(known == null ? "" : known.toString()).append(',');
        csv(out, document).append('\n');
    }

    private static StringBuilder csv(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"') {
                out.append('"');
            }
            out.append(ch);
        }
        return out.append('"');
    }

    @Override
    public void commit(RunCommit commit) {
        if (finished) {
            throw new IllegalStateException("Run " + run.runId() + " of instance '" + run.instance()
                    + "' was already committed or aborted");
        }
        try {
            if (copy != null) {
                copy.close();
            }
            Reconciliation merge = new Reconciliation(connection, run.instance(), run.runId(), run.streams().keySet(),
                    staged);
            Map<String, long[]> counted = merge.apply(commit.completeSnapshots());
            Map<String, StreamChanges> byStream = new LinkedHashMap<>();
            counted.forEach((stream, c) -> byStream.put(stream, new StreamChanges(c[Reconciliation.ADDED],
                    c[Reconciliation.UPDATED], c[Reconciliation.UNCHANGED], c[Reconciliation.GONE],
                    c[Reconciliation.FIXED], c[Reconciliation.REOPENED])));
            RunSummary summary = commit.summary().withChanges(byStream);
            saveCursors(commit);
            saveRun(summary, commit.completeSnapshots());
            connection.commit();
            finished = true;
            changes = byStream;
            LOG.info("{}: run {} committed to PostgreSQL: {}", run.instance(), run.runId(), describe(byStream));
        } catch (SQLException e) {
            throw Sql.failure("commit run " + run.runId() + " of instance '" + run.instance() + "'", e);
        } catch (IOException e) {
            throw new ConnectorException(ErrorKind.TRANSIENT, "PostgreSQL did not take the records of run "
                    + run.runId() + " of instance '" + run.instance() + "': " + e.getMessage(),
                    "Check that the database is up; the run can be repeated safely", e);
        } finally {
            if (finished) {
                closeQuietly(connection);
            }
        }
    }

    private void saveCursors(RunCommit commit) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO cursors (instance, stream, cursor, run_id)"
                + " VALUES (?, ?, ?::jsonb, ?) ON CONFLICT (instance, stream) DO UPDATE SET cursor = EXCLUDED.cursor,"
                + " run_id = EXCLUDED.run_id")) {
            for (var e : commit.cursors().entrySet()) {
                st.setString(1, run.instance());
                st.setString(2, e.getKey());
                st.setString(3, Sql.json(e.getValue().values()));
                st.setString(4, run.runId());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private void saveRun(RunSummary summary, Set<String> complete) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO runs (instance, run_id, connector_id, "
                + "state, started_at, finished_at, committed, complete_snapshots, summary) VALUES (?, ?, ?, ?, ?, ?, "
                + "true, ?, ?::jsonb) ON CONFLICT (instance, run_id) DO UPDATE SET state = EXCLUDED.state, "
                + "finished_at = EXCLUDED.finished_at, committed = true, complete_snapshots = "
                + "EXCLUDED.complete_snapshots, summary = EXCLUDED.summary")) {
            st.setString(1, run.instance());
            st.setString(2, run.runId());
            st.setString(3, summary.connectorId());
            st.setString(4, summary.state().name());
            st.setObject(5, java.sql.Timestamp.from(summary.startedAt()));
            st.setObject(6, java.sql.Timestamp.from(summary.finishedAt()));
            st.setArray(7, connection.createArrayOf("text", complete.stream().sorted().toArray()));
            st.setString(8, Sql.json(StateJson.run(summary)));
            st.executeUpdate();
        }
    }

    private static String describe(Map<String, StreamChanges> changes) {
        List<String> parts = new java.util.ArrayList<>();
        changes.forEach((stream, c) -> parts.add(stream + " " + c.added() + " new, " + c.updated() + " updated, "
                + c.unchanged() + " unchanged, " + c.gone() + " gone"
                + (FINDINGS.equals(stream) ? ", " + c.fixed() + " fixed, " + c.reopened() + " reopened" : "")));
        return parts.isEmpty() ? "no records" : String.join("; ", parts);
    }

    @Override
    public Map<String, StreamChanges> changes() {
        return changes;
    }

    @Override
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            if (copy != null) {
                try {
                    copy.close();
                } catch (IOException e) {
                    LOG.debug("{}: ending the copy of aborted run {} failed: {}", run.instance(), run.runId(),
                            e.toString());
                }
            }
            connection.rollback();
        } catch (SQLException e) {
            // the transaction is gone with the connection either way
            LOG.debug("{}: rolling back run {} failed: {}", run.instance(), run.runId(), e.toString());
        } finally {
            closeQuietly(connection);
        }
    }

    @Override
    public void close() {
        abort();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("Closing a PostgreSQL connection failed: {}", e.toString());
            }
        }
    }
}
