package org.connectorsdk.runtime;

import java.time.Clock;
import java.util.Optional;
import java.util.function.BiConsumer;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.internal.sync.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes an instance's history: each transition with the instance's new state, told to the listener. */
final class TransitionRecorder implements SyncRun.Recorder {
    private static final Logger LOG = LoggerFactory.getLogger(TransitionRecorder.class);

    private final StateStore store;
    private final Clock clock;
    private final BiConsumer<String, StateTransition> listener;

    TransitionRecorder(StateStore store, Clock clock, BiConsumer<String, StateTransition> listener) {
        this.store = store;
        this.clock = clock;
        this.listener = listener;
    }

    /** Records a transition and the instance's new state together. */
    @Override
    public synchronized void transition(String name, ConnectorState state, String runId, String detail) {
        StateTransition t = new StateTransition(state, clock.instant(), Optional.ofNullable(runId), detail);
        store.appendTransition(name, t);
        store.instance(name).ifPresent(r -> store.saveInstance(r.withState(state)));
        notifyListener(name, t);
    }

    /** Records that a new instance was registered (its record is already saved in that state). */
    synchronized void registered(String name, int checks) {
        StateTransition registered = new StateTransition(ConnectorState.REGISTERED, clock.instant(),
                Optional.empty(), "registered; all " + checks + " connection checks passed");
        store.appendTransition(name, registered);
        notifyListener(name, registered);
    }

    private void notifyListener(String name, StateTransition t) {
        try {
            listener.accept(name, t);
        } catch (RuntimeException e) {
            LOG.warn("{}: the transition listener failed: {}", name, e.toString());
        }
    }
}
