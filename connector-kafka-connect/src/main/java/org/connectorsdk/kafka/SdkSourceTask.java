package org.connectorsdk.kafka;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * The task of {@link SdkSourceConnector}. Not built yet: running an instance needs the delivery
 * contract (one commit for records and cursors, issue #14), so for now it refuses to start with
 * a message that says so, rather than run without exactly-once offsets.
 */
public final class SdkSourceTask extends SourceTask {
    @Override
    public String version() {
        return Versions.sdk();
    }

    @Override
    public void start(Map<String, String> props) {
        throw new ConnectException("INTERNAL: SdkSourceTask cannot run instances yet: it waits for the SDK's "
                + "delivery contract (issue #14). Remediation: use `connectors run` until this module's task ships");
    }

    @Override
    public List<SourceRecord> poll() {
        return List.of();
    }

    @Override
    public void stop() {
        // nothing started
    }
}
