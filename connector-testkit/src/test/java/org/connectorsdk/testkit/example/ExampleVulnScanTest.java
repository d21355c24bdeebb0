package org.connectorsdk.testkit.example;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.connectorsdk.testkit.ConnectorAssertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.testkit.ConnectorTestKit;
import org.connectorsdk.testkit.Fault;
import org.connectorsdk.testkit.FixtureServer;
import org.connectorsdk.testkit.InstanceUnderTest;
import org.connectorsdk.testkit.SyncResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example plugin's own tests, written the way a plugin author writes them with the testkit. */
class ExampleVulnScanTest {
    // tag::readme[]
    private static final String TOKEN = "test-token-4d5e6f";

    @RegisterExtension
    static final FixtureServer SERVER = FixtureServer.start().loadRecorded("fixtures/example-vulnscan");

    private static ConnectorTestKit kit() {
        return ConnectorTestKit.connector("example-vulnscan")
                .config(Map.of("apiToken", TOKEN, "pageSize", 2, "requestTimeout", "PT1S"))
                .baseUrl(SERVER.baseUrl())
                .trust(SERVER.trustPem());
    }

    @Test
    void checksPassAgainstTheRecordedScanner() {
        assertThat(kit().check()).hasKinds(CheckKind.AUTHENTICATION, CheckKind.DATA_FETCH).passedAll();
    }

    @Test
    void aRejectedTokenFailsAuthenticationWithItsRemediation() {
        SERVER.failNext(1, "/api/v1/me", Fault.unauthorized());

        assertThat(kit().check()).failedAt(CheckKind.AUTHENTICATION)
                .withMessageContaining("answered HTTP 401 (the credentials were rejected)")
                .withRemediationContaining("Settings > API Tokens")
                .skippedTheRest();
    }

    @Test
    void syncReadsEveryPageAndMapsFindings() {
        SyncResult result = kit().sync();

        assertThat(result).isProcessed().hasRecords("findings", 3);
        assertThat(result.summary()).hasRead("findings", 3).hasWritten("findings", 3).hasPages("findings", 2)
                .hasRejected("findings", 0);
        assertThat(result).records("findings").allConformTo("finding").allHaveField("_meta.map")
                .recordWith("externalFindingId", "VS-1002")
                .hasFieldEqualTo("findingType.vulnerability.cveId", "CVE-2021-44228")
                .hasFieldEqualTo("severity", 5)
                .hasFieldEqualTo("sourceSeverity", "Critical")
                .hasFieldEqualTo("firstFoundOn", "2025-12-10T00:00:00.000Z");
        assertThat(result).records("findings").recordWith("externalFindingId", "VS-1003")
                .doesNotHaveField("findingType");
        assertThat(result.logs()).doNotContain(TOKEN).containsMessage("findings");
    }
    // end::readme[]

    @Test
    void aTruncatedPageFailsTheRunAndPublishesNothing() {
        try (InstanceUnderTest instance = kit().register()) {
            SERVER.failNext(1, "/api/v1/findings", Fault.truncatedJson());

            SyncResult result = instance.sync();

            assertThat(result).erroredWith(ErrorKind.BAD_RESPONSE).publishedNothing();
            assertThat(result.summary()).hasErrorMessageContaining("is not valid JSON");
        }
    }

    @Test
    void aResetConnectionIsRetried() {
        try (InstanceUnderTest instance = kit().register()) {
            // the JDK client itself retries a GET once after a reset; the second reset reaches the runtime
            SERVER.failNext(2, "/api/v1/findings", Fault.connectionReset());

            SyncResult result = instance.sync();

            assertThat(result).isProcessed().hasRecords("findings", 3);
            assertThat(result.summary()).hasRetriesAtLeast(1);
        }
    }

    @Test
    void registrationIsRefusedWhenAuthorizationFails() {
        // always, not next: a request of an earlier test that timed out may still arrive and take a one-off fault
        SERVER.failAlways("/api/v1/me", Fault.forbidden());

        assertThatThrownBy(() -> kit().register())
                .isInstanceOf(ConnectorException.class)
                .hasMessage("Instance 'test-instance' was not registered: the AUTHENTICATION check (Authentication"
                        + " Credential Check) failed: Example VulnScan answered HTTP 403 (the credentials lack a"
                        + " permission) to GET " + SERVER.baseUrl() + "/api/v1/me");
    }

    @Test
    void anInvalidConfigNamesTheField() {
        assertThat(kit().plugin().configSpec()).validating(kit().set("pageSize", 900).rawConfig())
                .hasProblemsForExactly("pageSize")
                .hasProblemFor("pageSize", "must be between 1 and 500, got 900");
    }

    @Test
    void aSlowScannerTimesOutWithinTheConfiguredTimeout() {
        SERVER.failAlways("/api/v1/me", Fault.slow(Duration.ofSeconds(3)));

        assertThat(kit().check()).failedAt(CheckKind.AUTHENTICATION).failedCleanly();
    }
}
