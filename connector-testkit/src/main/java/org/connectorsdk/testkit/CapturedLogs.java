package org.connectorsdk.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Every log event, at every level down to TRACE, logged through SLF4J between
 * {@link #start()} and {@link #close()}, from any thread. The testkit is itself an SLF4J
 * provider ({@link TestKitLogProvider}); it captures whatever is logged while a capture is open,
 * so a test can prove no secret reaches a log line, even a DEBUG one:
 *
 * <pre>{@code
 * try (CapturedLogs logs = CapturedLogs.start()) {
 *     ... run the connector ...
 *     ConnectorAssertions.assertThat(logs).doNotContain(apiKey);
 * }
 * }</pre>
 */
public final class CapturedLogs implements AutoCloseable {
    private static final Set<CapturedLogs> OPEN = new CopyOnWriteArraySet<>();

    private final List<LogEvent> events = new ArrayList<>();
    private final String unavailable;
    private volatile boolean open = true;

    private CapturedLogs(String unavailable) {
        this.unavailable = unavailable;
    }

    /**
     * Starts capturing.
     *
     * @throws IllegalStateException when another SLF4J provider (slf4j-simple, logback) is bound,
     *                               naming it and the fix, since nothing would be captured
     */
    public static CapturedLogs start() {
        String problem = bindingProblem();
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        CapturedLogs logs = new CapturedLogs(null);
        OPEN.add(logs);
        return logs;
    }

    /**
     * Starts capturing when the testkit's provider is bound; otherwise a capture whose readers
     * throw the explanation, so a harness run still works and only asking for logs fails.
     */
    static CapturedLogs startIfBound() {
        String problem = bindingProblem();
        if (problem != null) {
            CapturedLogs logs = new CapturedLogs(problem);
            logs.open = false;
            return logs;
        }
        return start();
    }

    private static String bindingProblem() {
        Object factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof TestKitLogProvider.Factory) {
            return null;
        }
        return "Log capture needs the testkit's SLF4J provider, but " + factory.getClass().getName()
                + " is bound. Remove other SLF4J bindings (slf4j-simple, logback-classic) from the test class path,"
                + " or run the tests with -Dslf4j.provider=" + TestKitLogProvider.class.getName();
    }

    /** A closed capture holding {@code events}, not attached to the log system (for stored results and tests). */
    public static CapturedLogs of(List<LogEvent> events) {
        CapturedLogs logs = new CapturedLogs(null);
        logs.open = false;
        logs.events.addAll(events);
        return logs;
    }

    static void publish(LogEvent event) {
        for (CapturedLogs logs : OPEN) {
            logs.add(event);
        }
    }

    private synchronized void add(LogEvent event) {
        if (open) {
            events.add(event);
        }
    }

    /** The events captured so far, in the order they were logged. */
    public synchronized List<LogEvent> events() {
        if (unavailable != null) {
            throw new IllegalStateException(unavailable);
        }
        return List.copyOf(events);
    }

    /** The events as text, one per element (see {@link LogEvent#text()}). */
    public List<String> lines() {
        return events().stream().map(LogEvent::text).toList();
    }

    /** All captured text joined by line breaks. */
    public String text() {
        return lines().stream().collect(Collectors.joining(System.lineSeparator()));
    }

    /** Stops capturing; the events stay readable. */
    @Override
    public void close() {
        open = false;
        OPEN.remove(this);
    }

    @Override
    public synchronized String toString() {
        return unavailable != null ? "CapturedLogs[unavailable]" : "CapturedLogs[" + events.size() + " events]";
    }
}
