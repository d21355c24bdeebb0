package org.connectorsdk.testkit.example;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
import java.io.IOException;
import java.net.URI;
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
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.Secret;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TransformMap;

/**
 * A connector for "Example VulnScan", a fictional vulnerability scanner with a paged JSON REST
 * API: {@code GET /api/v1/me} answers who the token belongs to; {@code GET
 * /api/v1/findings?page=N&per_page=M} answers {@code {"total": T, "findings": [...]}}; every
 * request carries {@code Authorization: Bearer <token>}. Written against connector-api alone,
 * to show a plugin and to prove the testkit vendor-neutral.
 */
@AutoService(Connector.class)
public final class ExampleVulnScanConnector implements Connector {
    static final String ID = "example-vulnscan";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StreamSpec FINDINGS = StreamSpec.full("findings", "Open vulnerability findings", "id");

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(ID, "Example Corp", "Example VulnScan", "Vulnerability Management", "1.0.0",
                List.of("Vulnerability findings"), "REST API", "Unidirectional (VulnScan to platform)",
                Set.of());
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of(
                ConfigField.string("name").label("Name").required().maxLength(100).build(),
                ConfigField.string("description").label("Description").maxLength(180).build(),
                ConfigField.url("baseUrl").label("Base URL").required().example("https://scanner.example.com").build(),
                ConfigField.secret("apiToken").label("API Token").required().build(),
                ConfigField.integer("pageSize").label("Page Size").defaultValue(100L).range(1, 500).build(),
                ConfigField.duration("requestTimeout").label("Request Timeout").defaultValue("PT30S").build(),
                ConfigField.pem("caCertificate").label("CA Certificate").description("Extra trusted CA (PEM)").build());
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        return List.of(
                check(CheckKind.AUTHENTICATION, "/api/v1/me", "user", "The scanner accepted the API token"),
                check(CheckKind.DATA_FETCH, "/api/v1/findings?page=1&per_page=1", "findings", "Read one page of findings"));
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
            if (request.mode() != SyncMode.FULL) {
                throw new ConnectorException(ErrorKind.UNSUPPORTED, "Connector '" + ID + "' does not support "
                        + request.mode() + " sync of stream '" + request.stream().name() + "'",
                        "Run a full sync; Example VulnScan has no change feed");
            }
            long page = request.checkpoint().getLong("page", 1);
            Map<String, Object> body = api.get("/api/v1/findings?page=" + page + "&per_page=" + pageSize, "findings");
            List<Map<String, Object>> findings = JSON.convertValue(body.get("findings"), new TypeReference<>() { });
            long total = body.get("total") instanceof Number n ? n.longValue() : 0;
            boolean done = findings.isEmpty() || page * pageSize >= total;
            return new Page(findings, Checkpoint.of("page", page + 1), done, OptionalLong.of(total));
        };
    }

    private static ConnectionCheck check(CheckKind kind, String path, String expectedField, String passed) {
        return new ConnectionCheck() {
            @Override
            public CheckKind kind() {
                return kind;
            }

            @Override
            public CheckResult run(ConnectorConfig config, ConnectorContext context) {
                try {
                    new Api(config, context).get(path, expectedField);
                    return CheckResult.passed(kind, passed);
                } catch (ConnectorException e) {
                    return CheckResult.failed(kind, e);
                }
            }
        };
    }

    /** The scanner's HTTP API: one GET, answers mapped to error kinds a user can act on. */
    private static final class Api {
        private final String baseUrl;
        private final HttpTransport http;

        Api(ConnectorConfig config, ConnectorContext context) {
            this.baseUrl = config.string("baseUrl");
            Secret token = config.secret("apiToken");
            // the scanner's API is small and fast: two retries are plenty, and keep tests quick
            HttpSettings.Builder settings = HttpSettings.builder(baseUrl).maxRequestsPerSecond(10).maxRetries(2)
                    .requestTimeout(config.duration("requestTimeout").orElseThrow())
                    .authenticator(() -> Map.of("Authorization", "Bearer " + token.reveal()));
            config.optionalString("caCertificate")
                    .ifPresent(pem -> settings.caCertificatePem(Secret.resolveReference("caCertificate", pem)));
            this.http = context.http(settings.build());
        }

        Map<String, Object> get(String path, String expectedField) {
            HttpTransport.Response response = http.send(new HttpTransport.Request("GET", URI.create(baseUrl + path),
                    Map.of("Accept", "application/json"), new byte[0]));
            String where = "Example VulnScan at " + baseUrl + " (GET " + path + ")";
            switch (response.status()) {
                case 200 -> { }
                case 401 -> throw new ConnectorException(ErrorKind.AUTHENTICATION, where + " rejected the API token (HTTP 401)",
                        "Create a new API token under Settings > API Tokens and update the instance's apiToken");
                case 403 -> throw new ConnectorException(ErrorKind.AUTHORIZATION, where + " refused access (HTTP 403)",
                        "Give the token's user the 'findings:read' scope");
                case 429 -> throw new ConnectorException(ErrorKind.RATE_LIMITED, where + " kept rate limiting (HTTP 429)",
                        "Lower the request rate or retry later");
                default -> throw new ConnectorException(response.status() >= 500 ? ErrorKind.TRANSIENT : ErrorKind.BAD_RESPONSE,
                        where + " answered HTTP " + response.status(), "Check the scanner's status page and retry later");
            }
            try {
                Map<String, Object> body = JSON.readValue(response.body(), new TypeReference<>() { });
                if (body == null || !body.containsKey(expectedField)) {
                    throw new IOException("no '" + expectedField + "' field");
                }
                return body;
            } catch (IOException e) {
                throw new ConnectorException(ErrorKind.BAD_RESPONSE, where + " did not answer with the expected JSON ("
                        + response.contentType() + ", " + response.body().length + " bytes)",
                        "Check that the base URL points at the VulnScan API, not a web page or proxy", e);
            }
        }
    }
}
