package org.connectorsdk.testkit.broken;

import java.util.Map;
import org.connectorsdk.testkit.ConnectorContractTest;
import org.connectorsdk.testkit.FixtureServer;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The contract suite applied to the leaky connector. It runs only inside
 * {@link ContractSuiteCatchesDefectsTest}, which expects its failures: not named *Test, and
 * disabled unless that test sets {@value #RUN}.
 */
@EnabledIfSystemProperty(named = LeakyVulnScanContract.RUN, matches = "true")
public class LeakyVulnScanContract extends ConnectorContractTest {
    static final String RUN = "connectorsdk.testkit.runDefectiveContract";

    private final FixtureServer server = FixtureServer.start();

    @Override
    protected String connectorId() {
        return "leaky-vulnscan";
    }

    @Override
    protected FixtureServer server() {
        return server;
    }

    @Override
    protected Map<String, Object> validConfig() {
        return Map.of("apiToken", "leaked-token-9a8b7c", "pageSize", 2, "requestTimeout", "PT2S");
    }

    @Override
    protected void stubHealthySource(FixtureServer server) {
        server.loadRecorded("fixtures/example-vulnscan");
    }

    @Override
    protected void stubEmptySource(FixtureServer server) {
        server.loadRecorded("fixtures/example-vulnscan-empty");
    }
}
