package org.connectorsdk.store.postgres;

import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.runtime.ConnectorRuntime;

/** The README's "Store in PostgreSQL" example, kept compiling by ReadmeExamplesTest. */
final class EmbeddingExample {
    private EmbeddingExample() {
    }

    static RunSummary syncIntoPostgres(String url, String user, String password, InstanceDefinition definition) {
        // tag::readme[]
        try (PostgresStore store = PostgresStore.open(url, user, password); // applies the migrations first
                ConnectorRuntime runtime = ConnectorRuntime.builder()
                        .sink(store.sink())              // records, cursors and the run in one transaction
                        .stateStore(store.stateStore())  // instances, history, checkpoints, schedules
                        .build()) {
            runtime.register(definition);
            return runtime.runNow(definition.name()); // its summary carries new/updated/unchanged/gone
        }
        // end::readme[]
    }
}
