package org.connectorsdk.api.host;

import java.util.List;
import java.util.Optional;

/** The registered instances, kept across restarts. Written atomically; never holds a secret value. */
public interface InstanceStore {
    void saveInstance(InstanceRecord instance);

    Optional<InstanceRecord> instance(String name);

    List<InstanceRecord> instances();

    /** Removes the instance with everything kept for it: history, checkpoints, cursors and schedule. */
    void removeInstance(String name);
}
