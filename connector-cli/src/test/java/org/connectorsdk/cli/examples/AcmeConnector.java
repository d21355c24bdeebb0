package org.connectorsdk.cli.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
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
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.ProbeResult;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.TransformMap;

/** The README's "write a plugin" example; the README shows the part between the tags. */
// tag::readme[]
@AutoService(Connector.class)
public final class AcmeConnector implements Connector {
    static final StreamSpec HOSTS = StreamSpec.full("hosts", "Hosts known to Acme EDR", "id");

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor("acme-edr", "Acme", "Acme EDR", "Endpoint Security", "1.0.0",
                List.of("Host assets"), "REST API", "Unidirectional (Acme EDR to platform)", Set.of());
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of(
                ConfigField.string("name").label("Name").required().maxLength(64).build(),
                ConfigField.url("baseUrl").label("Base URL").required().example("https://edr.acme.example").build(),
                ConfigField.secret("apiKey").label("API Key").required().build(),
                ConfigField.integer("pageSize").label("Page Size").defaultValue(100).range(1, 500).build());
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        return List.of(new Reachable());
    }

    @Override
    public List<StreamSpec> streams() {
        return List.of(HOSTS);
    }

    @Override
    public List<TransformMap> transformMaps() {
        return List.of(TransformMap.named("Acme Host Transform Map").from("hosts").to("asset")
                .required("id", "externalAssetId")
                .required("hostname", "hostName")
                .optional("ips[]", "networkInterfaces[].ipAddress")
                .optional("first_seen", "firstFoundDate", "epochMillisToIso")
                .build());
    }

    @Override
    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
        HttpTransport http = context.http(settings(config));
        URI hosts = URI.create(config.string("baseUrl") + "/api/v1/hosts");
        long pageSize = config.integer("pageSize");
        return request -> {
            long offset = request.checkpoint().getLong("offset", 0);
            HostsPage page = HostsPage.parse(http.send(HttpTransport.Request.postJson(hosts,
                    "{\"offset\":" + offset + ",\"limit\":" + pageSize + "}")));
            long next = offset + page.hosts().size();
            return new Page(page.hosts(), Checkpoint.of("offset", next),
                    page.hosts().isEmpty() || next >= page.total(), OptionalLong.of(page.total()));
        };
    }

    static HttpSettings settings(ConnectorConfig config) {
        return HttpSettings.builder(config.string("baseUrl"))
                .maxRequestsPerSecond(5)
                .authenticator(() -> Map.of("Authorization", "Bearer " + config.secret("apiKey").reveal()))
                .sensitiveHeaders(Set.of("Authorization"))
                .build();
    }

    /** The first connection check: can we open a TCP connection to the base URL? */
    record Reachable() implements ConnectionCheck {
        @Override
        public CheckKind kind() {
            return CheckKind.NETWORK_REACHABILITY;
        }

        @Override
        public CheckResult run(ConnectorConfig config, ConnectorContext context) {
            URI uri = URI.create(config.string("baseUrl"));
            ProbeResult probe = context.http(settings(config)).probeTcp(uri, Duration.ofSeconds(5));
            return probe.ok() ? CheckResult.passed(kind(), "Reached " + probe.detail())
                    : CheckResult.failed(kind(), "Cannot reach " + uri.getHost() + ": " + probe.detail(),
                            "Check the base URL and that a firewall lets this host reach it on port 443");
        }
    }

    /** One page of Acme's host list: {@code {"total": 2, "hosts": [{...}, {...}]}}. */
    record HostsPage(long total, List<Map<String, Object>> hosts) {
        private static final ObjectMapper JSON = new ObjectMapper();

        static HostsPage parse(HttpTransport.Response response) {
            try {
                if (response.isSuccess()) {
                    return JSON.readValue(response.body(), HostsPage.class);
                }
            } catch (IOException e) {
                // falls through to the error below
            }
            throw new ConnectorException(ErrorKind.BAD_RESPONSE, "Acme answered HTTP " + response.status()
                    + " without a host page", "Check that the base URL points at the Acme API");
        }
    }
}
// end::readme[]
