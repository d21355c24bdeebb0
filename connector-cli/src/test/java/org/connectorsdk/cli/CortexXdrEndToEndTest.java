package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.TenantFault;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The whole path of a sync, end to end: the Cortex XDR plugin found through ServiceLoader, the
 * runtime's real HTTPS transport, the transform engine, the JSON Lines sink and the file state
 * store, against the simulated tenant. It lives in the CLI module, which has the plugin on its
 * class path, and runs the transport on fake time: the runtime's sleeper is the test's
 * {@link MutableClock}, so backoff and rate limit waits advance it instead of sleeping.
 */
class CortexXdrEndToEndTest {
    private static final String KEY = "e2e-key-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final MutableClock time = MutableClock.at("2026-11-02T09:00:00Z");
    private CortexXdrSimulator tenant;
    private ConnectorRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (tenant != null) {
            tenant.close();
        }
    }

    private void start(int endpoints) throws IOException {
        tenant = CortexXdrSimulator.builder().endpoints(endpoints).seed(7).standardKey("1", KEY).start();
        runtime = ConnectorRuntime.builder().sink(new JsonLinesSink(dir.resolve("out")))
                .stateStore(FileStateStore.open(dir.resolve("state"))).clock(time)
                .sleeper(time).build();
        Files.writeString(dir.resolve("key"), KEY);
    }

    private InstanceDefinition instance(String dataToSync) {
        return new InstanceDefinition("cortex-xdr", "tenant-e2e", "simulated tenant", Map.of(
                "baseUrl", tenant.baseUrl(),
                "apiKey", "file:" + dir.resolve("key"),
                "apiKeyId", "1",
                "securityLevel", "standard",
                "dataToSync", dataToSync,
                "maxRequestsPerSecond", 10,
                "caCertificate", tenant.caCertificatePem()), Optional.empty());
    }

    private List<Map<String, Object>> records(RunSummary s, String stream) throws IOException {
        Path file = dir.resolve("out/tenant-e2e").resolve(s.runId()).resolve(stream + ".jsonl");
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(CortexXdrEndToEndTest::parse).toList();
        }
    }

    private static Map<String, Object> parse(String line) {
        try {
            return JSON.readValue(line, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    @Test
    void aTenantOf2500EndpointsGivesExactly2500AssetsMatchingTheSimulator() throws IOException {
        start(2500);
        runtime.register(instance("assets"));

        RunSummary s = runtime.runNow("tenant-e2e");

        assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(ConnectorState.PROCESSED);
        assertThat(s.streams().get("assets").written()).isEqualTo(2500);
        assertThat(s.streams().get("assets").rejected()).isZero();
        assertThat(s.counter("http.requests")).isGreaterThanOrEqualTo(25);
        List<Map<String, Object>> assets = records(s, "assets");
        assertThat(assets).hasSize(2500);
        assertThat(assets.stream().map(a -> a.get("externalAssetId")).distinct()).hasSize(2500);
        for (int i : new int[] {0, 1, 999, 1234, 2499}) {
            Map<String, Object> endpoint = tenant.endpoint(i);
            Map<String, Object> asset = assets.stream()
                    .filter(a -> a.get("externalAssetId").equals(tenant.endpointId(i))).findFirst().orElseThrow();
            assertThat(asset).containsEntry("hostName", endpoint.get("endpoint_name")).doesNotContainKey("finding");
            if (endpoint.get("operating_system") instanceof String os && !os.isBlank()) {
                assertThat(asset.get("operatingSystem")).isInstanceOfSatisfying(Map.class,
                        m -> assertThat(m.get("name")).isEqualTo(os.strip()));
            }
        }
    }

    @Test
    void registrationWithAWrongKeyIsRefusedNamingTheFailedCheck() throws IOException {
        start(10);
        Map<String, Object> config = new java.util.HashMap<>(instance("assets").config());
        config.put("apiKey", "not-the-key");

        assertThatThrownBy(() -> runtime.register(new InstanceDefinition("cortex-xdr", "tenant-e2e", "", config,
                Optional.empty()))).isInstanceOfSatisfying(org.connectorsdk.api.ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
                    assertThat(e.getMessage()).startsWith("Instance 'tenant-e2e' was not registered: the AUTHENTICATION "
                            + "check (Authentication Credential Check) failed: ");
                    assertThat(e.remediation()).isPresent();
                });
        assertThat(runtime.status()).isEmpty();
        assertThat(tenant.requestCount(CortexXdrSimulator.GET_ENDPOINT)).isZero();
    }

    @Test
    void aTenantOf2500EndpointsGives2500RecordsWithTheirFindings() throws IOException {
        start(2500);
        runtime.register(instance("assets-and-findings"));

        RunSummary s = runtime.runNow("tenant-e2e");

        assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(ConnectorState.PROCESSED);
        List<Map<String, Object>> assets = records(s, "assets");
        assertThat(assets).hasSize(2500);
        for (int i : new int[] {0, 3, 500, 1777, 2499}) {
            List<Object> expected = tenant.cvesFor(i).stream().map(c -> c.get("name")).toList();
            Map<String, Object> asset = assets.stream()
                    .filter(a -> a.get("externalAssetId").equals(tenant.endpointId(i))).findFirst().orElseThrow();
            List<?> findings = (List<?>) asset.getOrDefault("finding", List.of());
            List<Object> ids = findings.stream().map(f -> (Object) ((Map<?, ?>) f).get("externalFindingId")).toList();
            assertThat(ids).as("findings of endpoint %d", i).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void serverErrorsFromPage7PastTheRetryBudgetPublishNothingAndKeepThePreviousRun() throws IOException {
        // the second run is a delta run from the first one's watermark: a first run long before
        // the tenant's last_seen values and a second one after them make its window span all pages
        time.set(CortexXdrSimulator.referenceTime().minus(Duration.ofDays(5 * 365)));
        start(1000);
        runtime.register(instance("assets"));
        RunSummary good = runtime.runNow("tenant-e2e");
        assertThat(good.state()).isEqualTo(ConnectorState.PROCESSED);
        Path goodRun = dir.resolve("out/tenant-e2e").resolve(good.runId());
        byte[] before = Files.readAllBytes(goodRun.resolve("assets.jsonl"));
        long done = tenant.requestCount(CortexXdrSimulator.GET_ENDPOINT);
        tenant.faults().onPath(CortexXdrSimulator.GET_ENDPOINT).fromRequest(done + 7).respond(TenantFault.status(500));
        time.set(CortexXdrSimulator.referenceTime().plus(Duration.ofDays(1)));

        PrintStream original = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        RunSummary failed;
        try {
            failed = runtime.runNow("tenant-e2e");
        } finally {
            System.setErr(original);
        }

        assertThat(failed.state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
        assertThat(failed.streams().get("assets").pages()).isEqualTo(6);
        assertThat(failed.counter("http.retries")).isPositive();
        try (Stream<Path> runs = Files.list(dir.resolve("out/tenant-e2e"))) {
            assertThat(runs).containsExactly(goodRun);
        }
        assertThat(Files.readAllBytes(goodRun.resolve("assets.jsonl"))).isEqualTo(before);
        assertThat(runtime.history("tenant-e2e").transitions()).last()
                .satisfies(t -> assertThat(t.state()).isEqualTo(ConnectorState.ERRORED));
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("tenant-e2e").doesNotContain(KEY);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.endsWith("key")).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(KEY);
            }
        }
    }

    @Test
    void cancelAbandonsTheRequestInFlightAndPublishesNothing() throws Exception {
        start(1000);
        runtime.register(instance("assets"));
        long done = tenant.requestCount(CortexXdrSimulator.GET_ENDPOINT);
        tenant.faults().onPath(CortexXdrSimulator.GET_ENDPOINT).fromRequest(done + 3)
                .respond(TenantFault.delay(Duration.ofSeconds(60)));

        var run = CompletableFuture.supplyAsync(() -> runtime.runNow("tenant-e2e"));
        long waitedMillis = 0;
        while (tenant.requestCount(CortexXdrSimulator.GET_ENDPOINT) < done + 3 && waitedMillis < 20_000) {
            Thread.sleep(20); // real concurrency: wait until the slow request is in flight
            waitedMillis += 20;
        }
        long cancelledAt = System.nanoTime();
        assertThat(runtime.cancel("tenant-e2e")).isTrue();
        RunSummary s = run.get(20, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(10));
        assertThat(s.state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(s.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
        assertThat(s.streams().get("assets").pages()).isEqualTo(2);
        try (Stream<Path> left = Files.list(dir.resolve("out/tenant-e2e"))) {
            assertThat(left).isEmpty();
        }
    }
}
