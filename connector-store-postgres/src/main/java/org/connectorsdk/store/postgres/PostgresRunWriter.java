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
    private static final String FINDINGS = "findings";

    private final RunInfo run;
    private final Connection connection;
    private OutputStream copy;
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
                st.execute("CREATE TEMPORARY TABLE staged (seq bigserial, stream text NOT NULL, tbl text NOT NULL, "
                        + "record_key text NOT NULL, document jsonb NOT NULL) ON COMMIT DROP");
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
        String table = RecordTable.of(String.valueOf(m.get("model") == null ? "" : m.get("model"))).name();
        StringBuilder line = new StringBuilder(512);
        csv(line, stream).append(',');
        csv(line, table).append(',');
        csv(line, Sql.json(key)).append(',');
        csv(line, Sql.json(record)).append('\n');
        try {
            if (copy == null) {
                copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class),
                        "COPY staged (stream, tbl, record_key, document) FROM STDIN WITH (FORMAT csv)", 1 << 16);
            }
            copy.write(line.toString().getBytes(StandardCharsets.UTF_8));
        } catch (SQLException e) {
            throw Sql.failure("stage a record of stream '" + stream + "' of instance '" + run.instance() + "'", e);
        } catch (IOException e) {
            throw new ConnectorException(ErrorKind.TRANSIENT, "PostgreSQL stopped accepting the records of run "
                    + run.runId() + " of instance '" + run.instance() + "': " + e.getMessage(),
                    "Check that the database is up; the run can be repeated safely", e);
        }
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
            Reconciliation merge = new Reconciliation(connection, run.instance(), run.runId(), run.streams().keySet());
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
