package org.connectorsdk.cortexxdr;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpTransport.Response;
import org.connectorsdk.api.ProbeResult;

/**
 * The five connection checks of a Cortex XDR instance, in the order the runtime runs them. Each
 * reports what it found as a {@link CheckResult}; the remediation of a failure uses the words of
 * the connector spec's troubleshooting table.
 */
final class CortexXdrChecks {
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    static final String XQL_RESULTS = "/public_api/v1/xql/get_query_results";
    private static final java.util.regex.Pattern LICENCE =
            java.util.regex.Pattern.compile("licen[cs]e|host insights|add-on|entitle");

    private CortexXdrChecks() {
    }

    static List<ConnectionCheck> all() {
        return List.of(
                new Check(CheckKind.NETWORK_REACHABILITY, CortexXdrChecks::network),
                new Check(CheckKind.TLS_HANDSHAKE, CortexXdrChecks::tls),
                new Check(CheckKind.AUTHENTICATION, CortexXdrChecks::authentication),
                new Check(CheckKind.AUTHORIZATION_SCOPE, CortexXdrChecks::authorization),
                new Check(CheckKind.DATA_FETCH, CortexXdrChecks::dataFetch));
    }

    /** The body of one check, given the client for the configured tenant. */
    @FunctionalInterface
    interface Body {
        CheckResult run(CheckKind kind, CortexXdrClient client);
    }

    /** A check: reads the config (configuration problems fail it), opens a client, runs its body. */
    record Check(CheckKind kind, Body body) implements ConnectionCheck {
        @Override
        public CheckResult run(ConnectorConfig config, ConnectorContext context) {
            try {
                CortexXdrClient client = CortexXdrClient.open(CortexXdrSettings.from(config), context);
                return body.run(kind, client);
            } catch (ConnectorException e) {
                return CheckResult.failed(kind, e);
            }
        }
    }

    static CheckResult network(CheckKind kind, CortexXdrClient client) {
        URI uri = client.settings().baseUri();
        String where = uri.getHost() + ":" + port(uri);
        ProbeResult probe = client.transport().probeTcp(uri, PROBE_TIMEOUT);
        return switch (probe.failure()) {
            case NONE -> CheckResult.passed(kind, said(probe, "Resolved " + uri.getHost() + " and connected to "
                    + where));
            case DNS -> CheckResult.failed(kind, said(probe, "The host name " + uri.getHost() + " does not resolve"),
                    Remediation.CONNECTION);
            case REFUSED -> CheckResult.failed(kind, said(probe, where + " refused the connection"),
                    Remediation.CONNECTION);
            case TIMEOUT -> CheckResult.failed(kind, said(probe, "No answer from " + where + " within "
                    + PROBE_TIMEOUT.toSeconds() + " s"), Remediation.CONNECTION);
            default -> CheckResult.failed(kind, said(probe, "Could not connect to " + where), Remediation.CONNECTION);
        };
    }

    static CheckResult tls(CheckKind kind, CortexXdrClient client) {
        URI uri = client.settings().baseUri();
        String host = uri.getHost();
        String where = host + ":" + port(uri);
        ProbeResult probe = client.transport().probeTls(uri, PROBE_TIMEOUT);
        return switch (probe.failure()) {
            case NONE -> CheckResult.passed(kind, said(probe, "Verified the TLS certificate and host name of "
                    + where));
            case UNTRUSTED_ISSUER -> CheckResult.failed(kind, said(probe, "The certificate of " + where
                    + " is not issued by a trusted certificate authority"),
                    "The certificate chain does not lead to a CA this host trusts. " + Remediation.TLS);
            case HOSTNAME_MISMATCH -> CheckResult.failed(kind, said(probe, "The certificate presented by " + where
                    + " does not name " + host),
                    "Use the tenant's API host name exactly as Cortex XDR shows it (https://api-<fqdn>), not an IP"
                            + " address or an alias. " + Remediation.TLS);
            case EXPIRED_CERTIFICATE -> CheckResult.failed(kind, said(probe, "The certificate of " + where
                    + " has expired or is not yet valid"),
                    "Check this host's clock; if it is right, the server's certificate must be renewed by its"
                            + " owner (your proxy's administrator, or Palo Alto Networks support). " + Remediation.TLS);
            case PROTOCOL -> CheckResult.failed(kind, said(probe, where + " did not complete a TLS handshake (no"
                    + " common protocol or cipher, or the port does not speak TLS)"),
                    "Check that the Base URL's port serves HTTPS (443) and that no proxy intercepts the connection."
                            + " " + Remediation.TLS);
            case DNS, REFUSED, TIMEOUT -> CheckResult.failed(kind, said(probe, "Could not reach " + where
                    + " for the TLS handshake"), Remediation.CONNECTION);
            default -> CheckResult.failed(kind, said(probe, "The TLS handshake with " + where + " failed"),
                    Remediation.TLS);
        };
    }

    static CheckResult authentication(CheckKind kind, CortexXdrClient client) {
        CortexXdrSettings s = client.settings();
        String who = "API key ID " + s.apiKeyId() + " (security level " + (s.advanced() ? "advanced" : "standard")
                + ")";
        Response response = client.sendRaw(CortexXdrClient.VALIDATE_KEY, "{}");
        if (response.status() == 404) {
            // Not every gateway offers the key check; a one-record read proves the key as well.
            response = client.send(CortexXdrClient.GET_ENDPOINT, onePage());
            if (response.status() == 403) {
                return CheckResult.passed(kind, "Cortex XDR accepted " + who
                        + " (its role may not read endpoints: see the authorization check)");
            }
        }
        if (response.isSuccess()) {
            return CheckResult.passed(kind, "Cortex XDR accepted " + who);
        }
        ConnectorException e = client.redact(XdrErrors.toException("the API key check", response));
        return switch (response.status()) {
            case 401 -> CheckResult.failed(kind, client.redact("Cortex XDR rejected " + who + ": "
                    + vendorText(response)), Remediation.AUTHENTICATION);
            case 402 -> CheckResult.failed(kind, ErrorKind.LICENSE, client.redact("Cortex XDR accepted no API use for " + who
                    + ": the tenant's licence lacks the public API (HTTP 402: " + vendorText(response) + ")"),
                    Remediation.license("the Cortex XDR public API"));
            default -> CheckResult.failed(kind, e);
        };
    }

    /** An API the authorization check probes with a one-record request. */
    private record Api(String name, String path) {
        @Override
        public String toString() {
            return name + " (" + path + ")";
        }
    }

    /**
     * One read the authorization check makes for a selected stream.
     *
     * @param stream     the stream that needs the API
     * @param api        the API
     * @param permission what the key's role must allow, in the words of Cortex XDR's role editor
     */
    private record Probe(String stream, Api api, String permission) {
    }

    /** What the probes found missing, with the kind of the worst (authorization over licence). */
    private static final class Missing {
        final List<String> problems = new ArrayList<>();
        final List<String> fixes = new ArrayList<>();
        ErrorKind kind = ErrorKind.LICENSE;

        void permission(String problem, String fix) {
            problems.add(problem);
            fixes.add(fix);
            if (kind != ErrorKind.AUTHORIZATION) {
                fixes.add("(A 403 can also mean the key's security level differs from the configured"
                        + " securityLevel.)");
            }
            kind = ErrorKind.AUTHORIZATION;
        }

        void licence(String problem, String fix) {
            problems.add(problem);
            fixes.add(fix);
        }
    }

    /**
     * Probes every API the selected streams read, one small read each: endpoints for assets,
     * incidents, alerts (the older {@code get_alerts_by_filter_data} where the tenant lacks
     * {@code get_alerts_multi_events}), and XQL for vulnerability findings and installed
     * software. Every missing permission or licence is named, with the stream that needs it;
     * any other failure ends the check at once.
     */
    static CheckResult authorization(CheckKind kind, CortexXdrClient client) {
        CortexXdrSettings settings = client.settings();
        List<Probe> probes = new ArrayList<>();
        probes.add(new Probe("assets", new Api("get_endpoint", CortexXdrClient.GET_ENDPOINT),
                "view endpoints (Endpoint Administration)"));
        if (settings.events().contains("incidents")) {
            probes.add(new Probe("incidents", new Api(IncidentPager.API, CortexXdrClient.GET_INCIDENTS),
                    "view incidents"));
        }
        if (settings.events().contains("alerts")) {
            probes.add(new Probe("alerts", new Api(AlertPager.API, CortexXdrClient.GET_ALERTS), "view alerts"));
        }
        String keyId = settings.apiKeyId();
        Missing missing = new Missing();
        List<String> reached = new ArrayList<>();
        for (Probe probe : probes) {
            Api api = probe.api();
            Response response = client.send(api.path(), onePage());
            if (response.status() == 404 && probe.stream().equals("alerts")) {
                api = new Api(LegacyAlerts.API, LegacyAlerts.PATH);
                response = client.send(api.path(), LegacyAlerts.request(0, 1, 0, 1, List.of()));
            }
            if (response.status() == 403) {
                missing.permission(probe.stream() + " needs " + api + ", which the role refuses (HTTP 403 "
                        + vendorText(response) + ")", "Give the key a role that may " + probe.permission()
                        + " (needed for " + probe.stream() + ").");
            } else if (response.status() == 402) {
                missing.licence(probe.stream() + " needs " + api + ", which the tenant's licence lacks (HTTP 402 "
                        + vendorText(response) + ")", Remediation.license(api.toString()));
            } else if (!response.isSuccess()) {
                return CheckResult.failed(kind, client.redact(XdrErrors.toException(api.name(), response)));
            } else {
                reached.add(api.name());
            }
        }
        String note = "";
        List<String> xqlStreams = new ArrayList<>();
        if (settings.syncsFindings()) {
            xqlStreams.add("vulnerability findings");
        }
        if (settings.syncsSoftware()) {
            xqlStreams.add("installed software");
        }
        if (!xqlStreams.isEmpty()) {
            int before = missing.problems.size();
            Optional<CheckResult> xql = xqlAccess(kind, client, String.join(" and ", xqlStreams), missing);
            if (xql.isPresent() && !xql.get().passed()) {
                return xql.get();
            }
            if (xql.isPresent()) {
                note = "; " + xql.get().message();
            } else if (missing.problems.size() == before) {
                reached.add("XQL");
            }
        }
        if (!missing.problems.isEmpty()) {
            return CheckResult.failed(kind, missing.kind, client.redact("API key ID " + keyId + " cannot read every"
                    + " selected stream: " + String.join("; ", missing.problems)), String.join(" ", missing.fixes)
                    + " Or leave those streams out of the instance's selection.");
        }
        return CheckResult.passed(kind, "API key ID " + keyId + " may use " + String.join(", ", reached) + note);
    }

    /**
     * Whether the key may run XQL, which {@code needs} (vulnerability findings, installed
     * software) read. It asks for the results of a query that does not exist, which spends no
     * query quota: an error about that query means the API is open to this key; 403 that the
     * role lacks it; 402, or a 500 naming the licence, that the tenant lacks the Host Insights
     * add-on (XQL needs Cortex XDR Pro). A missing permission or licence goes to
     * {@code missing}, except when only findings need XQL and {@code vulnerabilitiesUnavailable}
     * is {@code assets-only}: then the check passes and says the findings are left out.
     *
     * @return empty when XQL is open to the key or its lack is in {@code missing}; a failure for
     *         any other answer; or a passed result whose message says the findings are left out
     */
    private static Optional<CheckResult> xqlAccess(CheckKind kind, CortexXdrClient client, String needs,
            Missing missing) {
        Api api = new Api("XQL get_query_results", XQL_RESULTS);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("query_id", "connection-check-no-such-query");
        data.put("pending_flag", true);
        data.put("limit", 1);
        data.put("format", "json");
        Response response = client.send(api.path(), data);
        int status = response.status();
        String vendor = vendorText(response);
        if (status == 403) {
            missing.permission(needs + " need " + api + ", which the role refuses (HTTP 403 " + vendor + ")",
                    "Give the key a role that may run XQL queries (Query Center / XQL search; needed for " + needs
                            + ").");
            return Optional.empty();
        }
        boolean unlicensed = status == 402
                || status == 500 && LICENCE.matcher(vendor.toLowerCase(java.util.Locale.ROOT)).find();
        if (unlicensed) {
            CortexXdrSettings settings = client.settings();
            if (!settings.syncsSoftware() && !settings.failWithoutVulnerabilities()) {
                return Optional.of(CheckResult.passed(kind, "XQL is not licensed, so vulnerability findings are left"
                        + " out (vulnerabilitiesUnavailable is assets-only)"));
            }
            missing.licence(needs + " need XQL, which the tenant's licence lacks (HTTP " + status + ": " + vendor
                    + ")", "Add the Host Insights add-on (on Cortex XDR Pro) to the tenant's licence"
                    + (settings.syncsFindings() ? "; for findings, or set vulnerabilitiesUnavailable to assets-only"
                            + " to sync assets without them" : "") + ".");
            return Optional.empty();
        }
        // Any other answer (a 400, 404 or 500 about the unknown query) shows the API is open to the key;
        // only these say nothing about it.
        if (status == 401 || status == 429 || status >= 502) {
            return Optional.of(CheckResult.failed(kind, client.redact(XdrErrors.toException(api.name(), response))));
        }
        return Optional.empty();
    }

    static CheckResult dataFetch(CheckKind kind, CortexXdrClient client) {
        int batch = client.settings().batchSize();
        CortexXdrClient.EndpointPage page = client.getEndpoints(0, batch, EndpointPager.filters(client.settings()));
        return CheckResult.passed(kind, "Fetched " + page.endpoints().size() + " endpoint"
                + (page.endpoints().size() == 1 ? "" : "s") + " from get_endpoint"
                + (page.totalCount().isPresent() ? " (total_count " + page.totalCount().getAsLong() + ")" : ""));
    }

    private static Map<String, Object> onePage() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("search_from", 0);
        data.put("search_to", 1);
        return data;
    }

    /** The vendor's own words from an error reply, or what the body was. */
    private static String vendorText(Response response) {
        return XdrErrors.envelope(response.body()).map(XdrErrors.Envelope::text).filter(t -> !t.isBlank())
                .orElseGet(() -> XdrErrors.describeBody(response));
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : 443;
    }

    /**
     * The probe's own account when it gives one (the runtime already words each failure: address,
     * port, cause), else {@code fallback}.
     */
    private static String said(ProbeResult probe, String fallback) {
        String d = XdrErrors.sanitize(probe.detail(), 300);
        return d.isEmpty() ? fallback : d;
    }
}
