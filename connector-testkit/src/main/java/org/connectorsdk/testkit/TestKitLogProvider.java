package org.connectorsdk.testkit;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The testkit's SLF4J provider: every logger is enabled at every level so that
 * {@link CapturedLogs} sees even DEBUG and TRACE lines; events at or above the level named by
 * the system property {@code connectorsdk.testkit.log.level} (default {@code INFO}, or
 * {@code OFF}) are also printed to standard error. Registered for {@link java.util.ServiceLoader};
 * a test never uses it directly.
 */
public final class TestKitLogProvider implements SLF4JServiceProvider {
    private ILoggerFactory factory;
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    /** Called by ServiceLoader. */
    public TestKitLogProvider() {
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        factory = new Factory(echoThreshold());
        markers = new BasicMarkerFactory();
        mdc = new BasicMDCAdapter();
    }

    private static int echoThreshold() {
        String level = System.getProperty("connectorsdk.testkit.log.level", "INFO").toUpperCase(Locale.ROOT);
        if (level.equals("OFF")) {
            return Integer.MAX_VALUE;
        }
        try {
            return Level.valueOf(level).toInt();
        } catch (IllegalArgumentException e) {
            return Level.INFO.toInt();
        }
    }

    /** The logger factory this provider binds; {@link CapturedLogs} checks for it. */
    static final class Factory implements ILoggerFactory {
        private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
        private final int echoThreshold;

        Factory(int echoThreshold) {
            this.echoThreshold = echoThreshold;
        }

        @Override
        public Logger getLogger(String name) {
            return loggers.computeIfAbsent(name, n -> new CapturingLogger(n, echoThreshold));
        }
    }

    private static final class CapturingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        private final int echoThreshold;

        CapturingLogger(String name, int echoThreshold) {
            this.name = name;
            this.echoThreshold = echoThreshold;
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern,
                Object[] arguments, Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
            Optional<String> thrown = Optional.ofNullable(throwable).map(CapturingLogger::stackTrace);
            LogEvent event = new LogEvent(level.name(), name, Thread.currentThread().getName(),
                    message == null ? "" : message, thrown);
            CapturedLogs.publish(event);
            if (level.toInt() >= echoThreshold) {
                System.err.println("[" + event.thread() + "] " + event.text());
            }
        }

        private static String stackTrace(Throwable t) {
            StringWriter out = new StringWriter();
            t.printStackTrace(new PrintWriter(out));
            return out.toString().stripTrailing();
        }
    }
}
