package org.connectorsdk.cli.examples;

import com.google.auto.service.AutoService;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.connectorsdk.api.Capability;
import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpStatusErrors;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.HttpTransport.Request;
import org.connectorsdk.api.JsonReply;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.Secret;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;
import org.connectorsdk.api.TransformMap;

/**
 * A connector for Acme EDR's REST API: an {@code X-Api-Key} header, {@code GET
 * /v2/whoami}, and {@code GET /v2/findings?updated_since=&cursor=&limit=} answering
 * {@code {"data": [...], "next_cursor": ...}} with no total count.
 */
// tag::readme[]
@AutoService(Connector.class)
public final class AcmeConnector implements Connector {
    static final StreamSpec FINDINGS = StreamSpec.incremental("findings", "Vulnerability findings", "id", "updated_at");
    static final HttpStatusErrors ERRORS = HttpStatusErrors.of("Acme EDR").remediation(ErrorKind.AUTHENTICATION,
            "Create an API key under Acme > Settings > API and set it as the instance's apiKey");

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor("acme-edr", "Acme", "Acme EDR", "Endpoint Security", "1.0.0",
                List.of("Vulnerability findings"), "REST API", "Unidirectional (Acme EDR to platform)",
                Set.of(Capability.FINDINGS, Capability.INCREMENTAL_SYNC));
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of(
                ConfigField.string("name").label("Name").required().maxLength(64).build(),
                ConfigField.url("baseUrl").label("Base URL").required().example("https://edr.acme.example").build(),
                ConfigField.secret("apiKey").label("API Key").required().build(),
                ConfigField.integer("pageSize").label("Page Size").defaultValue(100L).range(1, 500).build(),
                ConfigField.duration("requestTimeout").label("Request Timeout").defaultValue("PT30S").build());
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        return List.of(ConnectionCheck.of(CheckKind.AUTHENTICATION, "Acme EDR accepted the API key",
                (config, context) -> get(config, context, "/v2/whoami", query -> query)));
    }

    @Override
    public List<StreamSpec> streams() {
        return List.of(FINDINGS);
    }

    @Override
    public List<TransformMap> transformMaps() {
        return List.of(TransformMap.named("Acme Finding Transform Map").from("findings").to("finding")
                .required("id", "externalFindingId")
                .required("title", "name")
                .optional("cve", "findingType.vulnerability.cveId")
                .optional("severity", "severity", "severity")
                .optional("severity", "sourceSeverity")
                .optional("first_seen", "firstFoundOn", "isoDateTime")
                .build());
    }

    @Override
    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
        long pageSize = config.integer("pageSize");
        return request -> {
            JsonReply reply = get(config, context, "/v2/findings", query -> query.query("limit", pageSize)
                    .queryIfPresent("updated_since", request.mode() == SyncMode.INCREMENTAL ? request.window().map(TimeWindow::from) : Optional.empty())
                    .queryIfPresent("cursor", request.checkpoint().get("cursor")));
            List<Map<String, Object>> findings = reply.objects("data");
            return reply.text("next_cursor").map(next -> Page.next(findings, Checkpoint.of("cursor", next)))
                    .orElseGet(() -> Page.last(findings));
        };
    }

    private static JsonReply get(ConnectorConfig config, ConnectorContext context, String path,
            UnaryOperator<Request.Builder> query) {
        Secret key = config.secret("apiKey");
        HttpTransport http = context.http(HttpSettings.builder(config.string("baseUrl")).maxRetries(2)
                .requestTimeout(config.duration("requestTimeout").orElseThrow())
                .authenticator(() -> Map.of("X-Api-Key", key.reveal())).build());
        return http.getJson(query.apply(Request.get(URI.create(config.string("baseUrl") + path))).build(), ERRORS);
    }
}
// end::readme[]
