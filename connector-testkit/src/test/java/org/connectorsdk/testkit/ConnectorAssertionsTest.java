package org.connectorsdk.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.connectorsdk.testkit.ConnectorAssertions.assertThat;
import static org.connectorsdk.testkit.ConnectorAssertions.assertThatDirectory;
import static org.connectorsdk.testkit.ConnectorAssertions.assertThatRecord;
import static org.connectorsdk.testkit.ConnectorAssertions.assertThatRecords;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.connectorsdk.api.Capability;
import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.CheckStatus;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.ErrorInfo;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StreamStats;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.testkit.example.ExampleVulnScanConnector;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The testkit's own assertions: they pass when they should, and fail saying what was found. */
class ConnectorAssertionsTest {
    private final Connector example = new ExampleVulnScanConnector();

    @Nested
    class Descriptors {
        private final ConnectorDescriptor descriptor = new ConnectorDescriptor("acme", "Acme", "Acme Scan",
                "Vulnerability Management", "1.2", List.of(), "REST API", "Unidirectional",
                Set.of(Capability.FINDINGS));

        @Test
        void passOnACompleteConnector() {
            assertThat(example).isComplete().hasChecksInOrder()
                    .hasChecks(CheckKind.AUTHENTICATION, CheckKind.DATA_FETCH).hasStreams("findings");
            assertThat(example.descriptor()).hasId("example-vulnscan").hasValidId().isComplete()
                    .doesNotDeclare(Capability.EVENTS).declaresExactly(Capability.FINDINGS, Capability.INCREMENTAL_SYNC);
        }

        @Test
        void incompleteDescriptorNamesWhatIsMissing() {
            assertThatThrownBy(() -> assertThat(descriptor).isComplete())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Expected connector 'acme' to have a complete descriptor, but these are"
                            + " missing or blank: assetTypes (found []), version as MAJOR.MINOR.PATCH (found \"1.2\")."
                            + " Found ConnectorDescriptor[id=acme");
        }

        @Test
        void capabilityFailuresShowWhatIsDeclared() {
            assertThatThrownBy(() -> assertThat(descriptor).declares(Capability.INCREMENTAL_SYNC, Capability.FINDINGS))
                    .hasMessage("Expected connector 'acme' to declare [INCREMENTAL_SYNC] but it declares only [FINDINGS]");
            assertThatThrownBy(() -> assertThat(descriptor).doesNotDeclare(Capability.FINDINGS))
                    .hasMessage("Expected connector 'acme' not to declare [FINDINGS] but it declares [FINDINGS]");
            assertThatThrownBy(() -> assertThat(descriptor).hasId("other"))
                    .hasMessage("Expected connector id <other> but found <acme>");
        }

        @Test
        void checkOrderAndStreamFailuresShowTheDeclaredOnes() {
            assertThatThrownBy(() -> assertThat(example).hasChecks(CheckKind.DATA_FETCH))
                    .hasMessage("Expected connector 'example-vulnscan' to declare the checks [DATA_FETCH] but found"
                            + " [AUTHENTICATION, DATA_FETCH]");
            assertThatThrownBy(() -> assertThat(example).hasStreams("assets"))
                    .hasMessage("Expected connector 'example-vulnscan' to declare the streams [assets] but found [findings]");
            assertThatThrownBy(() -> assertThat(example).transformMap("Nope"))
                    .hasMessage("Expected connector 'example-vulnscan' to ship a transform map named \"Nope\" but found"
                            + " [\"Example VulnScan Finding Transform Map\"]");
        }
    }

    @Nested
    class ConfigSpecs {
        @Test
        void requiredAndSecretFieldsAreComparedAsSets() {
            assertThat(example.configSpec()).hasRequiredFields("name", "baseUrl", "apiToken")
                    .hasSecretFields("apiToken").hasField("pageSize");
            assertThatThrownBy(() -> assertThat(example.configSpec()).hasRequiredFields("name", "apiToken"))
                    .hasMessage("Expected the required config fields [apiToken, name] but found [apiToken, baseUrl, name]");
            assertThatThrownBy(() -> assertThat(example.configSpec()).hasSecretFields())
                    .hasMessage("Expected the secret config fields [] but found [apiToken]");
        }

        @Test
        void validationProblemsAreCheckedByField() {
            Map<String, Object> raw = Map.of("name", "x", "baseUrl", "http://scanner.example.com", "pageSize", 0);
            assertThat(example.configSpec()).validating(raw)
                    .hasProblemFor("baseUrl", "must start with https://")
                    .hasProblemFor("apiToken")
                    .hasProblemsForExactly("apiToken", "baseUrl", "pageSize");
            assertThatThrownBy(() -> assertThat(example.configSpec()).validating(raw).hasProblemFor("name"))
                    .hasMessageStartingWith("Expected a config problem for field 'name' but found [baseUrl: must start"
                            + " with https://");
            assertThatThrownBy(() -> assertThat(example.configSpec()).validating(raw).hasProblemFor("pageSize", "positive"))
                    .hasMessage("Expected the problem for field 'pageSize' to contain \"positive\" but found"
                            + " [pageSize: must be between 1 and 500, got 0]");
            assertThatThrownBy(() -> assertThat(example.configSpec()).accepts(raw))
                    .hasMessageStartingWith("Expected the config to be valid but found 3 problem(s): [");
        }
    }

    @Nested
    class CheckReports {
        private final CheckReport failedAuth = new CheckReport(List.of(
                CheckResult.passed(CheckKind.NETWORK_REACHABILITY, "Connected to 127.0.0.1:443"),
                CheckResult.passed(CheckKind.TLS_HANDSHAKE, "Verified"),
                CheckResult.failed(CheckKind.AUTHENTICATION, "The key was rejected (HTTP 401)", "Create a new API key"),
                CheckResult.skipped(CheckKind.AUTHORIZATION_SCOPE, "Skipped after a failure"),
                CheckResult.skipped(CheckKind.DATA_FETCH, "Skipped after a failure")));

        @Test
        void failureAtAKindWithRemediationPasses() {
            assertThat(failedAuth).failedAt(CheckKind.AUTHENTICATION).withMessageContaining("HTTP 401")
                    .withRemediationContaining("API key").failedCleanly().skippedTheRest().ranInOrder()
                    .hasStatus(CheckKind.TLS_HANDSHAKE, CheckStatus.PASSED);
        }

        @Test
        void passedAllShowsTheFailureFound() {
            assertThatThrownBy(() -> assertThat(failedAuth).passedAll())
                    .hasMessageStartingWith("Expected every check to pass, but AUTHENTICATION failed: The key was"
                            + " rejected (HTTP 401) (remediation: Create a new API key). Found [NETWORK_REACHABILITY"
                            + " PASSED \"Connected to 127.0.0.1:443\"; TLS_HANDSHAKE PASSED");
            assertThatThrownBy(() -> assertThat(new CheckReport(List.of())).passedAll())
                    .hasMessage("Expected every check to pass, but the report is empty. Found no results");
        }

        @Test
        void failedAtAnotherKindShowsTheActualFirstFailure() {
            assertThatThrownBy(() -> assertThat(failedAuth).failedAt(CheckKind.DATA_FETCH))
                    .hasMessageStartingWith("Expected the checks to fail at DATA_FETCH but the first failure was"
                            + " AUTHENTICATION (The key was rejected (HTTP 401)). Found [");
            assertThatThrownBy(() -> assertThat(failedAuth).withRemediationContaining("certificate"))
                    .hasMessage("Expected the AUTHENTICATION failure's remediation to contain \"certificate\" but it was"
                            + " \"Create a new API key\"");
        }

        @Test
        void laterKindsThatRanAreNamed() {
            CheckReport ranOn = new CheckReport(List.of(
                    CheckResult.failed(CheckKind.AUTHENTICATION, "rejected", null),
                    CheckResult.passed(CheckKind.DATA_FETCH, "read a page")));
            assertThatThrownBy(() -> assertThat(ranOn).skippedTheRest())
                    .hasMessageStartingWith("Expected every check after AUTHENTICATION to be skipped but DATA_FETCH PASSED.");
            assertThatThrownBy(() -> assertThat(ranOn).failedCleanly())
                    .hasMessage("Expected the AUTHENTICATION failure to carry a message and a remediation but found"
                            + " message \"rejected\" and remediation absent");
            CheckReport outOfOrder = new CheckReport(List.of(CheckResult.passed(CheckKind.DATA_FETCH, "ok"),
                    CheckResult.passed(CheckKind.AUTHENTICATION, "ok")));
            assertThatThrownBy(() -> assertThat(outOfOrder).ranInOrder())
                    .hasMessage("Expected the checks in the order of CheckKind, each once, but found"
                            + " [DATA_FETCH, AUTHENTICATION]");
        }
    }

    @Nested
    class RunSummaries {
        private final RunSummary errored = new RunSummary("run-1", "tenant-eu", "acme", ConnectorState.ERRORED,
                Instant.EPOCH, Instant.EPOCH.plusSeconds(3),
                Map.of("findings", new StreamStats(10, 8, 2, 3, List.of("VS-9: name is required"))),
                Map.of("http.retries", 4L),
                Optional.of(new ErrorInfo(ErrorKind.TRANSIENT, "HTTP 500 past the retry budget", Optional.of("Retry later"))));

        @Test
        void passesOnWhatHappened() {
            assertThat(errored).isErrored().erroredWith(ErrorKind.TRANSIENT).hasErrorMessageContaining("retry budget")
                    .hasRead("findings", 10).hasWritten("findings", 8).hasRejected("findings", 2).hasPages("findings", 3)
                    .hasRejectionContaining("findings", "name is required").hasRetries(4).hasRetriesAtLeast(1);
        }

        @Test
        void stateFailureShowsTheErrorAndFigures() {
            assertThatThrownBy(() -> assertThat(errored).isProcessed())
                    .hasMessage("Expected the run to end PROCESSED but it ended ERRORED with TRANSIENT: HTTP 500 past the"
                            + " retry budget (remediation: Retry later). Streams: {findings: read 10, written 8,"
                            + " rejected 2, pages 3}");
        }

        @Test
        void figureFailuresShowTheFiguresFound() {
            assertThatThrownBy(() -> assertThat(errored).hasWritten("findings", 10))
                    .hasMessage("Expected 10 records written for stream 'findings' but found 8 (findings: read 10,"
                            + " written 8, rejected 2, pages 3)");
            assertThatThrownBy(() -> assertThat(errored).hasRejected("findings", 0))
                    .hasMessage("Expected 0 rejected records for stream 'findings' but found 2 with reasons"
                            + " [VS-9: name is required]");
            assertThatThrownBy(() -> assertThat(errored).hasPages("assets", 1))
                    .hasMessage("Expected figures for stream 'assets' but the run has only [findings]");
            assertThatThrownBy(() -> assertThat(errored).hasRetries(0))
                    .hasMessage("Expected counter 'http.retries' to be 0 but found 4. Counters: {http.retries=4}");
            assertThatThrownBy(() -> assertThat(errored).erroredWith(ErrorKind.AUTHENTICATION))
                    .hasMessage("Expected the run to fail with AUTHENTICATION but found TRANSIENT: HTTP 500 past the"
                            + " retry budget");
        }

        @Test
        void syncResultsTellPublishedFromNot() {
            SyncResult result = new SyncResult(errored, false, Map.of(), CapturedLogs.of(List.of()));
            assertThat(result).isErrored().publishedNothing().hasNoRecords().hasRecords("findings", 0);
            SyncResult leaked = new SyncResult(errored, false, Map.of("findings", List.of(Map.of("id", "1"))),
                    CapturedLogs.of(List.of()));
            assertThatThrownBy(() -> assertThat(leaked).publishedNothing())
                    .hasMessage("Expected nothing published but the sink holds records with 1 record(s):"
                            + " SyncResult[ERRORED, published=false, records=[findings=1]]");
            assertThatThrownBy(() -> assertThat(leaked).isProcessed())
                    .hasMessageStartingWith("Expected the run to end PROCESSED but it ended ERRORED");
        }
    }

    @Nested
    class Records {
        private final Map<String, Object> widget = record(
                "widgetId", "w-1", "name", "Gear", "size", 3L, "seenAt", "2026-01-01T00:00:00Z",
                "parts", List.of(Map.of("partId", "p-1", "weight", 1.5), Map.of("partId", "p-2")));

        @Test
        void pathsReachNestedFieldsAndArrayElements() {
            assertThatRecord(widget).hasFieldEqualTo("name", "Gear").hasFieldEqualTo("size", 3)
                    .hasFieldEqualTo("parts[1].partId", "p-2").hasFieldEqualTo("parts[].partId", "p-1")
                    .hasField("parts[0].weight").doesNotHaveField("parts[1].weight").doesNotHaveField("colour")
                    .conformsTo("testkit-widget");
        }

        @Test
        void fieldFailuresShowTheValueFound() {
            assertThatThrownBy(() -> assertThatRecord(widget).hasFieldEqualTo("parts[0].partId", "p-9"))
                    .hasMessage("Expected the record to have parts[0].partId = \"p-9\" but found \"p-1\"");
            assertThatThrownBy(() -> assertThatRecord(widget).hasFieldEqualTo("owner.name", "x"))
                    .hasMessageStartingWith("Expected the record to have owner.name = \"x\" but owner.name is absent."
                            + " Record: {");
            assertThatThrownBy(() -> assertThatRecord(widget).doesNotHaveField("parts[].partId"))
                    .hasMessage("Expected the record to have no field at parts[].partId but found [p-1, p-2]");
        }

        @Test
        void modelViolationsNameThePathAndTheValue() {
            Map<String, Object> bad = record("name", 7, "size", 11, "seenAt", "yesterday", "colour", "green",
                    "parts", List.of(Map.of("weight", "heavy")), "extra", true);
            assertThatThrownBy(() -> assertThatRecord(bad).conformsTo("testkit-widget"))
                    .hasMessageStartingWith("Expected the record to conform to the 'testkit-widget' model but ["
                            + "$.widgetId is required but absent (fields found: [name, size, seenAt, colour, parts, extra]),"
                            + " $.name must be string, found a number 7,"
                            + " $.size must be at most 10, found 11,"
                            + " $.seenAt must be an ISO-8601 date-time, found \"yesterday\","
                            + " $.colour must be one of [\"red\",\"blue\"], found \"green\","
                            + " $.parts[0].partId is required but absent (fields found: [weight]),"
                            + " $.parts[0].weight must be [number,null], found a string \"heavy\","
                            + " $.extra is not in the model (known fields: [widgetId, name, size, seenAt, colour, parts])]");
        }

        @Test
        void listFailuresCountAndShowTheOffenders() {
            List<Map<String, Object>> records = List.of(widget, record("widgetId", "w-2"), record("widgetId", "w-3"));
            assertThatRecords(records).hasCount(3).allHaveField("widgetId").noneHaveField("colour")
                    .recordWith("widgetId", "w-1").hasFieldEqualTo("name", "Gear");
            assertThatThrownBy(() -> assertThatRecords(records).allHaveField("name"))
                    .hasMessage("Expected every record of the records to have name but 2 of 3 lack it, e.g."
                            + " #1 {widgetId=w-2}; #2 {widgetId=w-3}");
            assertThatThrownBy(() -> assertThatRecords(records).allConformTo("testkit-widget"))
                    .hasMessage("Expected every record of the records to conform to the 'testkit-widget' model but 2 of 3"
                            + " do not: #1 [$.name is required but absent (fields found: [widgetId])];"
                            + " #2 [$.name is required but absent (fields found: [widgetId])]");
            assertThatThrownBy(() -> assertThatRecords(records).recordWith("widgetId", "w-9"))
                    .hasMessage("Expected exactly one record of the records with widgetId = \"w-9\" but found 0;"
                            + " values of widgetId seen: [w-1, w-2, w-3]");
            assertThatThrownBy(() -> assertThatRecords(records).hasCount(2))
                    .hasMessage("Expected 2 records of the records but found 3");
        }

        @Test
        void requiredTargetsBehindAnArrayAreCheckedPerElement() {
            List<Map<String, Object>> assets = List.of(
                    record("id", "a-1", "finding", List.of(Map.of("externalFindingId", "CVE-1"))),
                    record("id", "a-2", "finding", List.of()),
                    record("id", "a-3"));
            assertThatRecords(assets).allFill("id").allFill("finding[].externalFindingId");
            List<Map<String, Object>> broken = List.of(record("id", "a-4",
                    "finding", List.of(Map.of("externalFindingId", "CVE-2"), Map.of("name", "no id"))));
            assertThatThrownBy(() -> assertThatRecords(broken).allFill("finding[].externalFindingId"))
                    .hasMessage("Expected every record of the records to fill finding[].externalFindingId but 1 of 1"
                            + " do not, e.g. #0 {id=a-4, finding=[{externalFindingId=CVE-2}, {name=no id}]}");
        }

        @Test
        void anUnknownModelIsNamed() {
            assertThatThrownBy(() -> assertThatRecord(widget).conformsTo("gadget"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("No target model schema org/connectorsdk/runtime/model/gadget.schema.json on the class"
                            + " path; the target kind must be one the runtime publishes");
        }
    }

    @Nested
    class TransformMaps {
        private final TransformMap map = example.transformMaps().get(0);

        @Test
        void rowsAreFoundBySourceAndTarget() {
            assertThat(map).readsStream("findings").producesKind("finding")
                    .mapsRequired("id", "externalFindingId").mapsOptional("cve", "findingType.vulnerability.cveId")
                    .maps("title", "name").hasRequiredTargets("externalFindingId", "name")
                    .converts("severity", "severity", "severity").mapsOptional("severity", "sourceSeverity");
            assertThat(example).transformMap("Example VulnScan Finding Transform Map").maps("score", "sourceRiskScore");
        }

        @Test
        void appliesTheMapThroughTheEngine() {
            Map<String, Object> source = record("id", "VS-1", "title", "Log4Shell", "severity", "Critical",
                    "first_seen", 1767323045000L, "score", 10.0);
            assertThat(map).appliedTo(source).hasFieldEqualTo("externalFindingId", "VS-1")
                    .hasFieldEqualTo("severity", 5).hasFieldEqualTo("sourceSeverity", "Critical")
                    .hasFieldEqualTo("firstFoundOn", "2026-01-02T03:04:05.000Z")
                    .doesNotHaveField("findingType").conformsTo("finding");
            assertThat(map).rejects(record("title", "no id"), "id");
            assertThatThrownBy(() -> assertThat(map).appliedTo(record("title", "no id")))
                    .hasMessageStartingWith("Expected map \"Example VulnScan Finding Transform Map\" to produce a record"
                            + " but it rejected it: [");
            assertThatThrownBy(() -> assertThat(map).rejects(source, "id"))
                    .hasMessageStartingWith("Expected map \"Example VulnScan Finding Transform Map\" to reject the record"
                            + " but it produced {");
        }

        @Test
        void rowFailuresShowTheNearestRows() {
            assertThatThrownBy(() -> assertThat(map).maps("id", "externalAssetId"))
                    .hasMessage("Expected map \"Example VulnScan Finding Transform Map\" to map id -> externalAssetId"
                            + " but found [id -> externalFindingId (required)]");
            assertThatThrownBy(() -> assertThat(map).mapsRequired("cve", "findingType.vulnerability.cveId"))
                    .hasMessage("Expected the row cve -> findingType.vulnerability.cveId of map \"Example VulnScan"
                            + " Finding Transform Map\" to be required but it is optional");
            assertThatThrownBy(() -> assertThat(map).hasRequiredTargets("externalFindingId"))
                    .hasMessage("Expected map \"Example VulnScan Finding Transform Map\" to require exactly"
                            + " [externalFindingId] but it requires [externalFindingId, name]");
            assertThatThrownBy(() -> assertThat(map).converts("first_seen", "firstFoundOn", "toNumber"))
                    .hasMessage("Expected the row first_seen -> firstFoundOn of map \"Example VulnScan Finding"
                            + " Transform Map\" to use converter 'toNumber' but it uses 'epochMillisToIso'");
            assertThatThrownBy(() -> assertThat(map).readsStream("assets"))
                    .hasMessage("Expected map \"Example VulnScan Finding Transform Map\" to read stream 'assets' but it"
                            + " reads 'findings'");
        }
    }

    @Nested
    class Secrets {
        private static final String KEY = "k3y-Abc123-very-secret";

        @Test
        void logsWithASecretFailWithoutPrintingIt() {
            CapturedLogs logs = CapturedLogs.of(List.of(
                    new LogEvent("INFO", "acme", "main", "fetched 3 findings", Optional.empty()),
                    new LogEvent("DEBUG", "acme.http", "main", "GET /me with Authorization: Bearer " + KEY,
                            Optional.empty())));
            assertThat(logs).doNotContain("other-secret").containsMessage("fetched 3").hasNoErrors();
            assertThatThrownBy(() -> assertThat(logs).doNotContain(KEY))
                    .hasMessage("Expected the logs to contain no secret, but 1 of 2 log events do. secret #1 in:"
                            + " DEBUG acme.http - GET /me with Authorization: Bearer <secret #1>")
                    .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain(KEY));
            assertThatThrownBy(() -> assertThat(logs).containsMessage("fetched 9"))
                    .hasMessageStartingWith("Expected a log event containing \"fetched 9\" but found 2 events: INFO acme");
            assertThatThrownBy(() -> assertThat(logs).doNotContain(" "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("A secret to look for must not be null or blank");
        }

        @Test
        void filesWithASecretAreNamedWithTheLine(@TempDir Path dir) throws Exception {
            Files.createDirectories(dir.resolve("run-1"));
            Files.writeString(dir.resolve("run-1/findings.jsonl"), "{\"id\":1}\n{\"token\":\"" + KEY + "\"}\n");
            Files.writeString(dir.resolve("summary.json"), "{\"state\":\"PROCESSED\"}");
            assertThatDirectory(dir).containsFile("run-1/findings.jsonl").containNoSecret("something-else");
            assertThatThrownBy(() -> assertThatDirectory(dir).containNoSecret("unrelated", KEY))
                    .hasMessage("Expected no secret in the 2 file(s) under " + dir + " but run-1" + java.io.File.separator
                            + "findings.jsonl line 2 holds secret #2: {\"token\":\"<secret #2>\"}");
            assertThatThrownBy(() -> assertThatDirectory(dir).hasNoFiles())
                    .hasMessageStartingWith("Expected no files under " + dir + " but found 2: ");
            assertThatDirectory(dir.resolve("absent")).hasNoFiles();
        }
    }

    @Test
    void mutableClockMovesOnlyWhenTold() {
        MutableClock clock = MutableClock.at("2026-05-13T11:07:00Z");
        org.assertj.core.api.Assertions.assertThat(clock.instant()).isEqualTo(Instant.parse("2026-05-13T11:07:00Z"));
        clock.advance(Duration.ofMinutes(5));
        org.assertj.core.api.Assertions.assertThat(clock.withZone(java.time.ZoneId.of("Asia/Kolkata")).instant())
                .isEqualTo(Instant.parse("2026-05-13T11:12:00Z"));
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .hasMessage("A MutableClock only moves forward; got PT-1S (use set(Instant) to go back on purpose)");
    }

    private static Map<String, Object> record(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}
