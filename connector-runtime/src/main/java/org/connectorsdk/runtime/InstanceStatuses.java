package org.connectorsdk.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateStore;

/** An operator's list of instances, read from a state store. */
final class InstanceStatuses {
    private InstanceStatuses() {
    }

    /**
     * Every instance in {@code store}: its state and last run, with {@code problems} saying why
     * one cannot run and {@code nextRuns} when it runs next.
     */
    static List<ConnectorRuntime.InstanceStatus> read(StateStore store, Function<String, Optional<String>> problems,
            Function<String, Optional<Instant>> nextRuns) {
        List<ConnectorRuntime.InstanceStatus> out = new ArrayList<>();
        for (InstanceRecord r : store.instances()) {
            List<RunSummary> runs = store.runs(r.name());
            out.add(new ConnectorRuntime.InstanceStatus(r.name(), r.connectorId(), r.description(), r.state(),
                    runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1)),
                    problems.apply(r.name()), nextRuns.apply(r.name())));
        }
        return out;
    }
}
