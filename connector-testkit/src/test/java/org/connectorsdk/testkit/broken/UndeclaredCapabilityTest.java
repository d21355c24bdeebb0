package org.connectorsdk.testkit.broken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.testkit.ConnectorTestKit;
import org.junit.jupiter.api.Test;

/** The runtime keeps Capability's promise: no incremental read of a connector that did not declare it. */
class UndeclaredCapabilityTest {
    @Test
    void registeringAConnectorWithUndeclaredIncrementalStreamsIsRefused() {
        ConnectorTestKit kit = ConnectorTestKit.connector("undeclared-incremental")
                .config(Map.of("apiToken", "t-1", "baseUrl", "https://127.0.0.1:9"));

        assertThatThrownBy(kit::register).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
            assertThat(e.getMessage()).isEqualTo("Connector 'undeclared-incremental' offers incremental reads of"
                    + " [findings] but does not declare the INCREMENTAL_SYNC capability, so the runtime will not"
                    + " read them incrementally");
            assertThat(e.remediation()).hasValue("Add Capability.INCREMENTAL_SYNC to the connector's descriptor, or"
                    + " declare those streams with SyncMode.FULL only (StreamSpec.full)");
        });
    }
}
