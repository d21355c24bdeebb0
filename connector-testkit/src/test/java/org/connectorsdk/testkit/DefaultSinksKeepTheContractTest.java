package org.connectorsdk.testkit;

import java.nio.file.Path;

import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's embedded defaults and the testkit's in-memory doubles pass the contract suites. */
class DefaultSinksKeepTheContractTest {
    @TempDir
    Path dir;

    @Nested
    class JsonLinesSinkContract extends RecordSinkContractTest {
        @Override
        protected RecordSink createSink() {
            return new JsonLinesSink(dir.resolve("out"));
        }
    }

    @Nested
    class InMemoryRecordSinkContract extends RecordSinkContractTest {
        @Override
        protected RecordSink createSink() {
            return new InMemoryRecordSink();
        }
    }

    @Nested
    class FileStateStoreContract extends StateStoreContractTest {
        @Override
        protected StateStore createStore() {
            return FileStateStore.open(dir.resolve("state"));
        }
    }

    @Nested
    class InMemoryStateStoreContract extends StateStoreContractTest {
        @Override
        protected StateStore createStore() {
            return new InMemoryStateStore();
        }
    }
}
