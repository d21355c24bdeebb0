package org.connectorsdk.runtime.internal.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.ErrorInfo;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.ScheduleState;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.api.host.StreamChanges;
import org.connectorsdk.api.host.StreamStats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The JSON document forms of the SPI's state values, shared by the file state store and the
 * JSON Lines sink's {@code summary.json}. The api carries no JSON library, so the mapping lives
 * here, as plain maps Jackson writes and reads.
 */
public final class StateJson {
    /** Pretty for the documents a person may open; records in JSON Lines use {@link #COMPACT}. */
    /** The largest state document read: far above 1,000 transitions or 200 runs. */
    public static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

    /**
     * What is wrong with a state document that failed to read, for a message: the kind of
     * problem and where, never the parser's message, which quotes the content.
     */
    public static String problem(Exception e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            com.fasterxml.jackson.core.JsonLocation at = json.getLocation();
            return "it is not the expected JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getFile() + " " + fs.getReason();
        }
        return e.getClass().getSimpleName();
    }

    public static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final ObjectMapper COMPACT = new ObjectMapper();

    private StateJson() {
    }

    public static Map<String, Object> instance(InstanceRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("connector", r.connectorId());
        m.put("description", r.description());
        m.put("config", r.config());
        r.schedule().ifPresent(s -> m.put("schedule", s.toMap()));
        m.put("state", r.state().name());
        m.put("registeredAt", r.registeredAt().toString());
        return m;
    }

    public static InstanceRecord instance(Map<String, Object> m) {
        return new InstanceRecord(str(m, "name"), str(m, "connector"), str(m, "description"), map(m.get("config")),
                Optional.ofNullable(m.get("schedule")).map(s -> ScheduleSpec.fromMap(map(s))),
                ConnectorState.valueOf(str(m, "state")), Instant.parse(str(m, "registeredAt")));
    }

    public static Map<String, Object> transition(StateTransition t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", t.state().name());
        m.put("at", t.at().toString());
        t.runId().ifPresent(id -> m.put("runId", id));
        m.put("detail", t.detail());
        return m;
    }

    public static StateTransition transition(Map<String, Object> m) {
        return new StateTransition(ConnectorState.valueOf(str(m, "state")), Instant.parse(str(m, "at")),
                Optional.ofNullable((String) m.get("runId")), str(m, "detail"));
    }

    public static Map<String, Object> run(RunSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", s.runId());
        m.put("instance", s.instance());
        m.put("connector", s.connectorId());
        m.put("state", s.state().name());
        m.put("startedAt", s.startedAt().toString());
        m.put("finishedAt", s.finishedAt().toString());
        m.put("durationMillis", s.duration().toMillis());
        Map<String, Object> streams = new LinkedHashMap<>();
        s.streams().forEach((name, st) -> {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("read", st.read());
            sm.put("written", st.written());
            sm.put("rejected", st.rejected());
            sm.put("pages", st.pages());
            sm.put("rejectionExamples", st.rejectionExamples());
            st.changes().ifPresent(c -> sm.put("changes", changes(c)));
            streams.put(name, sm);
        });
        m.put("streams", streams);
        m.put("counters", new java.util.TreeMap<>(s.counters()));
        s.error().ifPresent(e -> {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("kind", e.kind().name());
            em.put("message", e.message());
            e.remediation().ifPresent(r -> em.put("remediation", r));
            m.put("error", em);
        });
        return m;
    }

    public static RunSummary run(Map<String, Object> m) {
        Map<String, StreamStats> streams = new LinkedHashMap<>();
        map(m.get("streams")).forEach((name, v) -> {
            Map<String, Object> sm = map(v);
            List<String> examples = new ArrayList<>();
            for (Object o : (List<?>) sm.getOrDefault("rejectionExamples", List.of())) {
                examples.add(String.valueOf(o));
            }
            streams.put(name, new StreamStats(num(sm, "read"), num(sm, "written"), num(sm, "rejected"),
                    num(sm, "pages"), examples, Optional.ofNullable(sm.get("changes")).map(c -> changes(map(c)))));
        });
        Map<String, Long> counters = new LinkedHashMap<>();
        map(m.getOrDefault("counters", Map.of())).forEach((k, v) -> counters.put(k, ((Number) v).longValue()));
        Optional<ErrorInfo> error = Optional.ofNullable(m.get("error")).map(StateJson::map)
                .map(em -> new ErrorInfo(ErrorKind.valueOf(str(em, "kind")), str(em, "message"),
                        Optional.ofNullable((String) em.get("remediation"))));
        return new RunSummary(str(m, "runId"), str(m, "instance"), str(m, "connector"),
                ConnectorState.valueOf(str(m, "state")), Instant.parse(str(m, "startedAt")),
                Instant.parse(str(m, "finishedAt")), streams, counters, error);
    }

    private static Map<String, Object> changes(StreamChanges c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("new", c.added());
        m.put("updated", c.updated());
        m.put("unchanged", c.unchanged());
        m.put("gone", c.gone());
        m.put("fixed", c.fixed());
        m.put("reopened", c.reopened());
        return m;
    }

    private static StreamChanges changes(Map<String, Object> m) {
        return new StreamChanges(num(m, "new"), num(m, "updated"), num(m, "unchanged"), num(m, "gone"),
                num(m, "fixed"), num(m, "reopened"));
    }

    public static Map<String, Object> scheduleState(ScheduleState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schedule", s.schedule().toMap());
        s.nextRun().ifPresent(t -> m.put("nextRun", t.toString()));
        s.lastRun().ifPresent(t -> m.put("lastRun", t.toString()));
        if (!s.streamNextRuns().isEmpty()) {
            Map<String, Object> streams = new LinkedHashMap<>();
            s.streamNextRuns().forEach((stream, t) -> streams.put(stream, t.toString()));
            m.put("streamNextRuns", streams);
        }
        s.retry().ifPresent(r -> m.put("retry", Map.of("attempt", r.attempt(), "of", r.of(), "at",
                r.at().toString(), "cause", r.cause().name())));
        return m;
    }

    public static ScheduleState scheduleState(Map<String, Object> m) {
        return new ScheduleState(ScheduleSpec.fromMap(map(m.get("schedule"))),
                Optional.ofNullable(m.get("nextRun")).map(t -> Instant.parse(t.toString())),
                Optional.ofNullable(m.get("lastRun")).map(t -> Instant.parse(t.toString())),
                streamNextRuns(m.get("streamNextRuns")),
                Optional.ofNullable(m.get("retry")).map(StateJson::retry));
    }

    private static ScheduleState.Retry retry(Object value) {
        Map<String, Object> r = map(value);
        return new ScheduleState.Retry(((Number) r.get("attempt")).intValue(), ((Number) r.get("of")).intValue(),
                Instant.parse(str(r, "at")), ErrorKind.valueOf(str(r, "cause")));
    }

    /** Absent in state files written before per-stream polling: then none. */
    private static Map<String, Instant> streamNextRuns(Object value) {
        Map<String, Instant> out = new LinkedHashMap<>();
        if (value != null) {
            map(value).forEach((stream, t) -> out.put(stream, Instant.parse(t.toString())));
        }
        return out;
    }

    public static Checkpoint checkpoint(Object values) {
        return new Checkpoint(map(values));
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return v.toString();
    }

    private static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.longValue() : 0L;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, got " + (o == null ? "nothing" : o));
        }
        return (Map<String, Object>) o;
    }
}
