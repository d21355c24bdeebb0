package org.connectorsdk.testkit;

import java.util.Map;
import java.util.function.ToLongFunction;
import org.assertj.core.api.AbstractAssert;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StreamStats;

/**
 * Assertions on a {@link RunSummary}: final state, error, figures per stream and counters.
 * Get one from {@link ConnectorAssertions#assertThat(RunSummary)}.
 */
public final class RunSummaryAssert extends AbstractAssert<RunSummaryAssert, RunSummary> {
    /** The transport's retry counter in {@link RunSummary#counters()}. */
    public static final String RETRIES = "http.retries";

    RunSummaryAssert(RunSummary actual) {
        super(actual, RunSummaryAssert.class);
    }

    /** The run ended {@link ConnectorState#PROCESSED}. */
    public RunSummaryAssert isProcessed() {
        return hasState(ConnectorState.PROCESSED);
    }

    /** The run ended {@link ConnectorState#ERRORED}. */
    public RunSummaryAssert isErrored() {
        return hasState(ConnectorState.ERRORED);
    }

    /** The run ended in {@code state}. */
    public RunSummaryAssert hasState(ConnectorState state) {
        isNotNull();
        if (actual.state() != state) {
            failWithMessage("%s", "Expected the run to end " + state + " but it ended " + actual.state()
                    + actual.error().map(e -> " with " + e.kind() + ": " + e.message()
                            + e.remediation().map(r -> " (remediation: " + r + ")").orElse("")).orElse("")
                    + ". Streams: " + streams());
        }
        return this;
    }

    /** The run failed with an error of {@code kind}. */
    public RunSummaryAssert erroredWith(ErrorKind kind) {
        isErrored();
        if (actual.error().isEmpty() || actual.error().get().kind() != kind) {
            failWithMessage("%s", "Expected the run to fail with " + kind + " but found "
                    + actual.error().map(e -> e.kind() + ": " + e.message()).orElse("no error"));
        }
        return this;
    }

    /** The error's message contains {@code text}. */
    public RunSummaryAssert hasErrorMessageContaining(String text) {
        isNotNull();
        if (actual.error().isEmpty() || !actual.error().get().message().contains(text)) {
            failWithMessage("%s", "Expected the run's error message to contain \"" + text + "\" but found "
                    + actual.error().map(e -> "\"" + e.message() + "\"").orElse("no error"));
        }
        return this;
    }

    /** {@code count} target records of {@code stream} were written to the sink. */
    public RunSummaryAssert hasWritten(String stream, long count) {
        return hasCount(stream, "written", StreamStats::written, count);
    }

    /** {@code count} vendor records of {@code stream} were read. */
    public RunSummaryAssert hasRead(String stream, long count) {
        return hasCount(stream, "read", StreamStats::read, count);
    }

    private RunSummaryAssert hasCount(String stream, String what, ToLongFunction<StreamStats> figure,
            long count) {
        StreamStats stats = stats(stream);
        if (figure.applyAsLong(stats) != count) {
            failWithMessage("%s", "Expected " + count + " records " + what + " for stream '" + stream + "' but found "
                    + figure.applyAsLong(stats) + " (" + render(stream, stats) + ")");
        }
        return this;
    }

    /** {@code count} records of {@code stream} were rejected by a transform map. */
    public RunSummaryAssert hasRejected(String stream, long count) {
        StreamStats stats = stats(stream);
        if (stats.rejected() != count) {
            failWithMessage("%s", "Expected " + count + " rejected records for stream '" + stream + "' but found "
                    + stats.rejected() + " with reasons " + stats.rejectionExamples());
        }
        return this;
    }

    /** A rejection reason of {@code stream} contains {@code text}. */
    public RunSummaryAssert hasRejectionContaining(String stream, String text) {
        StreamStats stats = stats(stream);
        if (stats.rejectionExamples().stream().noneMatch(r -> r.contains(text))) {
            failWithMessage("%s", "Expected a rejection of stream '" + stream + "' containing \"" + text
                    + "\" but found " + stats.rejectionExamples());
        }
        return this;
    }

    /** {@code count} pages of {@code stream} were fetched. */
    public RunSummaryAssert hasPages(String stream, long count) {
        StreamStats stats = stats(stream);
        if (stats.pages() != count) {
            failWithMessage("%s", "Expected " + count + " pages for stream '" + stream + "' but found "
                    + stats.pages() + " (" + render(stream, stats) + ")");
        }
        return this;
    }

    /** The transport retried exactly {@code count} times. */
    public RunSummaryAssert hasRetries(long count) {
        return hasCounter(RETRIES, count);
    }

    /** The transport retried at least {@code count} times. */
    public RunSummaryAssert hasRetriesAtLeast(long count) {
        isNotNull();
        if (actual.counter(RETRIES) < count) {
            failWithMessage("%s", "Expected at least " + count + " retries but found " + actual.counter(RETRIES)
                    + ". Counters: " + actual.counters());
        }
        return this;
    }

    /** The counter {@code name} is {@code value} (absent counts as 0). */
    public RunSummaryAssert hasCounter(String name, long value) {
        isNotNull();
        if (actual.counter(name) != value) {
            failWithMessage("%s", "Expected counter '" + name + "' to be " + value + " but found "
                    + actual.counter(name) + ". Counters: " + actual.counters());
        }
        return this;
    }

    private StreamStats stats(String stream) {
        isNotNull();
        StreamStats stats = actual.streams().get(stream);
        if (stats == null) {
            throw failure("%s", "Expected figures for stream '" + stream + "' but the run has only "
                    + actual.streams().keySet());
        }
        return stats;
    }

    private String streams() {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, StreamStats> e : actual.streams().entrySet()) {
            out.append(out.length() > 1 ? "; " : "").append(render(e.getKey(), e.getValue()));
        }
        return out.append('}').toString();
    }

    private static String render(String stream, StreamStats s) {
        return stream + ": read " + s.read() + ", written " + s.written() + ", rejected " + s.rejected() + ", pages "
                + s.pages();
    }
}
