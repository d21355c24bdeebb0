package org.connectorsdk.store.postgres;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's transaction. Records are gathered in batches of a few megabytes; a thread of the run's
 * own copies each batch into a temporary table and merges it into the record tables while the run
 * reads on. The commit waits for the last batch, reconciles the complete snapshots, saves the
 * cursors and the run row, and commits once. Until then nothing of the run is visible; a process
 * that dies leaves nothing (the server rolls the transaction back when the connection drops).
 */
final class PostgresRunWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresRunWriter.class);
    /** Where every run's advisory locks live, beside the instance's hash. */
    private static final int LOCK_SPACE = 0x636f6e6e; // "conn"
    static final String FINDINGS = "findings";

    /** Batches handed over and not yet merged, at most: the run waits for the database beyond. */
    private static final int BATCHES_AHEAD = 2;

    private final RunInfo run;
    private final Connection connection;
    private final Reconciliation merge;
    /**
     * The one thread that uses the connection after it was opened: it copies and merges each
     * batch while the run reads the next pages, so the database's work overlaps the reading.
     */
    private final ExecutorService database;
    private final Deque<Future<?>> ahead = new ArrayDeque<>();
    /** A batch is handed to the database once its rows pass this many characters. */
    private final int batchChars;
    private final StringBuilder batch;
    /** The tables the current batch holds rows for: only those are merged. */
    private Set<String> batchTables = new HashSet<>();
    /** Records staged so far: each record's sequence number, so the last record of a key wins. */
    private long written;
    private Map<String, StreamChanges> changes = Map.of();
    private boolean finished;

    PostgresRunWriter(DataSource pool, RunInfo run, int batchChars) {
        this.run = run;
        this.batchChars = batchChars;
        this.batch = new StringBuilder(Math.min(batchChars, 1 << 20));
        Connection c = null;
        Reconciliation merge;
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
            merge = new Reconciliation(c, run.instance(), run.runId(), run.streams().keySet());
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            if (e instanceof SQLException sql) {
                throw Sql.failure("begin run " + run.runId() + " of instance '" + run.instance() + "'", sql);
            }
            throw (RuntimeException) e;
        }
        this.connection = c;
        this.merge = merge;
        this.database = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "postgres-" + run.instance() + "-" + run.runId());
            t.setDaemon(true);
            return t;
        });
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
            batchTables.add(FINDINGS);
        }
        batchTables.add(table.name());
        batch.append(rows);
        if (batch.length() >= batchChars) {
            handOver();
        }
    }

    /** Gives the batch to the database thread, after waiting for the oldest when enough are ahead. */
    private void handOver() {
        while (ahead.size() >= BATCHES_AHEAD) {
            await(ahead.removeFirst());
        }
        String rows = batch.toString();
        Set<String> tables = batchTables;
        batch.setLength(0);
        batchTables = new HashSet<>();
        ahead.addLast(database.submit(() -> {
            stage(rows, tables);
            return null;
        }));
    }

    private void stage(String rows, Set<String> tables) throws SQLException, IOException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn("COPY staged (seq, stream, tbl, record_key, finding_id, asset_id, host_name, severity, ordinal, "
                + "findings_known, document) FROM STDIN WITH (FORMAT csv)", new StringReader(rows));
        merge.mergeBatch(tables);
    }

    /** Waits for a batch; its failure fails the run, which then aborts. */
    private void await(Future<?> task) {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorKind.CANCELLED, "Run " + run.runId() + " of instance '"
                    + run.instance() + "' was interrupted while PostgreSQL took its records",
                    "Nothing of the run was committed; the next run repeats it", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw Sql.failure("take the records of run " + run.runId() + " of instance '" + run.instance()
                        + "'", sql);
            }
            if (cause instanceof IOException io) {
                throw new ConnectorException(ErrorKind.TRANSIENT, "PostgreSQL stopped accepting the records of "
                        + "run " + run.runId() + " of instance '" + run.instance() + "': " + io.getMessage(),
                        "Check that the database is up; the run can be repeated safely", io);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
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
            if (!batch.isEmpty()) {
                handOver();
            }
            while (!ahead.isEmpty()) {
                await(ahead.removeFirst());
            }
            Map<String, long[]> counted = merge.reconcile(commit.completeSnapshots());
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
        } finally {
            if (finished) {
                database.shutdown();
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
        ahead.forEach(task -> task.cancel(false));
        database.shutdown();
        try {
            if (database.awaitTermination(1, TimeUnit.SECONDS)) {
                connection.rollback();
            } else {
                // a batch is still running: dropping the connection ends it, and the server rolls back
                connection.abort(Runnable::run);
            }
        } catch (SQLException e) {
            // the transaction is gone with the connection either way
            LOG.debug("{}: rolling back run {} failed: {}", run.instance(), run.runId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
