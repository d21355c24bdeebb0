package org.connectorsdk.cli;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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

/**
 * A connector over generated records, for the {@code sync} command's tests: {@code count}
 * records in pages of 10; page {@code failAt} fails; the token {@code bad} fails authentication.
 */
@AutoService(Connector.class)
public final class MemoryConnector implements Connector {
    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor("memory", "Test", "Memory", "Testing", "1.0.0", List.of("Hosts"),
                "In memory", "Unidirectional", Set.of());
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of(ConfigField.string("name").required().build(),
                ConfigField.string("description").maxLength(180).build(),
                ConfigField.secret("token").required().build(),
                ConfigField.integer("count").range(0, 1_000_000).defaultValue(25L).build(),
                ConfigField.integer("failAt").defaultValue(0L).build());
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        return List.of(new ConnectionCheck() {
            @Override
            public CheckKind kind() {
                return CheckKind.AUTHENTICATION;
            }

            @Override
            public CheckResult run(ConnectorConfig config, ConnectorContext context) {
                return config.secret("token").reveal().equals("bad")
                        ? CheckResult.failed(CheckKind.AUTHENTICATION, "The token was rejected (HTTP 401)",
                                "Use a valid token")
                        : CheckResult.passed(CheckKind.AUTHENTICATION, "Token accepted");
            }
        });
    }

    @Override
    public List<StreamSpec> streams() {
        return List.of(StreamSpec.full("hosts", "Hosts", "id"));
    }

    @Override
    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
        long count = config.integer("count");
        long failAt = config.integer("failAt");
        return request -> page(request, count, failAt);
    }

    private static Page page(PageRequest request, long count, long failAt) {
        long from = request.checkpoint().getLong("from", 0);
        long pageNo = from / 10 + 1;
        if (pageNo == failAt) {
            throw new ConnectorException(ErrorKind.TRANSIENT, "The source answered HTTP 503 on page " + pageNo,
                    "Try again later");
        }
        long to = Math.min(count, from + 10);
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        for (long i = from; i < to; i++) {
            records.add(Map.of("id", "h" + i));
        }
        return new Page(records, Checkpoint.of("from", to), to >= count, OptionalLong.of(count));
    }
}
