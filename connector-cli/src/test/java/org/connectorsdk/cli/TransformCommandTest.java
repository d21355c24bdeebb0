package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.connectorsdk.cli.ConnectorsCliTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code transform} over synthetic Cortex XDR endpoint records in each input shape. */
class TransformCommandTest {
    private static final String VULNERABILITY = "Cortex XDR Vulnerability Transform Map";
    private static final String ASSET = "Cortex XDR Asset Transform Map";
    private static final ObjectMapper JSON = new ObjectMapper();

    // synthetic endpoints in the shape of a get_endpoint reply
    private static final String WEB = """
            {"endpoint_id": "aa01", "endpoint_name": "web-1", "endpoint_type": "AGENT_TYPE_SERVER",
             "first_seen": 1575795969644, "ip": ["10.0.0.5"], "allIPs": ["10.0.0.5", "fe80::1"],
             "mac_address": ["00:11:22:33:44:55"], "domain": "",
             "cves": [{"name": "CVE-2024-3094", "severity": "CRITICAL", "severity_score": 10.0,
                       "publication_date": 1711670400000}]}""";
    private static final String DB = """
            {"endpoint_id": "bb02", "endpoint_name": "db-1", "ip": ["10.0.0.6"]}""";
    private static final String NAMELESS = """
            {"endpoint_id": "cc03", "endpoint_name": ""}""";

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static Result transform(String map, Path input) {
        return ConnectorsCliTest.run("transform", "--connector", "cortex-xdr", "--map", map, "--input", input.toString());
    }

    private static List<JsonNode> lines(String out) {
        return out.lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }

    @Test
    void replyWithEndpointsPrintsOneAssetPerEndpoint() throws IOException {
        Path reply = file("reply.json", "{\"reply\": {\"total_count\": 2, \"result_count\": 2, \"endpoints\": [" + WEB
                + "," + DB + "]}}");

        Result result = transform(VULNERABILITY, reply);

        assertThat(result.code()).isZero();
        List<JsonNode> records = lines(result.out());
        assertThat(records).hasSize(2);
        assertThat(records.get(0).toString()).isEqualTo("{\"externalAssetId\":\"aa01\",\"hostName\":\"web-1\","
                + "\"type\":\"AGENT_TYPE_SERVER\",\"firstFoundDate\":\"2019-12-08T09:06:09.644Z\","
                + "\"networkInterfaces\":[{\"ipAddress\":\"10.0.0.5\",\"ipv4Address\":\"10.0.0.5\","
                + "\"macAddress\":\"00:11:22:33:44:55\"},{\"ipAddress\":\"fe80::1\"}],"
                + "\"finding\":[{\"externalFindingId\":\"CVE-2024-3094\",\"findingType\":{\"vulnerability\":"
                + "{\"cveId\":\"CVE-2024-3094\"}},\"name\":\"CVE-2024-3094\",\"severity\":5,\"sourceSeverity\":\"CRITICAL\","
                + "\"firstFoundOn\":\"2024-03-29T00:00:00.000Z\",\"sourceRiskScore\":10.0}],"
                + "\"_meta\":{\"map\":\"Cortex XDR Vulnerability Transform Map\",\"model\":\"asset\",\"modelVersion\":\"1.0.0\"}}");
        assertThat(records.get(1).path("externalAssetId").asText()).isEqualTo("bb02");
        assertThat(result.err()).isEqualTo("transform: 2 records read, 2 written, 0 rejected, 0 findings dropped"
                + " (Cortex XDR Vulnerability Transform Map, asset model 1.0.0)\n");
    }

    @Test
    void replyArrayBareArrayAndJsonLinesAllWork() throws IOException {
        for (Path input : List.of(file("reply-array.json", "{\"reply\": [" + WEB + "," + DB + "]}"),
                file("bare.json", "[" + WEB + "," + DB + "]"),
                file("records.jsonl", WEB.replace("\n", " ") + "\n" + DB + "\n"))) {
            Result result = transform(ASSET, input);
            assertThat(result.code()).as(input.toString()).isZero();
            assertThat(lines(result.out())).extracting(n -> n.path("hostName").asText()).containsExactly("web-1", "db-1");
        }
    }

    @Test
    void anIncidentsReplyCarryingRestrictedIncidentIdsIsReadFromItsIncidents() throws IOException {
        Path reply = file("incidents.json", """
                {"reply": {"total_count": 3, "result_count": 1, "restricted_incident_ids": ["7", "9"],
                 "incidents": [{"incident_id": "8", "severity": "high", "status": "new",
                                "modification_time": 1700000000000}]}}""");

        Result result = transform("Cortex XDR Incident Transform Map", reply);

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(lines(result.out())).singleElement().satisfies(n -> {
            assertThat(n.path("externalIncidentId").asText()).isEqualTo("8");
            assertThat(n.path("severity").asInt()).isEqualTo(4);
        });
        assertThat(result.err()).startsWith("transform: 1 records read, 1 written, 0 rejected");
    }

    @Test
    void theMapActiveByDefaultIsUsedWithoutMap() throws IOException {
        Result result = ConnectorsCliTest.run("transform", "--connector", "cortex-xdr", "--input",
                file("one.json", DB).toString());

        assertThat(result.code()).isZero();
        assertThat(lines(result.out())).singleElement().satisfies(n ->
                assertThat(n.path("_meta").path("map").asText()).isEqualTo(VULNERABILITY));
    }

    @Test
    void rejectionsGoToStderrAndExitCodeIs1() throws IOException {
        Path input = file("mixed.jsonl", DB + "\n" + NAMELESS + "\n{\"endpoint_name\": \"x\"}\n");

        Result result = transform(ASSET, input);

        assertThat(result.code()).isEqualTo(1);
        assertThat(lines(result.out())).hasSize(1);
        assertThat(result.err()).isEqualTo("""
                rejected: record cc03: required field 'endpoint_name' (-> hostName) is empty
                rejected: record #3 (no endpoint_id): required field 'endpoint_id' (-> externalAssetId) is missing
                transform: 3 records read, 1 written, 2 rejected, 0 findings dropped (Cortex XDR Asset Transform Map, asset model 1.0.0)
                """);
    }

    @Test
    void droppedFindingsAreWarnedAndCounted() throws IOException {
        Path input = file("nameless-cve.json", "[{\"endpoint_id\": \"aa01\", \"endpoint_name\": \"web-1\","
                + " \"cves\": [{\"severity\": \"HIGH\"}, {\"name\": \"CVE-2023-4863\", \"severity\": \"urgent\"}]}]");

        Result result = transform(VULNERABILITY, input);

        assertThat(result.code()).isZero();
        assertThat(lines(result.out()).get(0).path("finding").toString()).isEqualTo("[{\"externalFindingId\":"
                + "\"CVE-2023-4863\",\"findingType\":{\"vulnerability\":{\"cveId\":\"CVE-2023-4863\"}},"
                + "\"name\":\"CVE-2023-4863\",\"sourceSeverity\":\"urgent\"}]");
        assertThat(result.err()).isEqualTo("""
                warning: record aa01: finding[0] dropped: required field 'cves[].name' (-> finding[].externalFindingId) is missing
                warning: record aa01: 'cves[].severity' (-> finding[].severity) [1]: unknown severity 'urgent' (known: info, low, medium, high, critical), left out
                transform: 1 records read, 1 written, 0 rejected, 1 findings dropped (Cortex XDR Vulnerability Transform Map, asset model 1.0.0)
                """);
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws IOException {
        Result missing = transform(ASSET, dir.resolve("nope.json"));
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("connectors: Input file " + dir.resolve("nope.json")
                + " does not exist or is not a file (Give a readable file to --input)\n");

        Result invalid = transform(ASSET, file("broken.json", "{\"reply\": [\n{\"endpoint_id\": }"));
        assertThat(invalid.code()).isEqualTo(2);
        assertThat(invalid.err()).startsWith("connectors: Input file " + dir.resolve("broken.json")
                + " is not JSON or JSON Lines (line 2, column ");

        Result error = transform(ASSET, file("error.json",
                "{\"reply\": {\"err_code\": 401, \"err_msg\": \"Public API request unauthorized\", \"err_extra\": null}}"));
        assertThat(error.code()).isEqualTo(2);
        assertThat(error.err()).contains("is an error reply: 401 Public API request unauthorized");

        Result notObject = transform(ASSET, file("numbers.json", "[1, 2]"));
        assertThat(notObject.code()).isEqualTo(2);
        assertThat(notObject.err()).contains(": record #1 is not a JSON object");
    }

    @Test
    void unknownMapNamesTheMaps() throws IOException {
        Result result = transform("Nope", file("one.json", DB));

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("connectors: Connector 'cortex-xdr' has no transform map 'Nope' (maps: "
                + "'Cortex XDR Asset Transform Map', 'Cortex XDR Vulnerability Transform Map',"
                + " 'Cortex XDR Incident Transform Map', 'Cortex XDR Alert Transform Map',"
                + " 'Cortex XDR Software Transform Map') (Use a map name as"
                + " 'connectors describe cortex-xdr' shows it)\n");
    }
}
