package org.connectorsdk.cortexxdr;

import static org.connectorsdk.testkit.ConnectorAssertions.assertThat;

import java.nio.file.Path;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.testkit.ConnectorTestKit;
import org.connectorsdk.testkit.FixtureRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Re-records the contract suite's fixtures from the simulator through the testkit's record
 * mode. Off by default; run it when the connector's requests change:
 * {@code mvn -B -pl connector-cortex-xdr -am test -Dtest=CortexXdrFixtureRecording -Drecord.fixtures=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "record.fixtures", matches = "true")
class CortexXdrFixtureRecording {
    private static final Path OUT = Path.of("src/test/resources", CortexXdrContractTest.FIXTURES);

    @Test
    void recordAHealthyTenantOfThreeEndpoints() {
        record(3, OUT.resolve("healthy"));
    }

    @Test
    void recordAnEmptyTenant() {
        record(0, OUT.resolve("empty"));
    }

    private static void record(int endpoints, Path dir) {
        try (CortexXdrSimulator tenant = CortexXdrSimulator.builder().endpoints(endpoints).seed(7)
                .standardKey(TestConfigs.KEY_ID, TestConfigs.KEY).start();
             FixtureRecorder recorder = FixtureRecorder.recording(tenant.baseUrl()).into(dir)
                     .scrubbing(TestConfigs.KEY).start()) {
            ConnectorTestKit kit = ConnectorTestKit.connector(CortexXdrConnector.ID)
                    .config(CortexXdrContractTest.config())
                    .baseUrl(recorder.baseUrl()).trust(recorder.trustPem());
            assertThat(kit.check()).passedAll();
            assertThat(kit.sync()).isProcessed().hasRecords("assets", endpoints);
        }
    }
}
