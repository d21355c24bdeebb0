package org.connectorsdk.testkit.example;

import java.util.Map;
import org.connectorsdk.api.TimeWindow;
import org.connectorsdk.testkit.ConnectorContractTest;
import org.connectorsdk.testkit.FixtureServer;

/** The example plugin passes the contract every connector owes its users. */
// tag::readme[]
class ExampleVulnScanContractTest extends ConnectorContractTest {
    private static final FixtureServer SERVER = FixtureServer.start();

    @Override
    protected String connectorId() {
        return "example-vulnscan";
    }

    @Override
    protected FixtureServer server() {
        return SERVER;
    }

    @Override
    protected Map<String, Object> validConfig() {
        // two findings a page, so the three recorded findings span two pages; a short timeout
        // keeps the suite's timeout test fast
        return Map.of("apiToken", "test-token-4d5e6f", "pageSize", 2, "requestTimeout", "PT2S");
    }

    @Override
    protected void stubHealthySource(FixtureServer server) {
        server.loadRecorded("fixtures/example-vulnscan");
    }

    @Override
    protected void stubEmptySource(FixtureServer server) {
        server.loadRecorded("fixtures/example-vulnscan-empty");
    }

    @Override
    protected void stubIncrementalSource(FixtureServer server, TimeWindow window) {
        // recorded for the suite's fixed window: updated_since=2026-01-01T00:54:00Z
        server.loadRecorded("fixtures/example-vulnscan-changed");
    }
}
// end::readme[]
