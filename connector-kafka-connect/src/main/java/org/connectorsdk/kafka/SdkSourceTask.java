package org.connectorsdk.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.runtime.ConnectorRegistry;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task of {@link SdkSourceConnector}: runs its one instance in an SDK runtime, at once and then
 * every poll interval (the shortest of the streams it reads). The runtime's sink is a
 * {@link TopicSink}, so every run's records and cursors reach Kafka through {@link #poll}. Connect's source offsets are the cursors; nothing
 * else survives the task.
 */
public final class SdkSourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(SdkSourceTask.class);
    /** How long {@link #poll} waits for a record before it returns, so Connect can stop the task. */
    private static final long POLL_WAIT_MILLIS = 1_000;

    private ConnectorRuntime runtime;
    private TopicSink sink;
    private TaskStateStore store;
    private String instance;
    private Thread runs;

    @Override
    public String version() {
        return Versions.sdk();
    }

    @Override
    public void start(Map<String, String> props) {
        ConnectorRegistry registry = SdkSourceConnector.registry();
        SdkConfig.Parsed parsed = ConnectErrors.call(() -> SdkConfig.parse(registry, props).require());
        InstanceDefinition given = parsed.definition();
        instance = given.name();
        Connector connector = registry.get(given.connectorId());
        Map<String, String> topics = new LinkedHashMap<>();
        for (String stream : parsed.streams()) {
            topics.put(stream, parsed.topicOverrides().getOrDefault(stream, parsed.topicPrefix() + "." + stream));
        }
        sink = new TopicSink(instance, given.connectorId(), topics, context.transactionContext(),
                context.offsetStorageReader());
        store = new TaskStateStore();
        runtime = ConnectorRuntime.builder()
                .registry(ConnectorRegistry.of(new NarrowedConnector(connector, topics.keySet())))
                .sink(sink).stateStore(store).build();
        ConnectErrors.call(() -> runtime.register(given, parsed.transformMaps()));
        Duration every = connector.streams().stream().filter(st -> topics.containsKey(st.name()))
                .map(st -> Optional.ofNullable(given.pollIntervals().get(st.name())).or(st::defaultPollInterval))
                .flatMap(Optional::stream).min(Duration::compareTo).orElse(Duration.ofDays(1));
        runs = new Thread(() -> runEvery(every), "sdk-task-" + instance);
        runs.setDaemon(true);
        runs.start();
        LOG.info("{}: task started, a run every {}, streams to topics {}{}", instance, every, topics,
                context.transactionContext() == null ? " (at-least-once)" : " (exactly-once, a transaction per run)");
    }

    /** Runs the instance now and then every {@code every} until the task stops. */
    private void runEvery(Duration every) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                runtime.runNow(instance);
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("{}: a run could not start: {}", instance, e.getMessage());
                return;
            }
        }
    }

    /**
     * The records runs handed over. A failed run fails the task unless its error is transient
     * (rate limited, unreachable): then it is logged and the stream is read again on its next poll.
     */
    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        Optional<RunSummary> failed = store.takeFailedRun();
        if (failed.isPresent() && failed.get().error().isPresent()) {
            var error = failed.get().error().get();
            if (!error.kind().isTransient()) {
                throw ConnectErrors.toConnect(error);
            }
            LOG.warn("{}: run {} failed and is retried on the next poll: {}", instance, failed.get().runId(),
                    ConnectErrors.describe(error));
        }
        return sink.poll(POLL_WAIT_MILLIS);
    }

    @Override
    public void stop() {
        if (runs != null) {
            runs.interrupt();
        }
        if (runtime != null) {
            runtime.close();
        }
    }
}
