package org.connectorsdk.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleState;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.internal.store.StateJson;

/**
 * Instances, run history, checkpoints, cursors and schedules in PostgreSQL; every call is one
 * statement or one transaction, so a crash leaves the previous version. Instance documents hold
 * config values as stored (secrets as {@code env:}/{@code file:} references, never values). The
 * cursors share the table the {@link PostgresRecordSink} commits them to. Get one from
 * {@link PostgresStore#stateStore()}.
 */
public final class PostgresStateStore implements StateStore {
    private final DataSource pool;

    PostgresStateStore(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public void saveInstance(InstanceRecord instance) {
        update("save instance '" + instance.name() + "'", "INSERT INTO instances (name, connector_id, document, "
                + "updated_at) VALUES (?, ?, ?::jsonb, now()) ON CONFLICT (name) DO UPDATE SET connector_id = "
                + "EXCLUDED.connector_id, document = EXCLUDED.document, updated_at = now()",
                instance.name(), instance.connectorId(), Sql.json(StateJson.instance(instance)));
    }

    @Override
    public Optional<InstanceRecord> instance(String name) {
        return list("read instance '" + name + "'", "SELECT document::text FROM instances WHERE name = ?",
                rs -> StateJson.instance(Sql.parse(text(rs, 1))), name).stream().findFirst();
    }

    @Override
    public List<InstanceRecord> instances() {
        return list("list the instances", "SELECT document::text FROM instances ORDER BY name",
                rs -> StateJson.instance(Sql.parse(text(rs, 1))));
    }

    @Override
    public void removeInstance(String name) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            for (String table : List.of("transitions", "runs", "checkpoints", "cursors", "schedules")) {
                try (PreparedStatement st = c.prepareStatement("DELETE FROM " + table + " WHERE instance = ?")) {
                    st.setString(1, name);
                    st.executeUpdate();
                }
            }
            try (PreparedStatement st = c.prepareStatement("DELETE FROM instances WHERE name = ?")) {
                st.setString(1, name);
                st.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw Sql.failure("remove instance '" + name + "'", e);
        }
    }

    @Override
    public void appendTransition(String instance, StateTransition t) {
        update("record a transition of instance '" + instance + "'", "INSERT INTO transitions (instance, state, at, "
                + "run_id, detail) VALUES (?, ?, ?, ?, ?)", instance, t.state().name(), Timestamp.from(t.at()),
                t.runId().orElse(null), t.detail());
    }

    @Override
    public List<StateTransition> transitions(String instance) {
        return list("read the transitions of instance '" + instance + "'", "SELECT state, at, run_id, detail "
                + "FROM transitions WHERE instance = ? ORDER BY id", rs -> new StateTransition(
                        org.connectorsdk.api.host.ConnectorState.valueOf(text(rs, 1)), timestamp(rs, 2),
                        Optional.ofNullable(text(rs, 3)), text(rs, 4)), instance);
    }

    /** Keeps the sink's {@code committed} mark and complete snapshots when the sink wrote the run first. */
    @Override
    public void saveRun(RunSummary s) {
        update("save run " + s.runId() + " of instance '" + s.instance() + "'", "INSERT INTO runs (instance, run_id, "
                + "connector_id, state, started_at, finished_at, summary) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) "
                + "ON CONFLICT (instance, run_id) DO UPDATE SET state = EXCLUDED.state, finished_at = "
                + "EXCLUDED.finished_at, summary = EXCLUDED.summary", s.instance(), s.runId(), s.connectorId(),
                s.state().name(), Timestamp.from(s.startedAt()), Timestamp.from(s.finishedAt()),
                Sql.json(StateJson.run(s)));
    }

    @Override
    public List<RunSummary> runs(String instance) {
        return list("read the runs of instance '" + instance + "'", "SELECT summary::text FROM runs "
                + "WHERE instance = ? ORDER BY run_id", rs -> StateJson.run(Sql.parse(text(rs, 1))), instance);
    }

    @Override
    public Optional<Checkpoint> checkpoint(String instance, String stream, String partition) {
        return list("read a checkpoint of instance '" + instance + "'", "SELECT checkpoint::text FROM checkpoints "
                + "WHERE instance = ? AND stream = ? AND partition_id = ?",
                rs -> StateJson.checkpoint(Sql.parse(text(rs, 1))), instance, stream, partition).stream().findFirst();
    }

    @Override
    public void saveCheckpoint(String instance, String stream, String partition, Checkpoint checkpoint) {
        update("save a checkpoint of instance '" + instance + "'", "INSERT INTO checkpoints (instance, stream, "
                + "partition_id, checkpoint) VALUES (?, ?, ?, ?::jsonb) ON CONFLICT (instance, stream, partition_id) "
                + "DO UPDATE SET checkpoint = EXCLUDED.checkpoint", instance, stream, partition,
                Sql.json(checkpoint.values()));
    }

    @Override
    public void clearCheckpoints(String instance) {
        update("clear the checkpoints of instance '" + instance + "'", "DELETE FROM checkpoints WHERE instance = ?",
                instance);
    }

    @Override
    public Optional<Checkpoint> cursor(String instance, String stream) {
        return list("read a cursor of instance '" + instance + "'", "SELECT cursor::text FROM cursors "
                + "WHERE instance = ? AND stream = ?", rs -> StateJson.checkpoint(Sql.parse(text(rs, 1))),
                instance, stream).stream().findFirst();
    }

    @Override
    public void saveCursor(String instance, String stream, Checkpoint cursor) {
        update("save a cursor of instance '" + instance + "'", "INSERT INTO cursors (instance, stream, cursor) "
                + "VALUES (?, ?, ?::jsonb) ON CONFLICT (instance, stream) DO UPDATE SET cursor = EXCLUDED.cursor",
                instance, stream, Sql.json(cursor.values()));
    }

    @Override
    public Optional<ScheduleState> scheduleState(String instance) {
        return list("read the schedule of instance '" + instance + "'", "SELECT document::text FROM schedules "
                + "WHERE instance = ?", rs -> StateJson.scheduleState(Sql.parse(text(rs, 1))), instance)
                .stream().findFirst();
    }

    @Override
    public void saveScheduleState(String instance, ScheduleState state) {
        update("save the schedule of instance '" + instance + "'", "INSERT INTO schedules (instance, document) "
                + "VALUES (?, ?::jsonb) ON CONFLICT (instance) DO UPDATE SET document = EXCLUDED.document",
                instance, Sql.json(StateJson.scheduleState(state)));
    }

    @Override
    public String toString() {
        return "PostgresStateStore";
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> list(String what, String sql, Row<T> row, Object... params) {
        try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.failure(what, e);
        }
    }

    private void update(String what, String sql, Object... params) {
        try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            st.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure(what, e);
        }
    }

    private static void bind(PreparedStatement st, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
    }

    private static String text(ResultSet rs, int column) throws SQLException {
        return rs.getString(column);
    }

    private static java.time.Instant timestamp(ResultSet rs, int column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }
}
