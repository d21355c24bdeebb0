package org.connectorsdk.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.SinkWriter;
import org.connectorsdk.runtime.internal.store.StateJson;

/**
 * Writes each run in one PostgreSQL transaction: its records (upserted by instance, stream and
 * key), its cursors and its run row commit together, so every record version is delivered exactly
 * once. A full run that read a stream completely reconciles it: records not reported get
 * {@code gone_at}, findings a reported asset no longer has become {@code FIXED}. Each commit counts
 * what changed ({@link SinkWriter#changes}).
 *
 * <p>Runs of different instances write at once; a run of an instance that another process is
 * running against the same database is refused (an advisory lock held by the run's transaction).
 * Get one from {@link PostgresStore#sink()}.
 */
public final class PostgresRecordSink implements RecordSink {
    /** A run's records go to the database in batches of about this many characters of CSV. */
    static final int BATCH_CHARS = 4 << 20;

    private final DataSource pool;
    private final int batchChars;

    PostgresRecordSink(DataSource pool) {
        this(pool, BATCH_CHARS);
    }

    private PostgresRecordSink(DataSource pool, int batchChars) {
        this.pool = pool;
        this.batchChars = batchChars;
    }

    /** The same sink handing its runs' records over in batches of {@code chars} characters (tests). */
    PostgresRecordSink withBatchChars(int chars) {
        return new PostgresRecordSink(pool, chars);
    }

    @Override
    public SinkWriter open(RunInfo run) {
        return new PostgresRunWriter(pool, run, batchChars);
    }

    @Override
    public Optional<RunCommit> lastCommit(String instance) {
        try (Connection c = pool.getConnection()) {
            Map<String, Object> summary;
            Set<String> complete;
            try (PreparedStatement st = c.prepareStatement("SELECT summary::text, complete_snapshots FROM runs "
                    + "WHERE instance = ? AND committed ORDER BY run_id DESC LIMIT 1")) {
                st.setString(1, instance);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    summary = Sql.parse(rs.getString(1));
                    complete = Set.of((String[]) rs.getArray(2).getArray());
                }
            }
            Map<String, Checkpoint> cursors = new LinkedHashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT stream, cursor::text FROM cursors WHERE instance = ?"
                    + " ORDER BY stream")) {
                st.setString(1, instance);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        cursors.put(rs.getString(1), StateJson.checkpoint(Sql.parse(rs.getString(2))));
                    }
                }
            }
            return Optional.of(new RunCommit(StateJson.run(summary), cursors, complete));
        } catch (SQLException e) {
            throw Sql.failure("read the last commit of instance '" + instance + "'", e);
        }
    }
}
