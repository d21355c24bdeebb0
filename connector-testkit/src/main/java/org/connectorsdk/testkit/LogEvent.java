package org.connectorsdk.testkit;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One captured log event, its message already formatted (placeholders filled in).
 *
 * @param level     {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN} or {@code ERROR}
 * @param logger    the logger's name
 * @param thread    the thread that logged
 * @param message   the formatted message
 * @param throwable the attached throwable's class, message and stack trace, when one was given
 */
public record LogEvent(String level, String logger, String thread, String message, Optional<String> throwable) {
    public LogEvent {
        requireNonNull(level, "level is null");
        requireNonNull(logger, "logger is null");
        requireNonNull(thread, "thread is null");
        requireNonNull(message, "message is null");
        requireNonNull(throwable, "throwable is null");
    }

    /** The event as one line (plus the throwable's text), the way a log file would show it. */
    public String text() {
        return level + " " + logger + " - " + message + throwable.map(t -> System.lineSeparator() + t).orElse("");
    }

    @Override
    public String toString() {
        return text();
    }
}
