package org.connectorsdk.testkit.broken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The contract suite fails a connector for exactly the defects it has, saying what was found. */
class ContractSuiteCatchesDefectsTest {

    @Test
    void failsTheLeakyConnectorOnItsThreeDefectsAndPassesTheRest() {
        Map<String, TestExecutionResult> results = run(LeakyVulnScanContract.class);

        Map<String, String> failures = new TreeMap<>();
        results.forEach((name, result) -> {
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                failures.put(name, result.getThrowable().map(Throwable::getMessage).orElse("(no message)"));
            }
        });
        assertThat(results).hasSize(17);
        assertThat(results.get("reads incrementally on its second run: the runtime's window reaches the source, only"
                + " changed records come back").getStatus()).isEqualTo(TestExecutionResult.Status.ABORTED);
        assertThat(failures).containsOnlyKeys(
                "keeps every secret out of its logs, check messages and run summaries",
                "fails its checks cleanly, with a message and a remediation, when the source answers with an HTML page",
                "refuses incremental sync with a clear message unless it declares INCREMENTAL_SYNC");
        assertThat(failures.get("keeps every secret out of its logs, check messages and run summaries"))
                .startsWith("Expected the logs to contain no secret, but 2 of ")
                .contains("secret #1 in: DEBUG org.connectorsdk.testkit.broken.LeakyVulnScanConnector - Opening"
                        + " test-instance with token <secret #1>")
                .doesNotContain("leaked-token-9a8b7c");
        assertThat(failures.get("fails its checks cleanly, with a message and a remediation, when the source answers"
                + " with an HTML page"))
                .contains("the AUTHENTICATION failure's message (an exception escaped the check instead of becoming a"
                        + " failed result)")
                .contains("failed unexpectedly: java.lang.IllegalStateException: cannot parse the answer");
        assertThat(failures.get("refuses incremental sync with a clear message unless it declares INCREMENTAL_SYNC"))
                .startsWith("[the refusal's kind (message: The testkit's capability probe sends no requests: refuse"
                        + " what the connector does not declare before calling the vendor)]")
                .contains("expected: UNSUPPORTED").contains("but was: INTERNAL");
    }

    private static Map<String, TestExecutionResult> run(Class<?> suite) {
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        Launcher launcher = LauncherFactory.create();
        System.setProperty(LeakyVulnScanContract.RUN, "true");
        try {
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build(),
                    new TestExecutionListener() {
                        @Override
                        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                            if (id.isTest()) {
                                results.put(id.getDisplayName(), result);
                            }
                        }
                    });
        } finally {
            System.clearProperty(LeakyVulnScanContract.RUN);
        }
        return results;
    }
}
