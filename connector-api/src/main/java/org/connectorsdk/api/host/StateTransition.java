package org.connectorsdk.api.host;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One entry of an instance's run history.
 *
 * @param state  the state entered
 * @param at     when
 * @param runId  the run it belongs to, if any
 * @param detail a short reason ("waiting for processing resources", an error message)
 */
public record StateTransition(ConnectorState state, Instant at, Optional<String> runId, String detail) {
    public StateTransition {
        requireNonNull(state, "state is null");
        requireNonNull(at, "at is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(detail, "detail is null");
    }
}
