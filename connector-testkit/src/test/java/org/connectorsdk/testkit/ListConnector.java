package org.connectorsdk.testkit;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;

import com.google.auto.service.AutoService;

/** A connector serving {@code count} fixed records one per page; {@code failAt} makes that page fail. */
@AutoService(Connector.class)
public final class ListConnector implements Connector {
    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor("testkit-list", "Test", "List", "Testing", "1.0.0", List.of(), "memory",
                "in", Set.of());
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of(ConfigField.string("name").required().build(),
                ConfigField.secret("token").required().build(),
                ConfigField.integer("count").required().build(),
                ConfigField.integer("failAt").defaultValue(0).build());
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        return List.of(check(CheckKind.NETWORK_REACHABILITY), check(CheckKind.DATA_FETCH));
    }

    private static ConnectionCheck check(CheckKind kind) {
        return new ConnectionCheck() {
            @Override
            public CheckKind kind() {
                return kind;
            }

            @Override
            public CheckResult run(ConnectorConfig config, ConnectorContext context) {
                return CheckResult.passed(kind, "ok");
            }
        };
    }

    @Override
    public List<StreamSpec> streams() {
        return List.of(StreamSpec.full("items", "Items", "id"));
    }

    @Override
    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
        long count = config.integer("count");
        long failAt = config.integer("failAt");
        return request -> read(request, count, failAt);
    }

    private static Page read(PageRequest request, long count, long failAt) {
        long i = request.checkpoint().getLong("i", 0);
        if (i + 1 == failAt) {
            throw new ConnectorException(ErrorKind.TRANSIENT, "page " + failAt + " failed", null);
        }
        List<Map<String, Object>> records = i < count ? List.of(Map.of("id", i)) : List.of();
        return new Page(records, Checkpoint.of("i", i + 1), i + 1 >= count, java.util.OptionalLong.empty());
    }
}
