package org.connectorsdk.kafka;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.runtime.ConnectorRegistry;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task of {@link SdkSourceConnector}: runs its one instance in an SDK runtime, every stream at
 * once and then each on its own poll interval ({@code sdk.poll.interval.S}, else the stream's own,
 * else once a day), through the runtime's scheduler: streams due together share a run, which reads
 * only them. The runtime's sink is a
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
    private Thread firstRun;

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
        // the runtime's scheduler polls each stream on its own interval only for a recurring
        // schedule; this one starts now and paces the streams without an interval (once a day)
        ScheduleSpec daily = ScheduleSpec.recurring(ScheduleSpec.Recurrence.everyDays(1),
                LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC), ZoneOffset.UTC);
        InstanceDefinition scheduled = new InstanceDefinition(given.connectorId(), instance, given.description(),
                given.config(), Optional.of(daily), given.pollIntervals(), given.deltaWindow());
        ConnectErrors.call(() -> runtime.register(scheduled, parsed.transformMaps()));
        Map<String, String> intervals = new LinkedHashMap<>();
        connector.streams().stream().filter(st -> topics.containsKey(st.name())).forEach(st -> intervals.put(st.name(),
                Optional.ofNullable(given.pollIntervals().get(st.name())).or(st::defaultPollInterval)
                        .map(Duration::toString).orElse("P1D")));
        // the scheduler first polls a stream one interval after the schedule's start (registration
        // came after it), so the first run, reading every stream, is started here
        firstRun = new Thread(this::runFirst, "sdk-task-" + instance);
        firstRun.setDaemon(true);
        firstRun.start();
        runtime.start();
        LOG.info("{}: task started, every stream at once and then on its poll interval {}, streams to topics {}{}",
                instance, intervals, topics, context.transactionContext() == null ? " (at-least-once)"
                        : " (exactly-once, a transaction per run)");
    }

    private void runFirst() {
        try {
            runtime.runNow(instance);
        } catch (RuntimeException e) {
            LOG.warn("{}: the first run could not start; each stream is read on its poll interval: {}", instance,
                    e.getMessage());
        }
    }

    /**
     * The records runs handed over. A failed run fails the task unless its error is transient
     * (rate limited, unreachable): then it is logged, and its streams are read again at the
     * runtime scheduler's retry (after 1, 2, 4 minutes) or on their next poll, whichever comes first.
     */
    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        Optional<RunSummary> failed = store.takeFailedRun();
        if (failed.isPresent() && failed.get().error().isPresent()) {
            var error = failed.get().error().get();
            if (!error.kind().isTransient()) {
                throw ConnectErrors.toConnect(error);
            }
            LOG.warn("{}: run {} failed; its streams are read again at the next retry or poll: {}", instance,
                    failed.get().runId(), ConnectErrors.describe(error));
        }
        return sink.poll(POLL_WAIT_MILLIS);
    }

    @Override
    public void stop() {
        if (firstRun != null) {
            firstRun.interrupt();
        }
        if (runtime != null) {
            runtime.close();
        }
    }
}
