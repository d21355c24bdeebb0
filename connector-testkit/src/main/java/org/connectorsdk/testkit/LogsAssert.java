package org.connectorsdk.testkit;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on {@link CapturedLogs}. A failure about a secret never prints the secret: it shows
 * the offending line with the secret replaced by {@code <secret #n>}.
 */
public final class LogsAssert extends AbstractAssert<LogsAssert, CapturedLogs> {

    LogsAssert(CapturedLogs actual) {
        super(actual, LogsAssert.class);
    }

    /** No event (message or attached stack trace, at any level) contains any of {@code secrets}. */
    public LogsAssert doNotContain(String... secrets) {
        isNotNull();
        List<String> wanted = SecretText.check(secrets);
        List<String> hits = new ArrayList<>();
        List<String> lines = actual.lines();
        for (String line : lines) {
            List<Integer> found = SecretText.found(line, wanted);
            if (!found.isEmpty()) {
                hits.add("secret #" + found.get(0) + " in: " + SecretText.masked(line, wanted));
            }
        }
        if (!hits.isEmpty()) {
            failWithMessage("%s", "Expected the logs to contain no secret, but " + hits.size() + " of " + lines.size()
                    + " log events do. " + String.join(" | ", hits.subList(0, Math.min(5, hits.size()))));
        }
        return this;
    }

    /** Some event's text contains {@code text}. */
    public LogsAssert containsMessage(String text) {
        isNotNull();
        List<String> lines = actual.lines();
        if (lines.stream().noneMatch(l -> l.contains(text))) {
            failWithMessage("%s", "Expected a log event containing \"" + text + "\" but found " + lines.size()
                    + " events" + (lines.isEmpty() ? "" : ": " + String.join(" | ",
                    lines.subList(Math.max(0, lines.size() - 10), lines.size()))));
        }
        return this;
    }

    /** No event is at level {@code ERROR}. */
    public LogsAssert hasNoErrors() {
        isNotNull();
        List<String> errors = actual.events().stream().filter(e -> e.level().equals("ERROR")).map(LogEvent::text)
                .toList();
        if (!errors.isEmpty()) {
            failWithMessage("%s", "Expected no ERROR log events but found " + errors.size() + ": "
                    + String.join(" | ", errors));
        }
        return this;
    }
}
