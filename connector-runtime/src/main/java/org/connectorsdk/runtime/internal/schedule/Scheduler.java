package org.connectorsdk.runtime.internal.schedule;


import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.api.host.ScheduleState;
import org.connectorsdk.api.host.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when each scheduled instance runs; the runtime's workers do the running.
 *
 * <p>The whole decision is one step, {@link #runDue(Instant)}: start every instance due at that
 * instant, in due order, and answer when the next one is due. In production a ticker thread
 * calls it and naps until that answer (or until something changes); tests call it directly on a
 * clock they move by hand, so nothing waits on wall time.
 *
 * <p>Rules it keeps:
 * <ul>
 * <li>Occurrences come from {@link ScheduleSpec#nextRunAfter}, so time zones and DST are its.
 * <li>Recurring runs may be spread by a deterministic jitter per instance and occurrence, at
 *     most half the recurrence period (11 hours for calendar recurrences).
 * <li>An instance never overlaps itself: occurrences that come due while its run is in progress
 *     are coalesced into one run that starts when it ends.
 * <li>Occurrences missed while the process was down, or while the ticker was late, collapse
 *     into one run.
 * <li>A recurring instance whose streams have poll intervals (the instance's override, else
 *     the stream's {@link org.connectorsdk.api.StreamSpec#defaultPollInterval}) keeps a due time
 *     per stream: each stream is polled every interval counted from the schedule's start, and
 *     streams due at the same step share one run that reads only them. A stream without an
 *     interval follows the schedule's recurrence. A single occurrence still runs every stream.
 * <li>The next due time is saved in the {@link StateStore} when a run it started ends (or when
 *     an instance is first planned), so after a restart an owed run runs once and a single
 *     occurrence that ran never runs again. A run cancelled because the scheduler stopped
 *     stays owed.
 * <li>A run it started that ended ERRORED with a transient kind is retried before its streams
 *     are due again, as the {@link RetryPolicy} allows (by default 3 times, after 1, 2 and 4
 *     minutes); the pending retry is saved with the schedule state, so {@code status} shows it
 *     and a restart keeps it.
 * </ul>
 *
 * <p>Lock order: this scheduler, then the runtime. The runtime never calls in here while it
 * holds its own lock.
 */
public final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    /** The longest nap of the ticker, so a clock jump or a suspended machine is noticed soon. */
    static final Duration MAX_NAP = Duration.ofMinutes(1);
    /** The largest jitter of day, week and month recurrences: under half the shortest (23-hour) day. */
    static final Duration MAX_CALENDAR_JITTER = Duration.ofHours(11);

    /** Starts a run of an instance now, or throws as {@code ConnectorRuntime.submit} does. */
    public interface Dispatcher {
        /** @param streams the streams to read; empty for every selected stream */
        void dispatch(String instance, Set<String> streams);
    }

    /** One scheduled instance. */
    private static final class Entry {
        final ScheduleSpec spec;
        /** When its next run is due, jitter included; empty when no occurrence is left. */
        Optional<Instant> due;
        Optional<Instant> lastRun;
        /** A run this scheduler started has not ended yet. */
        boolean running;
        /** A due time that passed while a run was in progress: one run follows that run. */
        Optional<Instant> owed = Optional.empty();
        /** Each selected stream's poll interval (empty: the recurrence); empty when it runs as a whole. */
        final Map<String, Optional<Duration>> intervals;
        /** When each stream is next due, in per-stream mode; {@link #due} is their earliest. */
        final Map<String, Instant> streamDue = new LinkedHashMap<>();
        /** The streams of the owed run, in per-stream mode. */
        final Set<String> owedStreams = new TreeSet<>();
        /** The streams of the last run this scheduler started; empty for every stream. */
        Set<String> lastStreams = Set.of();
        /** The retry of a failed run, when one is planned. */
        Optional<ScheduleState.Retry> retry = Optional.empty();

        Entry(ScheduleSpec spec, Optional<Instant> due, Optional<Instant> lastRun,
                Map<String, Optional<Duration>> intervals) {
            this.spec = spec;
            this.due = due;
            this.lastRun = lastRun;
            this.intervals = intervals;
        }

        boolean perStream() {
            return !intervals.isEmpty();
        }

        void dueFromStreams() {
            due = streamDue.values().stream().min(Comparator.naturalOrder());
        }
    }

    private final StateStore store;
    private final Clock clock;
    private final Duration maxJitter;
    private final Dispatcher dispatcher;
    private final Function<String, Map<String, Optional<Duration>>> streamIntervals;
    private final RetryPolicy retries;

    // guarded by this
    private final Map<String, Entry> entries = new HashMap<>();
    private boolean active;
    private boolean woken;
    private Thread ticker;
    private volatile Throwable failure;

    /**
     * @param streamIntervals an instance's selected streams and each one's poll interval (empty
     *                        when it has none); called under this scheduler's lock
     */
    public Scheduler(StateStore store, Clock clock, Duration maxJitter,
            Function<String, Map<String, Optional<Duration>>> streamIntervals, Dispatcher dispatcher) {
        this(store, clock, maxJitter, streamIntervals, dispatcher, RetryPolicy.DEFAULT);
    }

    /** A scheduler that retries failed runs as {@code retries} says. */
    public Scheduler(StateStore store, Clock clock, Duration maxJitter,
            Function<String, Map<String, Optional<Duration>>> streamIntervals, Dispatcher dispatcher,
            RetryPolicy retries) {
        this.retries = requireNonNull(retries, "retries is null");
        this.streamIntervals = requireNonNull(streamIntervals, "streamIntervals is null");
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.maxJitter = requireNonNull(maxJitter, "maxJitter is null");
        this.dispatcher = requireNonNull(dispatcher, "dispatcher is null");
    }

    /**
     * Plans every stored instance that has a schedule and, with {@code withTicker}, starts the
     * thread that keeps calling {@link #runDue}. Starting a started scheduler does nothing.
     */
    public synchronized void start(boolean withTicker) {
        if (active) {
            return;
        }
        active = true;
        Instant now = clock.instant();
        entries.clear();
        for (InstanceRecord r : store.instances()) {
            plan(r, now).ifPresent(e -> entries.put(r.name(), e));
        }
        LOG.info("Scheduler started with {} scheduled instance{}", entries.size(), entries.size() == 1 ? "" : "s");
        if (withTicker) {
            ticker = new Thread(this::tick, "connector-scheduler");
            ticker.setDaemon(true);
            ticker.start();
        }
    }

    /** Starts no run from now on; runs in progress are the runtime's to finish or cancel. */
    public void stop() {
        Thread t;
        synchronized (this) {
            if (!active) {
                return;
            }
            active = false;
            t = ticker;
            ticker = null;
            notifyAll();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(MAX_NAP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("Scheduler stopped: no new runs start");
    }

    public synchronized boolean isActive() {
        return active;
    }

    /**
     * Starts every instance due at {@code now}, earliest due first, and returns when the next
     * one is due (which may be in the past when one is owed after a run in progress).
     */
    public synchronized Optional<Instant> runDue(Instant now) {
        if (!active) {
            return Optional.empty();
        }
        List<String> due = new ArrayList<>();
        entries.forEach((name, e) -> {
            if (e.due.isPresent() && !e.due.get().isAfter(now)) {
                due.add(name);
            }
        });
        due.sort(Comparator.comparing((String name) -> entries.get(name).due.get()).thenComparing(name -> name));
        for (String name : due) {
            try {
                Entry e = entries.get(name);
                Instant at = e.due.get();
                Set<String> streams = new TreeSet<>();
                if (e.perStream()) {
                    for (Map.Entry<String, Instant> s : e.streamDue.entrySet()) {
                        if (!s.getValue().isAfter(now)) {
                            streams.add(s.getKey());
                            s.setValue(nextStreamDueAfter(name, e, s.getKey(), now));
                        }
                    }
                    e.dueFromStreams();
                } else {
                    // every occurrence up to now is served by this one run
                    e.due = nextDueAfter(name, e.spec, now);
                }
                if (e.running) {
                    owe(name, e, at, streams);
                } else {
                    start(name, e, at, now, streams);
                }
            } catch (RuntimeException ex) {
                // one instance's broken schedule never stops the others: it is taken off the plan
                Entry e = entries.get(name);
                e.due = Optional.empty();
                e.streamDue.clear();
                LOG.error("{}: its schedule could not be worked out ({}); it is not scheduled again until it is "
                        + "registered anew", name, ex.toString());
                LOG.debug("{}: the scheduling failure", name, ex);
            }
        }
        return nextWakeUp();
    }

    /** Called by the runtime after every run of {@code name} ends, whoever started it. */
    public synchronized void runEnded(String name, RunSummary summary) {
        Entry e = entries.get(name);
        if (e == null) {
            return;
        }
        boolean ours = e.running;
        e.running = false;
        boolean cancelledByStop = !active && summary != null && summary.error()
                .filter(err -> err.kind() == ErrorKind.CANCELLED).isPresent();
        if (ours && !cancelledByStop && summary != null) {
            planRetry(name, e, summary);
        }
        if (ours && !cancelledByStop) {
            save(name, e);
        }
        if (active && e.owed.isPresent()) {
            Instant owed = e.owed.get();
            Set<String> streams = new TreeSet<>(e.owedStreams);
            e.owed = Optional.empty();
            e.owedStreams.clear();
            LOG.info("{}: starting the run coalesced while the previous one was in progress (due {})", name, owed);
            start(name, e, owed, clock.instant(), streams);
        }
        wake();
    }

    /** The instance was registered or updated: plan it afresh when its schedule changed. */
    public synchronized void refresh(String name) {
        if (!active) {
            return;
        }
        Optional<InstanceRecord> record = store.instance(name);
        Entry old = entries.get(name);
        if (record.isEmpty() || record.get().schedule().isEmpty()) {
            entries.remove(name);
            return;
        }
        if (old != null && old.spec.equals(record.get().schedule().get())
                && old.intervals.equals(intervals(record.get()))) {
            // same schedule (e.g. a rotated key): a run skipped while it could not run is owed now
            Optional<ScheduleState> state = store.scheduleState(name);
            Optional<Instant> saved = state.flatMap(ScheduleState::nextRun);
            if (old.perStream()) {
                if (!old.running && state.isPresent()) {
                    state.get().streamNextRuns().forEach((stream, t) -> old.streamDue.computeIfPresent(stream,
                            (k, current) -> t.isBefore(current) ? t : current));
                    old.dueFromStreams();
                }
            } else if (!old.running && saved.isPresent()
                    && (old.due.isEmpty() || saved.get().isBefore(old.due.get()))) {
                old.due = saved;
            }
        } else {
            Entry fresh = plan(record.get(), clock.instant()).orElseThrow();
            if (old != null) {
                fresh.running = old.running;
                fresh.owed = old.owed;
                fresh.owedStreams.addAll(old.owedStreams);
            }
            entries.put(name, fresh);
        }
        wake();
    }

    /** The instance was removed. */
    public synchronized void forget(String name) {
        entries.remove(name);
    }

    /**
     * When the instance's next run is due: the scheduler's plan while it is active, otherwise
     * the saved plan (or, for an instance never planned, the first occurrence it would get).
     */
    public synchronized Optional<Instant> nextRun(String name) {
        Entry e = entries.get(name);
        if (active && e != null) {
            return e.owed.or(() -> e.due);
        }
        return store.instance(name).flatMap(r -> plan(r, clock.instant())).flatMap(p -> p.due);
    }

    /**
     * Waits until no run this scheduler started is in progress or owed; for tests.
     *
     * @return false when {@code timeout} passed first
     */
    public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (entries.values().stream().anyMatch(e -> e.running || e.owed.isPresent())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------

    /**
     * Plans the retry of {@code summary}'s run when the retry policy allows one and it comes
     * before the failed streams are due anyway; the failed streams (or the instance) become due
     * at the retry.
     */
    private void planRetry(String name, Entry e, RunSummary summary) {
        Instant now = clock.instant();
        Optional<ScheduleState.Retry> previous = e.retry.filter(r -> !r.at().isAfter(now));
        Set<String> failed = e.lastStreams.isEmpty() ? e.streamDue.keySet() : e.lastStreams;
        Optional<Instant> dueAnyway = e.perStream()
                ? failed.stream().map(e.streamDue::get).filter(Objects::nonNull)
                        .min(Comparator.naturalOrder())
                : e.due;
        e.retry = retries.after(summary, previous, now)
                .filter(r -> dueAnyway.isEmpty() || r.at().isBefore(dueAnyway.get()));
        if (e.retry.isEmpty()) {
            if (summary.state() == ConnectorState.ERRORED) {
                LOG.info("{}: the run failed and is not retried; next run {}", name,
                        dueAnyway.map(Instant::toString).orElse("none"));
            }
            return;
        }
        ScheduleState.Retry retry = e.retry.get();
        if (e.perStream()) {
            failed.forEach(stream -> e.streamDue.computeIfPresent(stream,
                    (s, due) -> due.isAfter(retry.at()) ? retry.at() : due));
            e.dueFromStreams();
        } else {
            e.due = Optional.of(retry.at());
        }
        LOG.info("{}: the run failed with {}; {}", name, retry.cause(), retry.describe());
    }

    private void start(String name, Entry e, Instant due, Instant now, Set<String> streams) {
        e.running = true;
        e.lastStreams = Set.copyOf(streams);
        try {
            dispatcher.dispatch(name, Set.copyOf(streams));
            e.lastRun = Optional.of(now);
            LOG.debug("{}: started the run due {} ({})", name, due, streams.isEmpty() ? "every stream" : streams);
        } catch (ConnectorException ex) {
            e.running = false;
            if (ex.kind() == ErrorKind.TRANSIENT) {
                // a run someone else started (runNow) is in progress
                owe(name, e, due, streams);
            } else {
                LOG.warn("{}: the run due {} was skipped: {}", name, due, ex.getMessage());
            }
        }
    }

    private void owe(String name, Entry e, Instant due, Set<String> streams) {
        e.owedStreams.addAll(streams);
        if (e.owed.isEmpty()) {
            e.owed = Optional.of(due);
            LOG.info("{}: due {} while its previous run is still in progress; one run follows it", name, due);
        } else {
            LOG.debug("{}: due {} again while its previous run is in progress; still one run follows it", name, due);
        }
    }

    private void save(String name, Entry e) {
        try {
            // an owed stream is due when the run owed to it was
            Map<String, Instant> streams = new LinkedHashMap<>(e.streamDue);
            e.owed.ifPresent(owed -> e.owedStreams.forEach(s -> streams.put(s, owed)));
            store.saveScheduleState(name, new ScheduleState(e.spec, e.owed.or(() -> e.due), e.lastRun, streams,
                    e.retry));
        } catch (RuntimeException ex) {
            LOG.error("{}: the schedule state could not be saved; after a restart its next run may repeat",
                    name, ex);
        }
    }

    /**
     * The plan of a stored instance: its saved state when that was made for the same schedule,
     * otherwise a fresh one, which is saved. A fresh single occurrence is due at its start (even
     * a past one, unless a run started after it); a fresh recurrence at its first occurrence
     * from registration on, or from now when the schedule changed.
     */
    private Optional<Entry> plan(InstanceRecord r, Instant now) {
        if (r.schedule().isEmpty()) {
            return Optional.empty();
        }
        ScheduleSpec spec = r.schedule().get();
        Map<String, Optional<Duration>> intervals = intervals(r);
        Optional<ScheduleState> saved = store.scheduleState(r.name());
        if (saved.isPresent() && saved.get().schedule().equals(spec)) {
            Entry e = new Entry(spec, saved.get().nextRun(), saved.get().lastRun(), intervals);
            e.retry = saved.get().retry();
            if (e.perStream()) {
                for (String stream : intervals.keySet()) {
                    // state from before per-stream polling (or a newly selected stream): the instance's due time
                    Instant due = Optional.ofNullable(saved.get().streamNextRuns().get(stream))
                            .or(saved.get()::nextRun)
                            .orElseGet(() -> nextStreamDueAfter(r.name(), e, stream, now.minusMillis(1)));
                    e.streamDue.put(stream, due);
                }
                e.dueFromStreams();
            }
            return Optional.of(e);
        }
        Optional<Instant> due;
        if (!intervals.isEmpty()) {
            Instant from = (saved.isPresent() ? now : r.registeredAt()).minusMillis(1);
            Entry fresh = new Entry(spec, Optional.empty(), saved.flatMap(ScheduleState::lastRun), intervals);
            intervals.keySet().forEach(stream -> fresh.streamDue.put(stream,
                    nextStreamDueAfter(r.name(), fresh, stream, from)));
            fresh.dueFromStreams();
            if (active) {
                save(r.name(), fresh);
            }
            return Optional.of(fresh);
        }
        if (spec.isOnce()) {
            Instant at = spec.nextRunAfter(Instant.MIN).orElseThrow();
            boolean ran = store.runs(r.name()).stream().anyMatch(run -> !run.startedAt().isBefore(at));
            due = ran ? Optional.empty() : Optional.of(at);
        } else {
            Instant from = saved.isPresent() ? now : r.registeredAt();
            due = nextDueAfter(r.name(), spec, from.minusMillis(1));
        }
        Entry e = new Entry(spec, due, saved.flatMap(ScheduleState::lastRun), intervals);
        if (active) {
            save(r.name(), e);
        }
        return Optional.of(e);
    }

    /**
     * The selected streams of a recurring instance and their poll intervals; empty (the
     * instance runs as a whole) for a single occurrence or when no stream has an interval.
     */
    private Map<String, Optional<Duration>> intervals(InstanceRecord r) {
        if (r.schedule().isEmpty() || r.schedule().get().isOnce()) {
            return Map.of();
        }
        Map<String, Optional<Duration>> intervals;
        try {
            intervals = streamIntervals.apply(r.name());
        } catch (RuntimeException ex) {
            LOG.warn("{}: its streams' poll intervals are unknown ({}); it runs as a whole on its schedule",
                    r.name(), ex.getMessage());
            return Map.of();
        }
        return intervals.values().stream().anyMatch(Optional::isPresent) ? Map.copyOf(intervals) : Map.of();
    }

    /**
     * When a stream is due strictly after {@code t}: on its interval counted from the schedule's
     * start (no jitter: the interval is short and its own), else the instance's next due time.
     */
    private Instant nextStreamDueAfter(String name, Entry e, String stream, Instant t) {
        Optional<Duration> interval = e.intervals.getOrDefault(stream, Optional.empty());
        if (interval.isEmpty()) {
            // a recurring schedule always has a next occurrence
            return nextDueAfter(name, e.spec, t).orElseThrow();
        }
        Instant start = e.spec.start().atZone(e.spec.zone()).toInstant();
        if (start.isAfter(t)) {
            return start;
        }
        long period = Math.max(1, interval.get().toMillis());
        long k = Math.floorDiv(t.toEpochMilli() - start.toEpochMilli(), period) + 1;
        return start.plusMillis(k * period);
    }

    /** The first due time strictly after {@code t}: the next occurrence plus its jitter. */
    Optional<Instant> nextDueAfter(String name, ScheduleSpec spec, Instant t) {
        if (spec.isOnce()) {
            return spec.nextRunAfter(t);
        }
        Duration cap = jitterCap(spec, maxJitter);
        Optional<Instant> occurrence = spec.nextRunAfter(t.minus(cap));
        while (occurrence.isPresent()) {
            Instant due = occurrence.get().plus(jitter(name, occurrence.get(), cap));
            if (due.isAfter(t)) {
                return Optional.of(due);
            }
            occurrence = spec.nextRunAfter(occurrence.get());
        }
        return Optional.empty();
    }

    /** The jitter bound of a recurrence: the option, at most half its shortest period. */
    public static Duration jitterCap(ScheduleSpec spec, Duration maxJitter) {
        ScheduleSpec.Recurrence r = spec.recurrence().orElseThrow();
        Duration half = r.unit() == ChronoUnit.MINUTES || r.unit() == ChronoUnit.HOURS
                ? r.unit().getDuration().multipliedBy(r.amount()).dividedBy(2)
                : MAX_CALENDAR_JITTER;
        return maxJitter.compareTo(half) < 0 ? maxJitter : half;
    }

    /**
     * The delay of one occurrence of one instance, in {@code [0, cap)} milliseconds: the same
     * for the same name and occurrence in every process, and spread evenly over instances.
     */
    public static Duration jitter(String name, Instant occurrence, Duration cap) {
        long bound = cap.toMillis();
        if (bound <= 0) {
            return Duration.ZERO;
        }
        long z = name.hashCode() * 0x9E3779B97F4A7C15L + occurrence.toEpochMilli();
        // the splitmix64 finaliser: nearby names and occurrences land far apart
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return Duration.ofMillis(Math.floorMod(z, bound));
    }

    private Optional<Instant> nextWakeUp() {
        return entries.values().stream().flatMap(e -> e.due.stream())
                .min(Comparator.naturalOrder());
    }

    private void wake() {
        woken = true;
        notifyAll();
    }

    /**
     * The ticker: one step, then a nap until the next due time, a change, or {@link #MAX_NAP}.
     * A failed step is logged and tried again; should the thread end anyway (an {@link Error}),
     * {@link #failure()} says so, and the process running it can stop with an error.
     */
    private void tick() {
        try {
            tickUntilStopped();
        } catch (Throwable t) {
            failure = t;
            // logged here, the stack trace at debug: the JVM's default handler would print it bare
            LOG.error("The scheduler stopped working ({}): no instance is scheduled any more", t.toString());
            LOG.debug("The scheduler's failure", t);
        }
    }

    /** Why the ticker thread ended, when it ended other than by {@link #stop()}. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** How long to nap until {@code next}, at most {@link #MAX_NAP}; a far-future due time cannot overflow it. */
    private long napMillis(Optional<Instant> next) {
        Instant now = clock.instant();
        if (next.isEmpty() || next.get().isAfter(now.plus(MAX_NAP))) {
            return MAX_NAP.toMillis();
        }
        return Duration.between(now, next.get()).toMillis();
    }

    private void tickUntilStopped() {
        while (true) {
            try {
                runDue(clock.instant());
            } catch (RuntimeException e) {
                LOG.error("A scheduling step failed; trying again shortly", e);
            }
            synchronized (this) {
                if (!active || ticker != Thread.currentThread()) {
                    return;
                }
                if (!woken) {
                    long nap = napMillis(nextWakeUp());
                    if (nap > 0) {
                        try {
                            wait(nap);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                woken = false;
                if (!active || ticker != Thread.currentThread()) {
                    return;
                }
            }
        }
    }
}
