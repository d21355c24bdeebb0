package org.connectorsdk.testkit;

import org.assertj.core.api.AbstractAssert;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;

/**
 * Assertions on a {@link SyncResult}: the run's outcome, what was published, and the records and
 * logs. Get one from {@link ConnectorAssertions#assertThat(SyncResult)}:
 *
 * <pre>{@code
 * assertThat(kit.sync()).isProcessed().hasRecords("findings", 3)
 *         .records("findings").allConformTo("finding");
 * }</pre>
 */
public final class SyncResultAssert extends AbstractAssert<SyncResultAssert, SyncResult> {

    SyncResultAssert(SyncResult actual) {
        super(actual, SyncResultAssert.class);
        if (actual != null && !actual.faults().isEmpty()) {
            describedAs(faultsNote(actual));
        }
    }

    /** Assertions on the run summary (failures name the injected faults the run met). */
    public RunSummaryAssert summary() {
        isNotNull();
        RunSummaryAssert summary = new RunSummaryAssert(actual.summary());
        return actual.faults().isEmpty() ? summary : summary.describedAs(faultsNote(actual));
    }

    /** Says where injected faults went: a fault a check used up never reaches the sync. */
    static String faultsNote(SyncResult result) {
        return "faults the fixture server injected: " + String.join("; ", result.faults());
    }

    /** The run ended PROCESSED and the sink committed it. */
    public SyncResultAssert isProcessed() {
        summary().hasState(ConnectorState.PROCESSED);
        if (!actual.published()) {
            failWithMessage("%s", "Expected the PROCESSED run to be published by the sink but nothing was committed");
        }
        return this;
    }

    /** The run ended ERRORED. */
    public SyncResultAssert isErrored() {
        summary().hasState(ConnectorState.ERRORED);
        return this;
    }

    /** The run ended ERRORED with an error of {@code kind}. */
    public SyncResultAssert erroredWith(ErrorKind kind) {
        summary().erroredWith(kind);
        return this;
    }

    /** The sink published nothing of the run. */
    public SyncResultAssert publishedNothing() {
        isNotNull();
        if (actual.published() || !actual.allRecords().isEmpty()) {
            failWithMessage("%s", "Expected nothing published but the sink "
                    + (actual.published() ? "committed the run" : "holds records") + " with "
                    + actual.allRecords().size() + " record(s): " + actual);
        }
        return this;
    }

    /** {@code count} records of {@code stream} were published. */
    public SyncResultAssert hasRecords(String stream, int count) {
        isNotNull();
        int found = actual.records(stream).size();
        if (found != count) {
            failWithMessage("%s", "Expected " + count + " published records of stream '" + stream + "' but found "
                    + found + ". Published: " + actual + "; run " + actual.summary().streams()
                    + actual.summary().error().map(e -> "; error " + e.kind() + ": " + e.message()).orElse(""));
        }
        return this;
    }

    /** No record at all was published. */
    public SyncResultAssert hasNoRecords() {
        isNotNull();
        if (!actual.allRecords().isEmpty()) {
            failWithMessage("%s", "Expected no published records but found " + actual);
        }
        return this;
    }

    /** Assertions on the published records of {@code stream}. */
    public RecordsAssert records(String stream) {
        isNotNull();
        return new RecordsAssert(actual.records(stream), "stream '" + stream + "'");
    }

    /** Assertions on the logs captured during the run. */
    public LogsAssert logs() {
        isNotNull();
        return new LogsAssert(actual.logs());
    }
}
