package org.connectorsdk.store.postgres;

import java.io.IOException;

import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.testkit.RecordSinkContractTest;
import org.connectorsdk.testkit.StateStoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The PostgreSQL sink and store pass the testkit's contract suites, each check on a new database. */
class PostgresStoreContractIT {
    private static TestDatabase database;
    private PostgresStore store;

    @BeforeAll
    static void startServer() throws IOException {
        database = TestDatabase.start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        database.close();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Nested
    class SinkContract extends RecordSinkContractTest {
        @Override
        protected RecordSink createSink() {
            store = database.newStore();
            return store.sink();
        }
    }

    @Nested
    class StoreContract extends StateStoreContractTest {
        @Override
        protected StateStore createStore() {
            store = database.newStore();
            return store.stateStore();
        }
    }
}
