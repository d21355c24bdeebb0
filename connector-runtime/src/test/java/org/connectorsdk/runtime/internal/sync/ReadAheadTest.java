package org.connectorsdk.runtime.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.SinkWriter;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.runtime.FakeConnector;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.runtime.internal.http.HttpTransportFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run reads the next page while it writes the current one, one read at a time. */
class ReadAheadTest {
    @TempDir
    Path dir;

    private final ExecutorService readAhead = Executors.newSingleThreadExecutor(r -> new Thread(r, "read-ahead"));
    private final List<String> readThreads = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean overlapped = new AtomicBoolean();
    private final AtomicBoolean closedWhileReading = new AtomicBoolean();

    @AfterEach
    void stop() {
        readAhead.shutdownNow();
    }

    @Test
    void laterPagesAreReadOnTheReadAheadThreadAndEveryRecordIsWritten() {
        RunSummary summary = run(new JsonLinesSink(dir.resolve("out")));

        assertThat(summary.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(summary.streams().get("assets").written()).isEqualTo(500);
        assertThat(summary.streams().get("assets").pages()).isEqualTo(5);
        assertThat(readThreads).hasSize(5);
        assertThat(readThreads.subList(1, 5)).containsOnly("read-ahead");
        assertThat(overlapped).isFalse();
    }

    @Test
    void aSinkFailureWaitsForTheReadInFlightBeforeTheReaderCloses() {
        JsonLinesSink files = new JsonLinesSink(dir.resolve("out"));
        RecordSink failing = run -> new SinkWriter() {
            private final SinkWriter delegate = files.open(run);
            private int written;

            @Override
            public void write(String stream, Map<String, Object> record) {
                if (++written == 150) {
                    throw new ConnectorException(ErrorKind.INTERNAL, "disk full at record 150", "Free space");
                }
                delegate.write(stream, record);
            }

            @Override
            public void commit(RunCommit commit) {
                delegate.commit(commit);
            }

            @Override
            public void abort() {
                delegate.abort();
            }

            @Override
            public void close() {
                delegate.close();
            }
        };

        RunSummary summary = run(failing);

        assertThat(summary.state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(summary.error().orElseThrow().message()).isEqualTo("disk full at record 150");
        // page 3 was read ahead while page 2 failed; the reader closed only after it returned
        assertThat(readThreads).hasSize(3);
        assertThat(closedWhileReading).isFalse();
        assertThat(overlapped).isFalse();
    }

    private RunSummary run(RecordSink sink) {
        FakeConnector fake = new FakeConnector();
        Connector connector = new Connector() {
            @Override
            public ConnectorDescriptor descriptor() {
                return fake.descriptor();
            }

            @Override
            public ConfigSpec configSpec() {
                return fake.configSpec();
            }

            @Override
            public List<ConnectionCheck> connectionChecks() {
                return List.of();
            }

            @Override
            public List<StreamSpec> streams() {
                return List.of(StreamSpec.full("assets", "Hosts", "id"));
            }

            @Override
            public StreamReader open(ConnectorConfig config, ConnectorContext context) {
                return new SlowReader();
            }
        };
        ConnectorConfig config = fake.configSpec().bind(Map.of("name", "t", "tenant", "t", "apiKey", "k"));
        Clock clock = Clock.systemUTC();
        SyncRun run = new SyncRun("t", connector, config, Map.of(), sink, FileStateStore.open(dir.resolve("state")),
                clock, new HttpTransportFactory(clock), RunPolicy.DEFAULT, (i, s, r, d) -> { }, (s, p, r, t) -> { },
                readAhead, Set.of(), Optional.empty());
        return run.execute();
    }

    /** Five pages of 100; each read takes a moment and notes its thread. */
    private final class SlowReader implements StreamReader {
        @Override
        public Page read(PageRequest request) {
            if (!reading.compareAndSet(false, true)) {
                overlapped.set(true);
            }
            try {
                readThreads.add(Thread.currentThread().getName());
                Thread.sleep(20); // a source's latency, so a write and a read really run side by side
                int from = (int) request.checkpoint().getLong("from", 0);
                List<Map<String, Object>> records = new ArrayList<>();
                for (int i = from; i < from + 100; i++) {
                    records.add(Map.of("id", "asset-" + i));
                }
                return new Page(records, Checkpoint.of("from", from + 100), from + 100 >= 500, OptionalLong.of(500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                reading.set(false);
            }
        }

        @Override
        public void close() {
            if (reading.get()) {
                closedWhileReading.set(true);
            }
        }
    }
}
