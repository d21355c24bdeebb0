package org.connectorsdk.kafka;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/** The test cluster: one small KRaft broker on loopback and two workers with exactly-once source support. */
final class ConnectClusters {
    private ConnectClusters() {
    }

    static EmbeddedConnectCluster start(String name, Path dir) {
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.path", System.getProperty("connect.plugin.path"));
        worker.put("plugin.discovery", "service_load");
        worker.put("exactly.once.source.support", "enabled");
        worker.put("offset.flush.interval.ms", "1000");
        // a stopped worker's connectors and tasks move at once, not after the default 5 minutes
        worker.put("scheduled.rebalance.max.delay.ms", "0");
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter.schemas.enable", "false");
        worker.put("config.providers", "file");
        worker.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        Properties broker = new Properties();
        broker.put("log.segment.bytes", String.valueOf(1 << 20));
        broker.put("num.partitions", "1");
        broker.put("transaction.state.log.num.partitions", "1");
        broker.put("offsets.topic.num.partitions", "1");
        broker.put("offsets.topic.replication.factor", "1");
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        EmbeddedConnectCluster cluster = new EmbeddedConnectCluster.Builder().name(name).numWorkers(2).numBrokers(1)
                .workerProps(worker).brokerProps(broker).build();
        cluster.start();
        return cluster;
    }
}
