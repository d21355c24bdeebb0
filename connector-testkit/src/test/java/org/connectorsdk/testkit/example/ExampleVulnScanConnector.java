package org.connectorsdk.testkit.example;

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
 * A connector for "Example VulnScan", a fictional vulnerability scanner with a cursor-paged JSON
 * REST API: {@code GET /api/v1/me} answers who the token belongs to; {@code GET
 * /api/v1/findings?limit=&cursor=&updated_since=} answers {@code {"data": [...], "next_cursor":
 * ...}} with no total; every request carries {@code Authorization: Bearer <token>}. Written
 * against connector-api alone, to show a plugin and to prove the testkit vendor-neutral.
 */
@AutoService(Connector.class)
public final class ExampleVulnScanConnector implements Connector {
    static final String ID = "example-vulnscan";
    private static final StreamSpec FINDINGS = StreamSpec.incremental("findings", "Vulnerability findings", "id",
            "updated_at");
    private static final HttpStatusErrors ERRORS = HttpStatusErrors.of("Example VulnScan")
            .remediation(ErrorKind.AUTHENTICATION, "Create a new API token under Settings > API Tokens and update the"
                    + " instance's apiToken")
            .remediation(ErrorKind.AUTHORIZATION, "Give the token's user the 'findings:read' scope");

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(ID, "Example Corp", "Example VulnScan", "Vulnerability Management", "1.0.0",
                List.of("Vulnerability findings"), "REST API", "Unidirectional (VulnScan to platform)",
                Set.of(Capability.FINDINGS, Capability.INCREMENTAL_SYNC));
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of(
                ConfigField.string("name").label("Name").required().maxLength(100).build(),
                ConfigField.string("description").label("Description").maxLength(180).build(),
                ConfigField.url("baseUrl").label("Base URL").required().example("https://scanner.example.com").build(),
                ConfigField.secret("apiToken").label("API Token").required().build(),
                ConfigField.integer("pageSize").label("Page Size").defaultValue(100L).range(1, 500).build(),
                ConfigField.duration("requestTimeout").label("Request Timeout").defaultValue("PT30S").build());
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        return List.of(
                ConnectionCheck.of(CheckKind.AUTHENTICATION, "The scanner accepted the API token",
                        (config, context) -> new Api(config, context).get("/api/v1/me")),
                ConnectionCheck.of(CheckKind.DATA_FETCH, "Read one page of findings",
                        (config, context) -> new Api(config, context)
                                .get("/api/v1/findings", query -> query.query("limit", 1))));
    }

    @Override
    public List<StreamSpec> streams() {
        return List.of(FINDINGS);
    }

    @Override
    public List<TransformMap> transformMaps() {
        return List.of(TransformMap.named("Example VulnScan Finding Transform Map").from("findings").to("finding")
                .required("id", "externalFindingId")
                .required("title", "name")
                .optional("cve", "findingType.vulnerability.cveId")
                .optional("severity", "severity", "severity")
                .optional("severity", "sourceSeverity")
                .optional("description", "description")
                .optional("first_seen", "firstFoundOn", "epochMillisToIso")
                .optional("score", "sourceRiskScore")
                .build());
    }

    @Override
    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
        Api api = new Api(config, context);
        long pageSize = config.integer("pageSize");
        return request -> {
            JsonReply reply = api.get("/api/v1/findings", query -> query.query("limit", pageSize)
                    .queryIfPresent("updated_since", request.mode() == SyncMode.INCREMENTAL ? request.window().map(TimeWindow::from) : Optional.empty())
                    .queryIfPresent("cursor", request.checkpoint().get("cursor")));
            List<Map<String, Object>> findings = reply.objects("data");
            return reply.text("next_cursor").map(next -> Page.next(findings, Checkpoint.of("cursor", next)))
                    .orElseGet(() -> Page.last(findings));
        };
    }

    /** The scanner's HTTP API. */
    private static final class Api {
        private final String baseUrl;
        private final HttpTransport http;

        Api(ConnectorConfig config, ConnectorContext context) {
            this.baseUrl = config.string("baseUrl");
            Secret token = config.secret("apiToken");
            // the scanner's API is small and fast: two retries are plenty, and keep tests quick
            this.http = context.http(HttpSettings.builder(baseUrl).maxRequestsPerSecond(10).maxRetries(2)
                    .requestTimeout(config.duration("requestTimeout").orElseThrow())
                    .authenticator(() -> Map.of("Authorization", "Bearer " + token.reveal())).build());
        }

        JsonReply get(String path) {
            return get(path, query -> query);
        }

        JsonReply get(String path, UnaryOperator<Request.Builder> query) {
            return http.getJson(query.apply(Request.get(URI.create(baseUrl + path))).build(), ERRORS);
        }
    }
}
