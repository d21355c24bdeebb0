package org.connectorsdk.cli.examples;

import java.util.Map;
import org.connectorsdk.api.TimeWindow;
import org.connectorsdk.testkit.ConnectorContractTest;
import org.connectorsdk.testkit.FixtureServer;

/** The README's plugin example passes the contract suite, its incremental read included. */
class AcmeContractTest extends ConnectorContractTest {
    private static final FixtureServer SERVER = FixtureServer.start();

    @Override
    protected String connectorId() {
        return "acme-edr";
    }

    @Override
    protected FixtureServer server() {
        return SERVER;
    }

    @Override
    protected Map<String, Object> validConfig() {
        // two findings a page, so the recorded three span two pages; a request timeout below the
        // suite's three-second stall, with room for a slow first request of a cold JVM
        return Map.of("apiKey", "test-key-acme", "pageSize", 2, "requestTimeout", "PT2S");
    }

    @Override
    protected void stubHealthySource(FixtureServer server) {
        server.loadRecorded("fixtures/acme");
    }

    @Override
    protected void stubEmptySource(FixtureServer server) {
        server.loadRecorded("fixtures/acme-empty");
    }

    @Override
    protected void stubIncrementalSource(FixtureServer server, TimeWindow window) {
        server.loadRecorded("fixtures/acme-changed"); // recorded for updated_since=2026-01-01T00:54:00Z
    }
}
