package org.connectorsdk.testkit;

import static org.assertj.core.api.Assertions.catchThrowable;
import static org.connectorsdk.testkit.ConnectorAssertions.assertThat;
import static org.connectorsdk.testkit.ConnectorAssertions.assertThatRecords;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.connectorsdk.api.Capability;
import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.FieldMapping;
import org.connectorsdk.api.FieldType;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.Partition;
import org.connectorsdk.api.Secret;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;
import org.connectorsdk.api.TransformMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The behaviour every connector owes its users, as a JUnit 5 suite a plugin's test extends. It
 * drives the connector through the real runtime against a {@link FixtureServer}:
 *
 * <pre>{@code
 * class AcmeContractTest extends ConnectorContractTest {
 *     static final FixtureServer SERVER = FixtureServer.start();
 *
 *     protected String connectorId() { return "acme"; }
 *     protected FixtureServer server() { return SERVER; }
 *     protected Map<String, Object> validConfig() { return Map.of("apiToken", "test-token", "requestTimeout", "PT1S"); }
 *     protected void stubHealthySource(FixtureServer server) { server.loadRecorded("fixtures/acme"); }
 *     protected void stubEmptySource(FixtureServer server) { server.loadRecorded("fixtures/acme-empty"); }
 * }
 * }</pre>
 *
 * <p>What the suite needs from the plugin's test:
 * <ul>
 *   <li>{@link #validConfig()}: a config that passes validation once the suite has pointed its
 *       URL field at the server (the runtime the suite builds trusts the server's CA, see
 *       {@link ConnectorTestKit#against}); it should set the connector's request timeout (if
 *       it has one) below {@link #timeoutFaultDelay()}, so the timeout test stays fast, and
 *       needs few retries (backoff runs on fake time, but every retry is a real request);</li>
 *   <li>{@link #stubHealthySource}: stubs with which every check passes and a sync reads at
 *       least one record of every selected stream, one stream spanning two pages or more (the
 *       cancellation test cancels after the first page);</li>
 *   <li>{@link #stubEmptySource}: stubs with which every check passes and every stream is empty;</li>
 *   <li>{@link #stubIncrementalSource}, for a connector that declares
 *       {@link Capability#INCREMENTAL_SYNC}: the records changed in a given window.</li>
 * </ul>
 * Before each test the server is reset and the healthy source stubbed; after each, a request
 * that no stub matched fails the test. The server is closed after the class.
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // reports read like the contract, top to bottom
public abstract class ConnectorContractTest {
    /** The overlap of the suite's incremental read. */
    protected static final Duration INCREMENTAL_OVERLAP = Duration.ofMinutes(5);
    /** The settle time of the suite's incremental read. */
    protected static final Duration INCREMENTAL_SETTLE = Duration.ofMinutes(1);
    private static final Pattern CREDENTIAL_NAME = Pattern.compile("(?i).*(password|passphrase|secret|token|apikey|api_key|privatekey)");

    /** The id the connector registers under. */
    protected abstract String connectorId();

    /** The fixture server playing the vendor; started by the plugin's test, closed by the suite. */
    protected abstract FixtureServer server();

    /** A valid raw config (no name needed); the suite sets the base URL and trust itself. */
    protected abstract Map<String, Object> validConfig();

    /** Stubs a healthy source on {@code server} (checks pass; a sync reads records, two pages or more). */
    protected abstract void stubHealthySource(FixtureServer server);

    /** Stubs a healthy but empty source on {@code server} (checks pass; every stream is empty). */
    protected abstract void stubEmptySource(FixtureServer server);

    /**
     * Stubs, on top of the healthy source, what changed after the first sync: answers to the
     * connector's incremental requests for {@code window} (the window the runtime gives the second
     * run) with only the changed records. The suite runs the runtime on a {@link MutableClock}
     * with a {@link #INCREMENTAL_OVERLAP} overlap and a {@link #INCREMENTAL_SETTLE} settle, starts
     * the first run at {@code 2026-01-01T01:00:00Z} and the second an hour later, so
     * {@code window} is always {@code [2026-01-01T00:54:00Z, 2026-01-01T01:59:00Z)} and recorded
     * fixtures can match on it. By default the incremental test is skipped, naming this method.
     */
    protected void stubIncrementalSource(FixtureServer server, TimeWindow window) {
        Assumptions.abort(getClass().getSimpleName() + " declares INCREMENTAL_SYNC but does not override"
                + " stubIncrementalSource(server, window), so no incremental read was tested");
    }

    /**
     * How long a "timeout" answer stalls: it must exceed the request timeout {@link #validConfig()}
     * sets. Three seconds by default. Empty skips the timeout test, for a connector whose request
     * timeout cannot be set short (the skip names this method, so the gap stays visible).
     */
    protected Optional<Duration> timeoutFaultDelay() {
        return Optional.of(Duration.ofSeconds(3));
    }

    /**
     * The harness chain for the connector, configured and pointed at the server, on a
     * {@link MutableClock} that starts now: the runtime's backoff and rate-limit waits advance it
     * instead of taking wall time.
     */
    protected ConnectorTestKit kit() {
        return ConnectorTestKit.connector(connectorId()).config(validConfig()).against(server())
                .clock(MutableClock.at(Instant.now()));
    }

    @BeforeEach
    void stubTheHealthySource() {
        server().reset();
        stubHealthySource(server());
    }

    @AfterEach
    void failOnUnmatchedRequests() {
        server().verifyNoUnmatchedRequests();
    }

    @AfterAll
    void closeTheServer() {
        server().close();
    }

    @Test
    @Order(1)
    @DisplayName("declares a complete descriptor with a valid id, config fields, checks and streams")
    void declaresACompleteDescriptor() {
        Connector connector = kit().plugin();
        assertThat(connector.descriptor()).hasId(connectorId()).hasValidId().isComplete();
        assertThat(connector).isComplete();
    }

    @Test
    @Order(2)
    @DisplayName("declares its credentials as secrets and never shows their values")
    void declaresAndMasksSecrets() {
        ConnectorTestKit kit = kit();
        List<String> undeclared = kit.plugin().configSpec().fields().stream()
                .filter(f -> CREDENTIAL_NAME.matcher(f.name()).matches() && !f.secret()).map(ConfigField::name).toList();
        Assertions.assertThat(undeclared)
                .as("config fields that look like credentials but are not of type SECRET (they would be shown and stored)")
                .isEmpty();
        ConnectorConfig config = kit.boundConfig();
        List<String> secrets = secretValues(kit);
        Assertions.assertThat(secrets).as("the valid config's secret values (a connector with credentials declares"
                + " them as SECRET fields)").isNotEmpty();
        for (String name : config.spec().secretFieldNames()) {
            if (config.has(name)) {
                Assertions.assertThat(config.secret(name)).hasToString(Secret.MASK);
            }
        }
        assertNoSecretIn("the bound config's toString()", config.toString(), secrets);
        assertNoSecretIn("the bound config's storable values", String.valueOf(config.storableValues()), secrets);
    }

    @Test
    @Order(3)
    @DisplayName("names the field of every validation problem")
    void validationNamesFields() {
        ConnectorTestKit kit = kit();
        var spec = kit.plugin().configSpec();
        Assertions.assertThat(kit.validate()).as("problems with the valid config").isEmpty();
        String[] required = spec.fields().stream().filter(f -> f.required() && f.defaultValue().isEmpty())
                .map(ConfigField::name).toArray(String[]::new);
        assertThat(spec).validating(Map.of()).hasProblemsForExactly(required);
        Map<String, Object> unknown = new LinkedHashMap<>(kit.rawConfig());
        unknown.put("noSuchField", "x");
        assertThat(spec).validating(unknown).hasProblemsForExactly("noSuchField");
        for (ConfigField field : spec.fields()) {
            badValue(field).ifPresent(bad -> {
                Map<String, Object> raw = new LinkedHashMap<>(kit.rawConfig());
                raw.put(field.name(), bad);
                assertThat(spec).validating(raw).hasProblemFor(field.name());
            });
        }
    }

    @Test
    @Order(4)
    @DisplayName("runs its connection checks in the order of the five check kinds, and all pass on a healthy source")
    void checksRunInOrderAndPass() {
        ConnectorTestKit kit = kit();
        assertThat(kit.plugin()).hasChecksInOrder();
        CheckReport report = kit.check();
        assertThat(report).hasKinds(kit.plugin().connectionChecks().stream().map(ConnectionCheck::kind)
                .toArray(CheckKind[]::new)).passedAll();
    }

    @Test
    @Order(5)
    @DisplayName("fails its checks cleanly, with a message and a remediation, when the source answers 401")
    void checksFailCleanlyOnUnauthorized() {
        checksFailCleanlyOn(Fault.unauthorized());
    }

    @Test
    @Order(6)
    @DisplayName("fails its checks cleanly, with a message and a remediation, when the source answers 403")
    void checksFailCleanlyOnForbidden() {
        checksFailCleanlyOn(Fault.forbidden());
    }

    @Test
    @Order(7)
    @DisplayName("fails its checks cleanly, with a message and a remediation, when the source does not answer in time")
    void checksFailCleanlyOnTimeout() {
        Optional<Duration> delay = timeoutFaultDelay();
        Assumptions.assumeTrue(delay.isPresent(), () -> getClass().getSimpleName() + ".timeoutFaultDelay() is empty:"
                + " the connector's request timeout cannot be set short enough to test");
        checksFailCleanlyOn(Fault.slow(delay.orElseThrow()));
    }

    @Test
    @Order(8)
    @DisplayName("fails its checks cleanly, with a message and a remediation, when the source answers with an HTML page")
    void checksFailCleanlyOnHtml() {
        checksFailCleanlyOn(Fault.htmlPage());
    }

    private void checksFailCleanlyOn(Fault fault) {
        server().failAlwaysAny(fault);
        ConnectorTestKit kit = kit();
        CheckReport report = kit.check();
        assertThat(report).as("checks against a source answering with %s", fault).failed().failedCleanly()
                .skippedTheRest().ranInOrder();
        CheckResult failure = report.firstFailure().orElseThrow();
        Assertions.assertThat(failure.message())
                .as("the %s failure's message (an exception escaped the check instead of becoming a failed result)",
                        failure.kind())
                .doesNotContain("failed unexpectedly");
    }

    @Test
    @Order(9)
    @DisplayName("syncs an empty source to zero records and ends PROCESSED")
    void syncsAnEmptySource() {
        server().reset();
        stubEmptySource(server());
        SyncResult result = kit().sync();
        assertThat(result).isProcessed().hasNoRecords();
    }

    @Test
    @Order(10)
    @DisplayName("ends ERRORED and publishes nothing when the source answers 500 past the retry budget")
    void serverErrorsPastTheRetryBudgetEndErrored() {
        try (InstanceUnderTest instance = kit().register()) {
            server().failAlwaysAny(Fault.serverError());
            SyncResult result = instance.sync();
            assertThat(result).isErrored().publishedNothing();
            Assertions.assertThat(result.summary().error()).as("the errored run's error").hasValueSatisfying(e -> {
                Assertions.assertThat(e.message()).as("the error's message").isNotBlank();
                Assertions.assertThat(e.remediation()).as("the error's remediation").isPresent();
            });
            Assertions.assertThat(instance.sink().committedRuns()).as("runs the sink published").isEmpty();
        }
    }

    @Test
    @Order(11)
    @DisplayName("retries a 429 that carries Retry-After, and the sync then succeeds")
    void rateLimitIsRetried() {
        try (InstanceUnderTest instance = kit().register()) {
            server().failNextAny(1, Fault.tooManyRequests(Duration.ofSeconds(1)));
            SyncResult result = instance.sync();
            assertThat(result).isProcessed().summary().hasRetriesAtLeast(1);
            Assertions.assertThat(result.allRecords()).as("records of the retried sync").isNotEmpty();
        }
    }

    @Test
    @Order(12)
    @DisplayName("stops a run cancelled mid-run: it ends ERRORED as cancelled and publishes nothing")
    void cancelMidRunStopsIt() {
        try (InstanceUnderTest instance = kit().register()) {
            SyncResult result = instance.syncCancellingAfterPages(1);
            Assertions.assertThat(result.summary().state())
                    .as("the state of a run cancelled after its first page (if PROCESSED, the healthy source"
                            + " must span two pages or more so the cancel lands mid-run)")
                    .isEqualTo(org.connectorsdk.api.host.ConnectorState.ERRORED);
            assertThat(result).erroredWith(ErrorKind.CANCELLED).publishedNothing();
        }
    }

    @Test
    @Order(13)
    @DisplayName("keeps every secret out of its logs, check messages and run summaries")
    void keepsSecretsOutOfLogs() {
        ConnectorTestKit kit = kit();
        List<String> secrets = secretValues(kit);
        List<String> texts = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.start()) {
            texts.add(CheckReportAssert.render(kit.check()));
            server().failAlwaysAny(Fault.unauthorized());
            texts.add(CheckReportAssert.render(kit.check()));
            server().clearFaults();
            try (InstanceUnderTest instance = kit.register()) {
                texts.add(instance.sync().summary().toString());
                server().failAlwaysAny(Fault.unauthorized());
                texts.add(instance.sync().summary().toString());
                texts.add(instance.history().toString());
            }
            assertThat(logs).doNotContain(secrets.toArray(String[]::new));
        }
        for (String text : texts) {
            assertNoSecretIn("a check report, run summary or history", text, secrets);
        }
    }

    @Test
    @Order(14)
    @DisplayName("produces every required target of each active transform map, conforming to the target model")
    void transformMapsProduceRequiredTargets() {
        ConnectorTestKit kit = kit();
        List<TransformMap> maps = kit.plugin().activeMaps(kit.boundConfig());
        SyncResult result = kit.sync();
        assertThat(result).isProcessed();
        for (TransformMap map : maps) {
            List<Map<String, Object>> records = result.records(map.sourceStream());
            Assertions.assertThat(records).as("records of stream '%s' that map \"%s\" produced (the healthy source"
                    + " must yield some)", map.sourceStream(), map.name()).isNotEmpty();
            for (FieldMapping row : map.mappings()) {
                if (row.required()) {
                    assertThatRecords(records).as("map \"%s\"", map.name()).allFill(row.targetPath());
                }
            }
            if (TargetModel.exists(map.targetKind())) {
                assertThatRecords(records).allConformTo(map.targetKind());
            }
        }
    }

    @Test
    @Order(15)
    @DisplayName("refuses incremental sync with a clear message unless it declares INCREMENTAL_SYNC")
    void refusesUndeclaredIncrementalSync() {
        ConnectorTestKit kit = kit();
        Connector connector = kit.plugin();
        List<String> incremental = connector.streams().stream().filter(s -> s.supports(SyncMode.INCREMENTAL))
                .map(StreamSpec::name).toList();
        if (connector.descriptor().supports(Capability.INCREMENTAL_SYNC)) {
            Assertions.assertThat(incremental).as("streams offering INCREMENTAL reads of a connector that declares"
                    + " INCREMENTAL_SYNC").isNotEmpty();
            return;
        }
        Assertions.assertThat(incremental).as("streams offering INCREMENTAL reads although the connector does not"
                + " declare INCREMENTAL_SYNC").isEmpty();
        ConnectorConfig config = kit.boundConfig();
        StreamSpec stream = connector.selectedStreams(config).get(0);
        Instant now = Instant.now();
        PageRequest request = new PageRequest(stream, Partition.WHOLE, Checkpoint.START, SyncMode.INCREMENTAL,
                Optional.of(new TimeWindow(now.minus(Duration.ofDays(1)), now)));
        Throwable thrown = catchThrowable(() -> {
            try (StreamReader reader = connector.open(config, new ProbeContext(Clock.systemUTC()))) {
                reader.read(request);
            }
        });
        Assertions.assertThat(thrown).as("what reading stream '%s' incrementally threw", stream.name())
                .isInstanceOf(ConnectorException.class);
        ConnectorException refusal = (ConnectorException) thrown;
        Assertions.assertThat(refusal.kind()).as("the refusal's kind (message: %s)", refusal.getMessage())
                .isEqualTo(ErrorKind.UNSUPPORTED);
        Assertions.assertThat(refusal.getMessage().toLowerCase(Locale.ROOT)).as("the refusal's message")
                .contains("incremental");
        Assertions.assertThat(refusal.remediation()).as("the refusal's remediation").isPresent();
    }

    @Test
    @Order(16)
    @DisplayName("reads incrementally on its second run: the runtime's window reaches the source, only changed records come back")
    void readsIncrementallyOnTheSecondRun() {
        ConnectorTestKit kit = kit();
        Assumptions.assumeTrue(kit.plugin().descriptor().supports(Capability.INCREMENTAL_SYNC),
                () -> connectorId() + " does not declare INCREMENTAL_SYNC");
        List<String> incremental = kit.plugin().selectedStreams(kit.boundConfig()).stream()
                .filter(s -> s.supports(SyncMode.INCREMENTAL)).map(StreamSpec::name).toList();
        MutableClock clock = MutableClock.start();
        try (InstanceUnderTest instance = kit.clock(clock)
                .runtimeOptions(b -> b.deltaWindow(INCREMENTAL_OVERLAP, INCREMENTAL_SETTLE)).register()) {
            // the kit's runtime sleeps on this clock (backoff, rate limit), so each run's start is set
            Instant start = MutableClock.DEFAULT_START.plus(Duration.ofHours(1));
            clock.set(start);
            SyncResult first = instance.sync();
            assertThat(first).isProcessed();
            Instant watermark = start.minus(INCREMENTAL_SETTLE);
            clock.set(start.plus(Duration.ofHours(1)));
            stubIncrementalSource(server(), new TimeWindow(watermark.minus(INCREMENTAL_OVERLAP),
                    clock.instant().minus(INCREMENTAL_SETTLE)));
            SyncResult second = instance.sync();
            assertThat(second).isProcessed();
            long readFirst = read(first, incremental);
            long readSecond = read(second, incremental);
            Assertions.assertThat(readSecond).as("records of the incremental streams %s read by the second run"
                    + " (stubIncrementalSource must answer the window with some changed records)", incremental)
                    .isPositive();
            Assertions.assertThat(readSecond).as("records of the incremental streams %s read by the second run,"
                    + " against %s by the first (a second run that reads everything again ignores its window)",
                    incremental, readFirst).isLessThan(readFirst);
        }
    }

    @Test
    @Order(17)
    @DisplayName("pages every stream to its end, asking for each page once, with or without a total count")
    void pagesToTheEndAskingForEachPageOnce() {
        try (InstanceUnderTest instance = kit().register()) {
            server().wireMock().resetRequests();
            SyncResult result = instance.sync();
            assertThat(result).isProcessed();
            Assertions.assertThat(result.summary().streams().values()).as("pages per stream (the healthy source"
                    + " must span two pages or more in one stream)").anyMatch(stats -> stats.pages() >= 2);
            Map<String, Integer> sent = new LinkedHashMap<>();
            server().requests().forEach(r -> sent.merge(r.getMethod() + " " + r.getUrl()
                    + (r.getBodyAsString().isEmpty() ? "" : " " + r.getBodyAsString()), 1, Integer::sum));
            sent.values().removeIf(n -> n == 1);
            Assertions.assertThat(sent).as("requests the sync sent more than once, with how often (a reader that"
                    + " asks for a page twice loops or re-reads)").isEmpty();
        }
    }

    private static long read(SyncResult result, List<String> streams) {
        return streams.stream().mapToLong(s -> {
            var stats = result.summary().streams().get(s);
            return stats == null ? 0 : stats.read();
        }).sum();
    }

    /** The valid config's secret values, resolved (env: and file: references read now). */
    private static List<String> secretValues(ConnectorTestKit kit) {
        ConnectorConfig config = kit.boundConfig();
        List<String> out = new ArrayList<>();
        for (String name : config.spec().secretFieldNames()) {
            if (config.has(name)) {
                out.add(config.secret(name).reveal());
            }
        }
        return out;
    }

    private static void assertNoSecretIn(String where, String text, List<String> secrets) {
        for (int i = 0; i < secrets.size(); i++) {
            if (text.contains(secrets.get(i))) {
                throw new AssertionError("Expected no secret in " + where + " but found secret #" + (i + 1) + ": "
                        + SecretText.masked(text, secrets));
            }
        }
    }

    private static Optional<Object> badValue(ConfigField field) {
        FieldType type = field.type();
        return switch (type) {
            case URL -> Optional.of("ftp://not-https.example.com");
            case INTEGER -> Optional.of("not-a-number");
            case BOOLEAN -> Optional.of("maybe");
            case DURATION -> Optional.of("soon");
            case ENUM -> Optional.of("not-one-of-them");
            case ENUM_LIST -> Optional.of(List.of("not-one-of-them"));
            case PEM -> Optional.of("not a certificate");
            case STRING -> field.maxLength().isPresent()
                    ? Optional.of("x".repeat(field.maxLength().getAsInt() + 1)) : Optional.empty();
            case SECRET -> Optional.of(42);
        };
    }
}
