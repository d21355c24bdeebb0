package org.connectorsdk.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.TransactionContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The task's sink: a run's writer hands each record to {@link #poll} through a bounded queue, and
 * its commit is a Kafka transaction boundary.
 *
 * <p>Source partition = instance + stream; source offset = the run id and the stream's cursor. The
 * last record of each stream is held back until the run commits, so it can carry the new cursor:
 * every other record carries the cursor the run started from. With exactly-once support the
 * commit ends the transaction at the last record of the run, so the records and the cursors
 * commit together; without it Connect commits an offset only once every earlier record is
 * acknowledged, so a cursor never gets ahead of its records (at-least-once). A stream that read
 * no records in a run keeps its committed cursor in Connect and is read again from it.
 */
final class TopicSink implements RecordSink {
    static final String INSTANCE = "instance";
    static final String STREAM = "stream";
    static final String RUN = "run";
    static final String CURSOR = "cursor";
    /** How many records wait for {@link #poll} before a run's writer blocks. */
    private static final int HANDOFF = 4_096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String instance;
    private final String connectorId;
    private final Map<String, String> topics;
    private final TransactionContext transactions;
    private final BlockingQueue<SourceRecord> handoff = new ArrayBlockingQueue<>(HANDOFF);
    /** The cursors as last committed, by stream: from Connect's offsets, then from each commit. */
    private final Map<String, Checkpoint> committed = new ConcurrentHashMap<>();
    private volatile String lastRun;

    /**
     * @param topics       the topic of each stream the instance may read
     * @param transactions Connect's transaction context; null without exactly-once support
     */
    TopicSink(String instance, String connectorId, Map<String, String> topics, TransactionContext transactions,
            OffsetStorageReader offsets) {
        this.instance = requireNonNull(instance, "instance is null");
        this.connectorId = requireNonNull(connectorId, "connectorId is null");
        this.topics = Map.copyOf(topics);
        this.transactions = transactions;
        for (String stream : topics.keySet()) {
            Map<String, Object> offset = offsets.offset(partition(stream));
            if (offset == null) {
                continue;
            }
            if (offset.get(RUN) instanceof String run) {
                lastRun = run;
            }
            if (offset.get(CURSOR) instanceof String cursor) {
                committed.put(stream, new Checkpoint(readJson(cursor)));
            }
        }
    }

    Map<String, Object> partition(String stream) {
        return Map.of(INSTANCE, instance, STREAM, stream);
    }

    /** The records handed over since the last call, waiting up to {@code waitMillis} for the first. */
    List<SourceRecord> poll(long waitMillis) throws InterruptedException {
        SourceRecord first = handoff.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<SourceRecord> batch = new ArrayList<>();
        batch.add(first);
        handoff.drainTo(batch, HANDOFF);
        return batch;
    }

    @Override
    public Optional<RunCommit> lastCommit(String name) {
        String run = lastRun;
        if (!instance.equals(name) || run == null) {
            return Optional.empty();
        }
        Instant never = Instant.EPOCH;
        RunSummary summary = new RunSummary(run, instance, connectorId, ConnectorState.PROCESSED, never, never,
                Map.of(), Map.of(), Optional.empty());
        return Optional.of(new RunCommit(summary, Map.copyOf(committed), Set.of()));
    }

    @Override
    public SinkWriter open(RunInfo run) {
        return new Writer(run);
    }

    private final class Writer implements SinkWriter {
        private final RunInfo run;
        /** The last record of each stream, not handed over yet. */
        private final Map<String, Map<String, Object>> held = new LinkedHashMap<>();
        private boolean done;

        Writer(RunInfo run) {
            this.run = run;
        }

        @Override
        public void write(String stream, Map<String, Object> record) {
            String topic = topics.get(stream);
            if (topic == null) {
                throw new ConnectorException(ErrorKind.INTERNAL, "Stream '" + stream + "' of instance '" + instance
                        + "' has no topic", "Report this: the task maps every stream of the connector to a topic");
            }
            Map<String, Object> previous = held.put(stream, record);
            if (previous != null) {
                hand(toSourceRecord(stream, previous, committed.get(stream)), false);
            }
        }

        @Override
        public void commit(RunCommit commit) {
            lastRun = run.runId();
            SourceRecord last = null;
            for (Map.Entry<String, Map<String, Object>> e : held.entrySet()) {
                SourceRecord record = toSourceRecord(e.getKey(), e.getValue(), commit.cursors().get(e.getKey()));
                if (last != null) {
                    hand(last, false);
                }
                last = record;
            }
            committed.putAll(commit.cursors());
            if (last != null) {
                hand(last, true);
            }
            held.clear();
            done = true;
        }

        @Override
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            if (transactions == null) {
                held.clear();
                return;
            }
            // the held-back records close the open transaction, which is then aborted whole
            SourceRecord last = null;
            for (Map.Entry<String, Map<String, Object>> e : held.entrySet()) {
                if (last != null) {
                    hand(last, false);
                }
                last = toSourceRecord(e.getKey(), e.getValue(), committed.get(e.getKey()));
            }
            held.clear();
            if (last != null) {
                transactions.abortTransaction(last);
                put(last);
            }
        }

        @Override
        public void close() {
            abort();
        }

        private void hand(SourceRecord record, boolean endsRun) {
            if (endsRun && transactions != null) {
                // asked before the record is handed over, so Connect knows when it processes it
                transactions.commitTransaction(record);
            }
            put(record);
        }

        private SourceRecord toSourceRecord(String stream, Map<String, Object> record, Checkpoint cursor) {
            Map<String, Object> offset = new HashMap<>();
            offset.put(RUN, run.runId());
            if (cursor != null) {
                offset.put(CURSOR, writeJson(cursor.values()));
            }
            // through JSON text: decimals become doubles, which Connect's schemaless converters know
            Map<String, Object> value = readJson(writeJson(record));
            Map<?, ?> meta = value.get("_meta") instanceof Map<?, ?> m ? m : Map.of();
            ConnectHeaders headers = new ConnectHeaders();
            headers.addString("sdk.map", String.valueOf(meta.get("map")));
            headers.addString("sdk.modelVersion", String.valueOf(meta.get("modelVersion")));
            headers.addString("sdk.run", run.runId());
            String key = writeJson(List.of(instance, stream, meta.get("key") == null ? List.of() : meta.get("key")));
            return new SourceRecord(partition(stream), offset, topics.get(stream), null, null, key, null, value,
                    null, headers);
        }
    }

    private void put(SourceRecord record) {
        try {
            handoff.put(record);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorKind.CANCELLED, "Interrupted while handing a record to Kafka Connect",
                    "None: the task is stopping; the run is read again from the committed offsets", e);
        }
    }

    private static String writeJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A record or cursor is plain JSON data", e);
        }
    }

    private static Map<String, Object> readJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "A committed source offset holds a cursor that is "
                    + "not JSON: " + e.getOriginalMessage(), "Reset the connector's offsets "
                    + "(DELETE /connectors/<name>/offsets with the connector stopped) to read every stream again", e);
        }
    }
}
