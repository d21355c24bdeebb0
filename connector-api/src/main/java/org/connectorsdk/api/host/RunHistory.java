package org.connectorsdk.api.host;

import java.util.List;

/** Each instance's state transitions and run summaries, oldest first. */
public interface RunHistory {
    void appendTransition(String instance, StateTransition transition);

    /** The instance's transitions, oldest first. */
    List<StateTransition> transitions(String instance);

    void saveRun(RunSummary summary);

    /** The instance's run summaries, oldest first. */
    List<RunSummary> runs(String instance);
}
