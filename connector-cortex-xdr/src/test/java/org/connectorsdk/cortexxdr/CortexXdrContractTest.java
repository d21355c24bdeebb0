package org.connectorsdk.cortexxdr;

import java.util.HashMap;
import java.util.Map;
import org.connectorsdk.testkit.ConnectorContractTest;
import org.connectorsdk.testkit.FixtureServer;

/**
 * The Cortex XDR connector passes the testkit's contract suite, against stubs recorded from the
 * simulator (see {@link CortexXdrFixtureRecording}): three endpoints, two a page.
 */
class CortexXdrContractTest extends ConnectorContractTest {
    static final String FIXTURES = "fixtures/cortex-xdr-contract/";
    private static final FixtureServer SERVER = FixtureServer.start();

    @Override
    protected String connectorId() {
        return CortexXdrConnector.ID;
    }

    @Override
    protected FixtureServer server() {
        return SERVER;
    }

    /** The recording config with a request timeout below the suite's three-second stall. */
    @Override
    protected Map<String, Object> validConfig() {
        Map<String, Object> config = new HashMap<>(config());
        config.put("requestTimeout", "PT1S");
        return config;
    }

    /** The config the fixtures were recorded with (the suite adds the base URL and the CA). */
    static Map<String, Object> config() {
        return Map.of("apiKey", TestConfigs.KEY, "apiKeyId", TestConfigs.KEY_ID, "dataToSync", "assets",
                "batchSize", 2, "maxRequestsPerSecond", 10);
    }

    @Override
    protected void stubHealthySource(FixtureServer server) {
        server.loadRecorded(FIXTURES + "healthy");
    }

    @Override
    protected void stubEmptySource(FixtureServer server) {
        server.loadRecorded(FIXTURES + "empty");
    }
}
