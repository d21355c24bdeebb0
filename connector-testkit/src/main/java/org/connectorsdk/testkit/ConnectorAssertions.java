package org.connectorsdk.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.TransformMap;

/**
 * The one entry point of the testkit's AssertJ assertions. Failures say what was found, not
 * only what was expected, and never print a secret.
 *
 * <pre>{@code
 * import static org.connectorsdk.testkit.ConnectorAssertions.assertThat;
 *
 * assertThat(connector).isComplete().hasChecksInOrder();
 * assertThat(report).failedAt(CheckKind.AUTHENTICATION).withRemediationContaining("API key");
 * assertThat(result).isProcessed().hasRecords("findings", 3).records("findings").allConformTo("finding");
 * assertThat(logs).doNotContain(apiKey);
 * }</pre>
 *
 * <p>Methods for JDK types have their own names ({@link #assertThatRecords}, {@link #assertThatRecord},
 * {@link #assertThatDirectory}) so a test may import AssertJ's {@code assertThat} statically too.
 */
public final class ConnectorAssertions {
    private ConnectorAssertions() {
    }

    /** Assertions on a connector as a whole. */
    public static ConnectorAssert assertThat(Connector actual) {
        return new ConnectorAssert(actual);
    }

    /** Assertions on a descriptor. */
    public static DescriptorAssert assertThat(ConnectorDescriptor actual) {
        return new DescriptorAssert(actual);
    }

    /** Assertions on a config spec and its validation. */
    public static ConfigSpecAssert assertThat(ConfigSpec actual) {
        return new ConfigSpecAssert(actual);
    }

    /** Assertions on a connection test's report. */
    public static CheckReportAssert assertThat(CheckReport actual) {
        return new CheckReportAssert(actual);
    }

    /** Assertions on a run summary. */
    public static RunSummaryAssert assertThat(RunSummary actual) {
        return new RunSummaryAssert(actual);
    }

    /** Assertions on a harness sync: summary, published records, logs. */
    public static SyncResultAssert assertThat(SyncResult actual) {
        return new SyncResultAssert(actual);
    }

    /** Assertions on a transform map's rows. */
    public static TransformMapAssert assertThat(TransformMap actual) {
        return new TransformMapAssert(actual, null);
    }

    /** Assertions on captured logs. */
    public static LogsAssert assertThat(CapturedLogs actual) {
        return new LogsAssert(actual);
    }

    /** Assertions on records (plain-value trees) at dotted paths and against the target model. */
    public static RecordsAssert assertThatRecords(List<Map<String, Object>> actual) {
        return new RecordsAssert(actual, "the records");
    }

    /** Assertions on one record at dotted paths and against the target model. */
    public static RecordAssert assertThatRecord(Map<String, Object> actual) {
        return new RecordAssert(actual, "the record");
    }

    /** Assertions on every file under a directory. */
    public static FilesAssert assertThatDirectory(Path actual) {
        return new FilesAssert(actual);
    }
}
