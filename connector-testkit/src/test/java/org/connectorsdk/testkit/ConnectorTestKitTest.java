package org.connectorsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.testkit.example.ExampleVulnScanConnector;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The harness itself: loading by id, filling config, runs on fake time, cancellation. */
class ConnectorTestKitTest {
    @RegisterExtension
    static final FixtureServer SERVER = FixtureServer.start().loadRecorded("fixtures/example-vulnscan");

    private static ConnectorTestKit kit() {
        return ConnectorTestKit.connector("example-vulnscan").config(Map.of("apiToken", "t0k3n-1234", "pageSize", 2,
                "requestTimeout", "PT1S")).against(SERVER);
    }

    @Test
    void loadsTheConnectorThroughServiceLoader() {
        assertThat(kit().plugin()).isInstanceOf(ExampleVulnScanConnector.class);
        assertThat(kit().id()).isEqualTo("example-vulnscan");
    }

    @Test
    void anUnknownIdNamesTheConnectorsFound() {
        assertThatThrownBy(() -> ConnectorTestKit.connector("nope"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("No connector 'nope' on the test class path; found [")
                .hasMessageContaining("example-vulnscan")
                .hasMessageEndingWith("Register the plugin with @AutoService(Connector.class) (or a"
                        + " META-INF/services/org.connectorsdk.api.Connector entry) in its main or test sources");
    }

    @Test
    void baseUrlFillsTheUrlFieldAndTrustNeedsNoConfigField() {
        Map<String, Object> raw = kit().instanceName("tenant-a").rawConfig();

        assertThat(raw).containsEntry("name", "tenant-a").containsEntry("baseUrl", SERVER.baseUrl())
                .doesNotContainKeys("description", "caCertificate");
        assertThat(kit().plugin().configSpec().fields()).noneMatch(f -> f.type() == FieldType.PEM);
        assertThat(kit().check().results()).allMatch(CheckResult::passed);
        assertThat(kit().validate()).isEmpty();
        assertThat(kit().without("apiToken").validate()).extracting(p -> p.field()).containsExactly("apiToken");
    }

    @Test
    void runsOnTheGivenClock() {
        MutableClock clock = MutableClock.at("2026-05-13T11:07:00Z");

        SyncResult result = kit().clock(clock).sync();

        // the clock moves only by the runtime's waits (rate-limit spacing), never with wall time
        assertThat(result.summary().startedAt()).isBetween(Instant.parse("2026-05-13T11:07:00Z"),
                Instant.parse("2026-05-13T11:07:01Z"));
        assertThat(result.summary().finishedAt()).isEqualTo(clock.instant());
    }

    @Test
    void lastLogsAreTheLastOperations() {
        ConnectorTestKit kit = kit();
        assertThatThrownBy(kit::lastLogs).hasMessage("Nothing ran yet: call check() or sync() first");
        kit.check();
        assertThat(kit.lastLogs().lines()).isNotEmpty().noneMatch(l -> l.contains("t0k3n-1234"));
    }

    @Test
    void aSyncStartedInTheBackgroundCanBeCancelledInFlight() throws Exception {
        try (InstanceUnderTest instance = kit().register()) {
            SERVER.failNext(1, "/api/v1/findings", Fault.slow(Duration.ofSeconds(5)));
            int before = SERVER.requestCount("/api/v1/findings");
            long started = System.nanoTime();

            CompletableFuture<SyncResult> run = instance.startSync();
            awaitRequest("/api/v1/findings", before);
            assertThat(instance.cancel()).isTrue();
            SyncResult result = run.get(10, TimeUnit.SECONDS);

            assertThat(result.summary().state()).isEqualTo(ConnectorState.ERRORED);
            assertThat(result.summary().error()).hasValueSatisfying(e -> assertThat(e.kind())
                    .isEqualTo(ErrorKind.CANCELLED));
            assertThat(result.published()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(instance.history().transitions()).extracting(t -> t.state()).contains(ConnectorState.ERRORED);
        }
    }

    @Test
    void aFaultConsumedBeforeTheRunIsNamedInTheFailedAssertion() {
        try (InstanceUnderTest instance = kit().register()) {
            SERVER.failNext(1, "/api/v1/me", Fault.unauthorized());
            kit().check(); // the AUTHENTICATION check uses the fault up before the run
            SyncResult result = instance.sync();

            assertThat(result.faults()).containsExactly("GET /api/v1/me -> failNext(1, \"/api/v1/me\", HTTP 401) #1"
                    + " (before this run)");
            assertThatThrownBy(() -> ConnectorAssertions.assertThat(result).isErrored())
                    .hasMessageStartingWith("[faults the fixture server injected: GET /api/v1/me -> failNext(1,"
                            + " \"/api/v1/me\", HTTP 401) #1 (before this run)] Expected the run to end ERRORED");
        }
    }

    /**
     * Waits (a bounded while) until the server has seen more than {@code seen} requests to
     * {@code path}; WireMock logs a request on arrival, before a delayed answer.
     */
    private static void awaitRequest(String path, int seen) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (SERVER.requestCount(path) <= seen) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No request to " + path + " within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
