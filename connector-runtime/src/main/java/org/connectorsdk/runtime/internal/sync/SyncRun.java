package org.connectorsdk.runtime.internal.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.DeltaWindow;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.ErrorInfo;
import org.connectorsdk.api.host.PartialRun;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.Partition;
import org.connectorsdk.api.host.RecordSink;
import org.connectorsdk.api.host.RunCommit;
import org.connectorsdk.api.host.RunInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.SinkWriter;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StreamRead;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.host.StreamStats;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.runtime.internal.http.Cancellation;
import org.connectorsdk.runtime.internal.http.HttpTransportFactory;
import org.connectorsdk.runtime.transform.CompiledMap;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.runtime.transform.TransformOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One run of one instance: reads every selected stream page by page, maps the records, writes
 * them to the sink's writer, and publishes all of it or none. The loop and its guards belong to
 * the runtime, not the plugin: a page cap, a repeated checkpoint, a page count far past the
 * source's own total, a total the page bound cannot reach, the time one stream may read, the
 * instance's run deadline, and cancellation between pages.
 */
public final class SyncRun {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    /** How many rejection reasons a stream keeps for the summary. */
    public static final int REJECTION_EXAMPLES = 5;

    /** Pages a partition may read past twice what the source's total_count needs. */
    static final int TOTAL_COUNT_SLACK_PAGES = 10;

    /** How many of a partition's latest checkpoints the loop guard compares each new one with. */
    static final int RECENT_CHECKPOINTS = 16;

    /** What the run reports to its owner as it goes. */
    public interface Recorder {
        void transition(String instance, ConnectorState state, String runId, String detail);
    }

    /** Told after every page, on the run's thread. */
    @FunctionalInterface
    public interface PageListener {
        /**
         * @param stream     the stream being read
         * @param pages      pages of this stream so far
         * @param records    records of this stream so far
         * @param written    records of this stream written to the sink so far
         * @param rejected   records of this stream the maps rejected so far
         * @param totalCount the source's own count of the stream's records, when it gives one
         * @param counters   the run's counters so far (HTTP requests, retries, 429s, the settled rate)
         */
        void page(String stream, long pages, long records, long written, long rejected, OptionalLong totalCount,
                Map<String, Long> counters);
    }

    private final String instance;
    private final Connector connector;
    private final ConnectorConfig config;
    /** The instance's compiled maps by source stream, compiled once when it was bound. */
    private final Map<String, List<CompiledMap>> maps;
    private final RecordSink sink;
    private final StateStore store;
    private final Clock clock;
    /** Whether the sink holds a position of this run to resume from. */
    private boolean positionSaved;
    private final HttpTransportFactory http;
    private final RunPolicy policy;
    private final Recorder recorder;
    private final PageListener progress;
    /** The selected streams this run reads; empty for all of them. */
    private final Set<String> streams;
    /** Whether every stream is read in full whatever its committed cursor (an operator's full sync). */
    private final boolean full;
    private final Executor readAheadExecutor;
    /** The instance's own delta window, when it overrides the streams'. */
    private final Optional<DeltaWindow> deltaWindow;
    private final Cancellation cancellation;
    private final CountingMetrics metrics = new CountingMetrics();
    private final Instant createdAt;
    private final String runId;
    private volatile boolean started;
    /** When the run began processing: its deadline counts from here, not from the wait for a worker. */
    private Instant processingSince;

    /**
     * A run that reads only {@code streams} of the selected streams (all of them when empty) and
     * reads the next page on {@code readAhead} while it writes the current one.
     *
     * @param maps the instance's active maps, compiled ({@link #byStream})
     */
    public SyncRun(String instance, Connector connector, ConnectorConfig config, Map<String, List<CompiledMap>> maps,
            RecordSink sink, StateStore store, Clock clock, HttpTransportFactory http, RunPolicy policy,
            Recorder recorder, PageListener progress, Executor readAhead, Set<String> streams, boolean full,
            Optional<DeltaWindow> deltaWindow) {
        this.full = full;
        this.deltaWindow = deltaWindow;
        this.readAheadExecutor = readAhead;
        this.instance = instance;
        this.streams = Set.copyOf(streams);
        this.connector = connector;
        this.config = config;
        this.maps = Map.copyOf(maps);
        this.sink = sink;
        this.store = store;
        this.clock = clock;
        this.http = http;
        this.policy = policy;
        this.recorder = recorder;
        this.progress = progress;
        this.cancellation = new Cancellation("The run of instance '" + instance + "'");
        this.createdAt = clock.instant();
        this.runId = RunIds.next(createdAt);
    }

    /** Compiles {@code connector}'s {@code active} maps once, grouped by source stream, for every run of an instance. */
    public static Map<String, List<CompiledMap>> byStream(Connector connector, List<TransformMap> active) {
        Map<String, List<CompiledMap>> out = new LinkedHashMap<>();
        for (TransformMap m : active) {
            out.computeIfAbsent(m.sourceStream(), s -> new ArrayList<>()).add(TransformEngine.compile(m, connector));
        }
        out.replaceAll((stream, compiled) -> List.copyOf(compiled));
        return out;
    }

    public String runId() {
        return runId;
    }

    public String instance() {
        return instance;
    }

    /** Whether a worker has begun executing the run (it may have waited for one in {@code SCHEDULED}). */
    public boolean started() {
        return started;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /**
     * Asks the run to stop; it aborts its sink writer and ends {@code ERRORED} with kind
     * {@code CANCELLED}.
     *
     * @param by who cancelled, as the run's error says it: "by the operator (cancel)"
     */
    public void cancel(String by) {
        cancellation.cancel(by);
    }

    /** Runs to the end; failures end in an {@code ERRORED} summary rather than an exception. */
    public RunSummary execute() {
        MDC.put("instance", instance);
        MDC.put("run", runId);
        try {
            return executeLogged();
        } finally {
            MDC.remove("instance");
            MDC.remove("run");
        }
    }

    private RunSummary executeLogged() {
        this.started = true;
        if (cancellation.isCancelled()) {
            // cancelled while it waited for a worker: it never reaches the vendor or the sink
            ErrorInfo error = new ErrorInfo(ErrorKind.CANCELLED, "The run of instance '" + instance + "' was "
                    + "cancelled" + cancelledBy() + " before it started; nothing of it was published",
                    Optional.of("Run it again when "
                            + "needed"));
            RunSummary summary = summary(ConnectorState.ERRORED, clock.instant(), Map.of(), Optional.of(error));
            finish(summary, error.kind() + ": " + error.message());
            return summary;
        }
        String connectorId = connector.descriptor().id();
        Instant started = clock.instant();
        processingSince = started;
        recorder.transition(instance, ConnectorState.PROCESSING, runId, "run started");
        Map<String, StreamCounts> counts = new LinkedHashMap<>();
        Map<String, DeltaCursor> cursors = new LinkedHashMap<>();
        SinkWriter writer = null;
        ErrorInfo error;
        VirtualMachineError fatal = null;
        try {
            cancellation.throwIfCancelled();
            Optional<RunCommit> last = sink.lastCommit(instance);
            List<StreamSpec> selected = connector.selectedStreams(config);
            Map<String, Checkpoint> committed = new LinkedHashMap<>();
            for (StreamSpec stream : selected) {
                previous(last, stream).ifPresent(c -> committed.put(stream.name(), c));
            }
            // the run's transports tell how far the local clock is ahead of the vendor's, which
            // holds the watermarks back to the vendor's time line
            var context = new DefaultConnectorContext(instance, DefaultConnectorContext.secretValues(config), http,
                    clock, cancellation, metrics);
            Supplier<Optional<Duration>> localAhead = context.vendorClock()::localAhead;
            boolean resumable = sink.resumable();
            String digest = RunPosition.digest(planInputs(selected));
            Optional<PartialRun> partial = resumable ? sink.partialRun(instance) : Optional.empty();
            RunPosition position = null;
            Instant planned = started;
            if (partial.isPresent()) {
                Instant at = partial.get().run().startedAt();
                Optional<RunPosition> saved = Optional.empty();
                String why = "it started at " + at + ", longer ago than the " + policy.resumeWithin()
                        + " a run may be resumed within";
                if (at.plus(policy.resumeWithin()).isAfter(started)) {
                    // every window as that run fixed it: the same plan from the same commit at the same instant
                    cursors.putAll(plan(selected, last, at, localAhead));
                    saved = reads(cursors).equals(partial.get().run().streams())
                            ? RunPosition.resume(partial.get().position(), digest) : Optional.empty();
                    why = "it was planned for another config";
                }
                if (saved.isPresent()) {
                    position = saved.get();
                    planned = at;
                    LOG.info("{}: resuming run {}, which did not end, from its last page checkpoint", instance,
                            partial.get().run().runId());
                } else {
                    LOG.info("{}: discarding run {}, which did not end: {}; reading from the last commit", instance,
                            partial.get().run().runId(), why);
                    partial = Optional.empty();
                }
            }
            if (position == null) {
                // every stream's window is fixed now, before any is read: a slow stream never moves
                // another's window end past records nobody reads
                cursors.clear();
                cursors.putAll(plan(selected, last, started, localAhead));
                position = RunPosition.start(digest);
            }
            cursors.forEach((stream, cursor) -> cursor.reset().ifPresent(why -> LOG.info(
                    "{}: stream {} is read in full: {}", instance, stream, why)));
            RunInfo info = new RunInfo(instance, connectorId, runId, planned, reads(cursors));
            writer = partial.isPresent() ? sink.resume(partial.get(), info) : sink.open(info);
            Set<String> complete = new TreeSet<>();
            try (StreamReader reader = connector.open(config, context)) {
                for (StreamSpec stream : selected) {
                    DeltaCursor cursor = cursors.get(stream.name());
                    if (cursor == null) {
                        continue;
                    }
                    StreamCounts c = position.counts(stream.name());
                    if (position.begun(stream.name())) {
                        cursor.resume(position.kept(stream.name()), position.watermark(stream.name()));
                    }
                    counts.put(stream.name(), c);
                    if (!position.streamDone(stream.name())) {
                        readStream(reader, stream, cursor, maps.getOrDefault(stream.name(), List.of()), writer, c,
                                resumable ? position : null);
                        if (resumable) {
                            position.streamDone(stream.name(), c, cursor);
                            savePosition(writer, position.values());
                        }
                    }
                    // a full read framed by a time window leaves out what changed after its end, unless
                    // the stream reads past it (a snapshot stream)
                    if (cursor.mode() == SyncMode.FULL && (cursor.window().isEmpty() || stream.snapshot())
                            && !connector.selection(config, stream).narrowed()) {
                        complete.add(stream.name());
                    }
                }
            }
            cancellation.throwIfCancelled();
            RunSummary summary = summary(ConnectorState.PROCESSED, started, counts, Optional.empty());
            Map<String, Checkpoint> next = new LinkedHashMap<>(committed);
            cursors.forEach((stream, cursor) -> {
                if (cursor.tracked()) {
                    next.put(stream, cursor.next());
                }
            });
            // records and cursors become durable together; the store keeps a copy
            writer.commit(new RunCommit(summary, next, complete));
            logHeldBack(cursors, localAhead);
            summary = summary.withChanges(writer.changes());
            try {
                cursors.forEach((stream, cursor) -> {
                    if (cursor.tracked()) {
                        store.saveCursor(instance, stream, next.get(stream));
                    }
                });
            } catch (RuntimeException e) {
                // the run is published with its cursors: the store's copy is repaired at the next start
                LOG.warn("{}: run {} was published (PROCESSED), but the state store could not save its copy of "
                        + "the cursors ({}); it is repaired from the sink when the runtime starts again", instance,
                        runId, e.getMessage());
            }
            finish(summary, "run completed: " + describe(counts));
            return summary;
        } catch (ConnectorException e) {
            error = cancellation.isCancelled() ? cancelled(counts) : ErrorInfo.of(e);
        } catch (RuntimeException | Error e) {
            // a defect in the plugin or the runtime must still end the run cleanly and visibly
            LOG.error("{}: run {} failed unexpectedly", instance, runId, e);
            if (e instanceof VirtualMachineError) {
                fatal = (VirtualMachineError) e;
            }
            error = cancellation.isCancelled() ? cancelled(counts)
                    : new ErrorInfo(ErrorKind.INTERNAL, "The run of instance '" + instance + "' failed unexpectedly: "
                            + e, Optional.of("This is a defect; report it with the log of the run"));
        }
        if (writer != null) {
            if (positionSaved && error.kind().isTransient()) {
                // as after a crash: a long first read failing at 90% from something that may pass
                // should not cost the next run 100%
                writer.suspend();
                LOG.info("{}: run {} keeps what it read up to its last page checkpoint: the instance's next run "
                        + "resumes it if it starts within {}", instance, runId, policy.resumeWithin());
            } else {
                writer.abort();
            }
        }
        RunSummary summary = summary(ConnectorState.ERRORED, started, counts, Optional.of(error));
        LOG.warn("{}: run {} ERRORED ({}): {}", instance, runId, error.kind(), error.message());
        finish(summary, error.kind() + ": " + error.message());
        if (fatal != null) {
            throw fatal;
        }
        return summary;
    }

    /** Saves the run's position with its records: from now on a failure that may pass keeps the run. */
    private void savePosition(SinkWriter writer, Checkpoint position) {
        writer.savePosition(position);
        positionSaved = true;
    }

    /** The stream's cursor committed last: from the sink's last commit when it keeps one, else the store's copy. */
    private Optional<Checkpoint> previous(Optional<RunCommit> last, StreamSpec stream) {
        return last.isPresent() ? Optional.ofNullable(last.get().cursors().get(stream.name()))
                : store.cursor(instance, stream.name());
    }

    /** The overlap and settle of the stream's delta reads: the instance's, the runtime's, or the stream's own. */
    private DeltaWindow frame(StreamSpec stream) {
        return deltaWindow.or(policy::deltaWindow).orElse(stream.deltaWindow());
    }

    /**
     * How each stream this run reads is read, planned at {@code now} from the cursors of {@code last}, with
     * watermarks held back by how far the local clock is ahead of the vendor's.
     */
    private Map<String, DeltaCursor> plan(List<StreamSpec> selected, Optional<RunCommit> last, Instant now,
            Supplier<Optional<Duration>> localAhead) {
        Map<String, DeltaCursor> plan = new LinkedHashMap<>();
        for (StreamSpec stream : selected) {
            if (streams.isEmpty() || streams.contains(stream.name())) {
                if (full && stream.timeTracked()) {
                    LOG.info("{}: stream {} is read in full: a full sync was asked for", instance, stream.name());
                }
                plan.put(stream.name(), DeltaCursor.plan(stream, full ? Optional.empty() : previous(last, stream),
                        now, frame(stream),
                        connector.selection(config, stream), (before, after) -> connector.widens(stream, before,
                                after), localAhead));
            }
        }
        return plan;
    }

    /** Says once per run which watermarks were held back to the vendor's clock, and by how much. */
    private void logHeldBack(Map<String, DeltaCursor> cursors, Supplier<Optional<Duration>> localAhead) {
        List<String> held = new ArrayList<>();
        cursors.forEach((stream, cursor) -> cursor.heldBack().ifPresent(d -> held.add(stream + " by "
                + d.toSeconds() + " s")));
        if (!held.isEmpty()) {
            LOG.info("{}: the local clock is {} s ahead of the vendor's (the Date headers of its replies): watermarks "
                    + "held back to the vendor's time less the settle delay: {}; the records this run read past them "
                    + "are in the next overlap and are not delivered again", instance,
                    localAhead.get().map(Duration::toSeconds).orElse(0L), String.join(", ", held));
        }
    }

    private static Map<String, StreamRead> reads(Map<String, DeltaCursor> cursors) {
        Map<String, StreamRead> reads = new LinkedHashMap<>();
        cursors.forEach((stream, cursor) -> reads.put(stream, new StreamRead(stream, cursor.mode(), cursor.window())));
        return reads;
    }

    /**
     * What a run's records depend on besides the source and the committed cursors: a run is
     * resumed only when these are unchanged (a filter narrowed or a map edited since would mix two
     * configs in one run).
     */
    private List<Object> planInputs(List<StreamSpec> selected) {
        List<Object> parts = new ArrayList<>();
        parts.add(connector.descriptor().id() + "@" + connector.descriptor().version());
        for (StreamSpec stream : selected) {
            if (streams.isEmpty() || streams.contains(stream.name())) {
                parts.add(List.of(stream, frame(stream), connector.selection(config, stream),
                        maps.getOrDefault(stream.name(), List.of()).stream().map(CompiledMap::map).toList()));
            }
        }
        return parts;
    }

    private void readStream(StreamReader reader, StreamSpec stream, DeltaCursor cursor, List<CompiledMap> maps,
            SinkWriter writer, StreamCounts c, RunPosition position) {
        if (cursor.mode() == SyncMode.INCREMENTAL) {
            LOG.info("{}: reading {} incrementally in [{}, {})", instance, stream.name(),
                    cursor.window().get().from(), cursor.window().get().to());
        }
        RecordIdentity identity = new RecordIdentity(instance, stream);
        Instant streamSince = clock.instant();
        for (Partition partition : reader.partitions(stream, cursor.mode(), cursor.window())) {
            if (position != null && position.partitionDone(stream.name(), partition.id())) {
                continue;
            }
            Checkpoint from = position == null ? Checkpoint.START : position.checkpoint(stream.name(), partition.id());
            if (!from.isStart()) {
                LOG.info("{}: {} partition {} resumes at {}", instance, stream.name(), partition.id(), from.values());
            }
            PageRequest request = new PageRequest(stream, partition, from, cursor.mode(), cursor.window());
            // the last few checkpoints catch a reader that loops, in memory that does not grow with pages
            ArrayDeque<Checkpoint> seen = new ArrayDeque<>(RECENT_CHECKPOINTS + 1);
            seen.add(request.checkpoint());
            long partitionPages = 0;
            long largestPage = 0;
            cancellation.throwIfCancelled();
            Page page = reader.read(request);
            while (true) {
                partitionPages++;
                c.pages++;
                c.read += page.records().size();
                largestPage = Math.max(largestPage, page.records().size());
                // the next page is fetched while this one is mapped and written: the source's
                // latency then overlaps our CPU work instead of adding to it. The reader is still
                // used by one thread at a time (the next read starts after this one returned).
                PageRequest nextRequest = null;
                CompletableFuture<Page> next = null;
                if (!page.done()) {
                    guard(stream, partition, page, partitionPages, largestPage, seen);
                    bound(stream, c, streamSince);
                    nextRequest = request.next(page);
                    next = readAhead(reader, nextRequest);
                }
                try {
                    long number = c.read - page.records().size();
                    for (Map<String, Object> record : page.records()) {
                        number++;
                        if (cursor.accept(record)) {
                            write(stream, maps, record, number, writer, c, identity);
                        } else {
                            c.duplicates++;
                        }
                    }
                    LOG.debug("{}: {} page {} of partition {}: {} records (total {}), next {}", instance,
                            stream.name(), partitionPages, partition.id(), page.records().size(), c.read,
                            page.next().values());
                    progress.page(stream.name(), c.pages, c.read, c.written, c.rejected, page.totalCount(),
                            metrics.snapshot());
                    if (position != null && stream.resumable() && !page.done()) {
                        // the page's records are written: the next page is a position to resume from
                        position.page(stream.name(), partition.id(), page.next(), c, cursor);
                        savePosition(writer, position.values());
                    }
                } catch (RuntimeException | Error e) {
                    // the reader is closed after this returns: let the read in flight end first
                    awaitQuietly(next);
                    throw e;
                }
                if (next == null) {
                    break;
                }
                page = await(next);
                request = nextRequest;
            }
            if (position != null) {
                position.partitionDone(stream.name(), partition.id(), c, cursor);
                savePosition(writer, position.values());
            }
        }
        LOG.info("{}: fetched {} {}", instance, c.read, stream.name());
        if (c.duplicates > 0) {
            metrics.count(stream.name() + ".duplicates.skipped", c.duplicates);
            LOG.debug("{}: skipped {} {} records the previous run delivered", instance, c.duplicates, stream.name());
        }
    }

    private CompletableFuture<Page> readAhead(StreamReader reader, PageRequest request) {
        try {
            Map<String, String> context = MDC.getCopyOfContextMap();
            return CompletableFuture.supplyAsync(() -> {
                MDC.setContextMap(context == null ? Map.of() : context);
                try {
                    cancellation.throwIfCancelled();
                    return reader.read(request);
                } finally {
                    MDC.clear();
                }
            }, readAheadExecutor);
        } catch (RejectedExecutionException e) {
            // the runtime is closing: read on this thread, as without read-ahead
            CompletableFuture<Page> f = new CompletableFuture<>();
            try {
                cancellation.throwIfCancelled();
                f.complete(reader.read(request));
            } catch (RuntimeException failure) {
                f.completeExceptionally(failure);
            }
            return f;
        }
    }

    /** The page, or the read's own exception as thrown by the reader. */
    private static Page await(CompletableFuture<Page> next) {
        try {
            return next.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static void awaitQuietly(CompletableFuture<Page> next) {
        if (next != null) {
            try {
                next.join();
            } catch (RuntimeException e) {
                LOG.debug("A read ahead ended with {} after the run had already failed", e.toString());
            }
        }
    }

    private void guard(StreamSpec stream, Partition partition, Page page, long pages, long largestPage,
            ArrayDeque<Checkpoint> seen) {
        String subject = "Stream '" + stream.name() + "' (partition " + partition.id() + ") of instance '" + instance
                + "'";
        String remediation = "The source or the connector is paging wrongly; report it to the connector's "
                + "maintainers with the log of this run";
        if (seen.contains(page.next())) {
            throw new ConnectorException(ErrorKind.BAD_RESPONSE, subject + " returned the checkpoint "
                    + page.next().values() + " a second time on page " + pages
                    + "; reading stopped so the run does not loop forever", remediation);
        }
        seen.addLast(page.next());
        if (seen.size() > RECENT_CHECKPOINTS) {
            seen.removeFirst();
        }
        if (page.totalCount().isPresent() && largestPage > 0) {
            long total = page.totalCount().getAsLong();
            long expected = total / largestPage + (total % largestPage == 0 ? 0 : 1);
            // a count the page bound cannot reach fails now, not after hours of paging (a second page
            // first: the first one may be short)
            if (pages >= 2 && expected > policy.maxPagesPerStream()) {
                throw new ConnectorException(ErrorKind.BAD_RESPONSE, subject + " cannot be read within the bound "
                        + "maxPagesPerStream of " + policy.maxPagesPerStream() + " pages: the source reports "
                        + total + " records, " + expected + " pages of up to " + largestPage,
                        "If the source really holds that many, raise the runtime's maxPagesPerStream; otherwise the "
                                + "source reports a wrong total_count: report it with the log of this run");
            }
            // twice the expected pages plus slack: tenants grow during a run, but not tenfold
            if (expected <= policy.maxPagesPerStream() && pages > 2 * expected + TOTAL_COUNT_SLACK_PAGES) {
                throw new ConnectorException(ErrorKind.BAD_RESPONSE, subject + " passed the bound on the source's "
                        + "total_count: it read " + pages + " pages although the source reports " + total
                        + " records in pages of up to " + largestPage + " (the bound is twice the pages the count "
                        + "needs plus " + TOTAL_COUNT_SLACK_PAGES + ")", remediation);
            }
        }
    }

    /**
     * The bounds on one stream's reading and on the whole run, checked before each further page
     * is read: pages per stream, time per stream and the instance's run deadline, by the run's
     * clock.
     */
    private void bound(StreamSpec stream, StreamCounts c, Instant streamSince) {
        String subject = "Stream '" + stream.name() + "' of instance '" + instance + "'";
        if (c.pages >= policy.maxPagesPerStream()) {
            throw new ConnectorException(ErrorKind.BAD_RESPONSE, subject + " hit the bound maxPagesPerStream of "
                    + policy.maxPagesPerStream() + " pages (" + c.read + " records) before it ended; reading stopped",
                    "If the source really holds that many, raise the runtime's maxPagesPerStream; otherwise the "
                            + "source or the connector pages wrongly: report it with the log of this run");
        }
        Instant now = clock.instant();
        Duration reading = Duration.between(streamSince, now);
        if (reading.compareTo(policy.maxStreamDuration()) > 0) {
            throw new ConnectorException(ErrorKind.BAD_RESPONSE, subject + " hit the bound maxStreamDuration of "
                    + policy.maxStreamDuration() + ": it was still reading after " + reading.withNanos(0) + " ("
                    + c.pages + " pages, " + c.read + " records); reading stopped",
                    "If the source is that slow or that large, raise the runtime's maxStreamDuration; otherwise the "
                            + "source keeps sending pages it should not: report it with the log of this run");
        }
        if (policy.runDeadline().isPresent() && processingSince != null) {
            Duration deadline = policy.runDeadline().get();
            Duration running = Duration.between(processingSince, now);
            if (running.compareTo(deadline) > 0) {
                throw new ConnectorException(ErrorKind.CANCELLED, "The run of instance '" + instance + "' passed its "
                        + "runDeadline of " + deadline + " after " + running.withNanos(0) + ", reading stream '"
                        + stream.name() + "' (" + c.pages + " pages); it was stopped, nothing of it was published and "
                        + "no cursor moved",
                        "Raise the instance's runDeadline if its runs need longer, or select fewer streams; the next "
                                + "run reads the same window again");
            }
        }
    }

    private void write(StreamSpec stream, List<CompiledMap> maps, Map<String, Object> record, long number,
            SinkWriter writer, StreamCounts c, RecordIdentity identity) {
        if (maps.isEmpty()) {
            writer.write(stream.name(), identity.stamp(record, record));
            c.written++;
            return;
        }
        for (CompiledMap map : maps) {
            TransformOutcome outcome = map.apply(record, number);
            if (outcome.droppedFindings() > 0) {
                metrics.count("transform.findings.dropped", outcome.droppedFindings());
            }
            for (String warning : outcome.warnings()) {
                metrics.count("transform.warnings", 1);
                LOG.debug("{}: {}: {}", instance, map.map().name(), warning);
            }
            if (outcome.record().isPresent()) {
                writer.write(stream.name(), identity.stamp(record, outcome.record().get()));
                c.written++;
            } else {
                c.rejected++;
                String reason = String.join("; ", outcome.rejections());
                if (c.examples.size() < REJECTION_EXAMPLES) {
                    c.examples.add(map.map().name() + ": " + reason);
                }
                LOG.debug("{}: {} record rejected by {}: {}", instance, stream.name(), map.map().name(), reason);
            }
        }
    }

    private ErrorInfo cancelled(Map<String, StreamCounts> counts) {
        long pages = counts.values().stream().mapToLong(c -> c.pages).sum();
        return new ErrorInfo(ErrorKind.CANCELLED, "The run of instance '" + instance + "' was cancelled"
                + cancelledBy() + " after "
                + pages + " page" + (pages == 1 ? "" : "s") + "; nothing of it was published",
                Optional.of("Run it again when needed"));
    }

    /** " by ..." as the run's error names who cancelled it, or nothing when not said. */
    private String cancelledBy() {
        String by = cancellation.cancelledBy();
        return by.isEmpty() ? "" : " " + by;
    }

    private RunSummary summary(ConnectorState state, Instant started, Map<String, StreamCounts> counts,
            Optional<ErrorInfo> error) {
        Map<String, StreamStats> streams = new LinkedHashMap<>();
        counts.forEach((name, c) -> streams.put(name, new StreamStats(c.read, c.written, c.rejected, c.pages,
                c.examples)));
        return new RunSummary(runId, instance, connector.descriptor().id(), state, started, clock.instant(), streams,
                metrics.snapshot(), error);
    }

    /**
     * Records how the run ended. The outcome is settled by now (published or not), so a history
     * that cannot be saved is a warning beside it, never a different outcome, and the transition
     * is recorded whatever failed before it.
     */
    private void finish(RunSummary summary, String detail) {
        try {
            store.clearCheckpoints(instance);
            store.saveRun(summary);
        } catch (RuntimeException e) {
            LOG.warn("{}: run {} ended {}{}, but its history could not be saved: {}", instance, runId, summary.state(),
                    summary.state() == ConnectorState.PROCESSED ? " and is published" : "", e.getMessage());
        }
        try {
            recorder.transition(instance, summary.state(), runId, detail);
        } catch (RuntimeException e) {
            LOG.warn("{}: run {} ended {}, but the transition could not be recorded: {}", instance, runId,
                    summary.state(), e.getMessage());
        }
    }

    private static String describe(Map<String, StreamCounts> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((name, c) -> parts.add(c.written + " " + name + (c.rejected > 0 ? " (" + c.rejected
                + " rejected)" : "")));
        return parts.isEmpty() ? "no streams selected" : String.join(", ", parts);
    }
}
