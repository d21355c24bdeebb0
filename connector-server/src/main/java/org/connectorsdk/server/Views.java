package org.connectorsdk.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.Secret;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.api.host.StreamStats;
import org.connectorsdk.runtime.ConnectorRuntime;

/**
 * The JSON shapes of the API, as plain maps. A secret never reaches one: an instance's secret
 * fields show their {@code env:}/{@code file:} (or resolver) reference, or {@value Secret#MASK}.
 */
final class Views {
    /** Where the runtime keeps an instance's overrides inside its stored config, and their API names. */
    private static final Map<String, String> STORED_EXTRAS = Map.of("$transformMaps", "transformMaps",
            "$pollIntervals", "pollIntervals");

    private Views() {
    }

    static Map<String, Object> check(CheckResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind().name());
        m.put("title", r.kind().title());
        m.put("status", r.status().name());
        m.put("message", r.message());
        r.remediation().ifPresent(x -> m.put("remediation", x));
        m.put("durationMillis", r.duration().toMillis());
        return m;
    }

    static Map<String, Object> instance(InstanceRecord r, Optional<ConnectorRuntime.InstanceStatus> status,
            Optional<ConfigSpec> spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("connector", r.connectorId());
        m.put("description", r.description());
        m.put("state", r.state().name());
        Map<String, Object> config = new LinkedHashMap<>();
        r.config().forEach((key, value) -> {
            if (STORED_EXTRAS.containsKey(key)) {
                m.put(STORED_EXTRAS.get(key), value);
            } else {
                config.put(key, masked(key, value, spec));
            }
        });
        // an inline secret is never stored: say that one was given without showing anything of it
        spec.ifPresent(s -> s.secretFieldNames().forEach(f -> config.putIfAbsent(f, Secret.MASK)));
        m.put("config", config);
        r.schedule().ifPresent(s -> {
            Map<String, Object> schedule = new LinkedHashMap<>(s.toMap());
            schedule.put("description", s.describe());
            m.put("schedule", schedule);
        });
        status.ifPresent(s -> {
            s.lastRun().ifPresent(run -> m.put("lastRun", run(run)));
            s.nextRun().ifPresent(at -> m.put("nextRun", at.toString()));
            s.problem().ifPresent(p -> m.put("problem", p));
        });
        return m;
    }

    private static Object masked(String field, Object value, Optional<ConfigSpec> spec) {
        boolean secret = value instanceof Secret || spec.map(s -> s.secretFieldNames().contains(field)).orElse(true);
        if (!secret) {
            return value;
        }
        return value instanceof String raw ? Secret.of(field, raw).reference().orElse(Secret.MASK) : Secret.MASK;
    }

    static Map<String, Object> run(RunSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", s.runId());
        m.put("instance", s.instance());
        m.put("state", s.state().name());
        m.put("startedAt", s.startedAt().toString());
        m.put("finishedAt", s.finishedAt().toString());
        m.put("durationMillis", s.duration().toMillis());
        Map<String, Object> streams = new LinkedHashMap<>();
        s.streams().forEach((name, st) -> streams.put(name, stream(st)));
        m.put("streams", streams);
        m.put("counters", s.counters());
        s.error().ifPresent(e -> {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("kind", e.kind().name());
            error.put("message", e.message());
            e.remediation().ifPresent(x -> error.put("remediation", x));
            m.put("error", error);
        });
        return m;
    }

    private static Map<String, Object> stream(StreamStats st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read", st.read());
        m.put("written", st.written());
        m.put("rejected", st.rejected());
        m.put("pages", st.pages());
        m.put("rejectionExamples", st.rejectionExamples());
        return m;
    }

    static Map<String, Object> transition(StateTransition t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", t.state().name());
        m.put("at", t.at().toString());
        t.runId().ifPresent(id -> m.put("runId", id));
        m.put("detail", t.detail());
        return m;
    }
}
