package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;
import org.connectorsdk.api.Connector;
import org.connectorsdk.runtime.ConnectorRegistry;
import org.junit.jupiter.api.Test;

class ConnectorsCliTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ConnectorsCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void listPrintsOneLinePerConnector() {
        Result result = run("list");

        assertThat(result.code()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out().lines())
                .contains("acme-edr    1.0.0  Acme                Acme EDR", "cortex-xdr  1.0.0  Palo Alto Networks  Cortex XDR")
                .allSatisfy(line -> assertThat(line).matches("[a-z][a-z0-9-]* +\\S+ +.+"));
    }

    @Test
    void describeShowsEveryPartOfAConnector() {
        Result result = run("describe", "acme-edr");

        assertThat(result.err()).isEmpty();
        assertThat(result.code()).isZero();
        assertThat(result.out()).isEqualTo("""
                acme-edr 1.0.0 - Acme Acme EDR
                  Category:         Endpoint Security
                  Asset types:      Vulnerability findings
                  Integration type: REST API
                  Direction:        Unidirectional (Acme EDR to platform)
                  Capabilities:     FINDINGS, INCREMENTAL_SYNC

                Config fields:
                  name            string    required, max 64 chars  (Name)
                  baseUrl         url       required  (Base URL)
                  apiKey          secret    required, secret  (API Key)
                  pageSize        integer   optional, default 100, range 1..500  (Page Size)
                  requestTimeout  duration  optional, default PT30S  (Request Timeout)

                Checks (in order):
                  1. AUTHENTICATION  (Authentication Credential Check)

                Streams:
                  findings  key id  cursor updated_at  modes FULL, INCREMENTAL  (Vulnerability findings)

                Transform maps:
                  Acme Finding Transform Map: findings -> finding, active by default
                    id         -> externalFindingId                required
                    title      -> name                             required
                    cve        -> findingType.vulnerability.cveId  optional
                    severity   -> severity                         optional  converter severity
                    severity   -> sourceSeverity                   optional
                    first_seen -> firstFoundOn                     optional  converter isoDateTime
                """);
    }

    @Test
    void describeJsonHasTheSameContentAndMarksSecretsWithoutValues() throws Exception {
        Result result = run("describe", "acme-edr", "--json");

        assertThat(result.code()).isZero();
        assertThat(result.err()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("descriptor", "configFields", "checks", "streams", "transformMaps", "configSchema");
        assertThat(json.path("descriptor").path("id").asText()).isEqualTo("acme-edr");
        assertThat(json.path("descriptor").path("vendor").asText()).isEqualTo("Acme");
        assertThat(json.path("configFields").get(2).toString()).isEqualTo(
                "{\"name\":\"apiKey\",\"label\":\"API Key\",\"type\":\"secret\",\"required\":true,\"secret\":true}");
        assertThat(json.path("configFields").get(3).toString()).isEqualTo("{\"name\":\"pageSize\",\"label\":\"Page Size\","
                + "\"type\":\"integer\",\"required\":false,\"secret\":false,\"default\":100,\"min\":1,\"max\":500}");
        assertThat(json.path("checks").toString())
                .isEqualTo("[{\"kind\":\"AUTHENTICATION\",\"title\":\"Authentication Credential Check\"}]");
        assertThat(json.path("streams").get(0).path("name").asText()).isEqualTo("findings");
        assertThat(json.path("streams").get(0).path("cursorField").asText()).isEqualTo("updated_at");
        JsonNode map = json.path("transformMaps").get(0);
        assertThat(map.path("name").asText()).isEqualTo("Acme Finding Transform Map");
        assertThat(map.path("rows")).hasSize(6);
        assertThat(map.path("rows").get(5).toString()).isEqualTo("{\"source\":\"first_seen\","
                + "\"target\":\"firstFoundOn\",\"required\":false,\"converter\":\"isoDateTime\"}");
        assertThat(json.path("configSchema").path("properties").path("apiKey").path("writeOnly").asBoolean()).isTrue();
    }

    @Test
    void describeShowsTheCortexXdrChecksInOrderAndEveryMapRow() {
        Connector xdr = ConnectorRegistry.fromClassPath().get("cortex-xdr");

        Result result = run("describe", "cortex-xdr");

        assertThat(result.code()).isZero();
        String out = result.out();
        assertThat(out).startsWith("cortex-xdr " + xdr.descriptor().version() + " - Palo Alto Networks Cortex XDR\n")
                .contains("""

                        Checks (in order):
                          1. NETWORK_REACHABILITY  (Network Reachability)
                          2. TLS_HANDSHAKE  (TLS Handshake)
                          3. AUTHENTICATION  (Authentication Credential Check)
                          4. AUTHORIZATION_SCOPE  (Authorization Scope Check)
                          5. DATA_FETCH  (Data Fetch)
                        """);
        assertThat(out.lines().filter(l -> l.startsWith("  apiKey "))).singleElement().asString()
                .matches("  apiKey +secret +required, secret .*");
        for (var field : xdr.configSpec().fields()) {
            assertThat(out).contains("\n  " + field.name() + " ");
        }
        for (var map : xdr.transformMaps()) {
            assertThat(out).contains("\n  " + map.name() + ": " + map.sourceStream() + " -> " + map.targetKind());
            for (var row : map.mappings()) {
                assertThat(out).containsPattern("\n    " + Pattern.quote(row.sourcePath()) + " +-> "
                        + Pattern.quote(row.targetPath()) + " +" + (row.required() ? "required" : "optional"));
            }
        }
    }

    @Test
    void describeJsonOfCortexXdrListsEveryRowAndNoSecretValue() throws Exception {
        Connector xdr = ConnectorRegistry.fromClassPath().get("cortex-xdr");

        JsonNode json = new ObjectMapper().readTree(run("describe", "cortex-xdr", "--json").out());

        assertThat(json.path("checks")).extracting(c -> c.path("kind").asText()).containsExactly(
                "NETWORK_REACHABILITY", "TLS_HANDSHAKE", "AUTHENTICATION", "AUTHORIZATION_SCOPE", "DATA_FETCH");
        assertThat(json.path("transformMaps")).hasSize(xdr.transformMaps().size());
        for (int i = 0; i < xdr.transformMaps().size(); i++) {
            assertThat(json.path("transformMaps").get(i).path("rows"))
                    .hasSize(xdr.transformMaps().get(i).mappings().size());
        }
        JsonNode apiKey = json.path("configFields").get(xdr.configSpec().fields().indexOf(
                xdr.configSpec().field("apiKey").orElseThrow()));
        assertThat(apiKey.path("secret").asBoolean()).isTrue();
        assertThat(apiKey.has("default")).isFalse();
        assertThat(json.path("configSchema").path("properties").path("apiKey").path("format").asText())
                .isEqualTo("password");
    }

    @Test
    void unknownConnectorIsOneLineAndExitCode2() {
        Result result = run("describe", "nope");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("connectors: Unknown connector 'nope'; known: ")
                .contains("acme-edr")
                .endsWith(" (Use one of the known ids; 'connectors list' shows them)");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Result result = run("describe", "nope", "--verbose");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().lines().findFirst()).get().asString().startsWith("connectors: Unknown connector 'nope'");
        assertThat(result.err()).contains("at org.connectorsdk.runtime.ConnectorRegistry.get(");
    }

    @Test
    void badArgumentsAreOneLineAndExitCode2() {
        assertThat(run("describe")).isEqualTo(new Result(2, "",
                "connectors: Missing required parameter: 'ID' (see 'connectors describe --help')\n"));
        assertThat(run("list", "--bogus")).isEqualTo(new Result(2, "",
                "connectors: Unknown option: '--bogus' (see 'connectors list --help')\n"));
        assertThat(run("frobnicate")).isEqualTo(new Result(2, "",
                "connectors: Unmatched argument at index 0: 'frobnicate' (see 'connectors --help')\n"));
        assertThat(run()).isEqualTo(new Result(2, "",
                "connectors: Missing command; one of: list, describe, check, transform, sync, run, status, demo, serve, export (see 'connectors --help')\n"));
    }

    @Test
    void aMissingPluginDirectoryIsOneLineAndExitCode2() {
        Result result = run("--plugin-dir", "no/such/dir", "list");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("connectors: Plugin directory ")
                .contains("no/such/dir does not exist or is not a directory");
    }

    @Test
    void helpListsTheCommands() {
        Result result = run("--help");

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("Usage: connectors", "list", "describe", "--plugin-dir", "--verbose");
    }
}
