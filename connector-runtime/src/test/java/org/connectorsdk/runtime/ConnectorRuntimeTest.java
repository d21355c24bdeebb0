package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.InstanceRecord;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StateStore;
import org.connectorsdk.api.host.StateTransition;
import org.connectorsdk.runtime.internal.sync.SyncRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorRuntimeTest {
    private static final String KEY = "s3cr3t-key-" + UUID.randomUUID();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-25T16:37:00Z"));
    private String tenantName;
    private FakeConnector.Tenant tenant;
    private ConnectorRuntime runtime;

    @BeforeEach
    void tenant() {
        tenantName = "t-" + UUID.randomUUID();
        tenant = new FakeConnector.Tenant(KEY).withAssets(250);
        FakeConnector.TENANTS.put(tenantName, tenant);
        runtime = runtime(FileStateStore.open(dir.resolve("state")));
    }

    @AfterEach
    void close() {
        runtime.close();
        FakeConnector.TENANTS.remove(tenantName);
    }

    private ConnectorRuntime runtime(StateStore store) {
        return ConnectorRuntime.builder().sink(new JsonLinesSink(dir.resolve("out"))).stateStore(store).clock(clock)
                .workers(2).build();
    }

    private InstanceDefinition definition(String name, String key) {
        Map<String, Object> config = new HashMap<>();
        config.put("tenant", tenantName);
        config.put("apiKey", key);
        return new InstanceDefinition(FakeConnector.ID, name, "test tenant", config, Optional.empty());
    }

    private List<Path> published(String instance) throws IOException {
        Path d = dir.resolve("out").resolve(instance);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void registerRunsTheChecksAndSavesTheInstanceAsRegistered() {
        InstanceRecord r = runtime.register(definition("eu", KEY));

        assertThat(r.state()).isEqualTo(ConnectorState.REGISTERED);
        assertThat(r.registeredAt()).isEqualTo(clock.instant());
        assertThat(runtime.status()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("eu");
            assertThat(s.state()).isEqualTo(ConnectorState.REGISTERED);
            assertThat(s.lastRun()).isEmpty();
        });
        assertThat(runtime.history("eu").transitions()).extracting(StateTransition::state)
                .containsExactly(ConnectorState.REGISTERED);
    }

    @Test
    void registrationIsRefusedWhenACheckFailsAndNamesTheCheck() {
        assertThatThrownBy(() -> runtime.register(definition("eu", "wrong-key")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
                    assertThat(e.getMessage()).isEqualTo("Instance 'eu' was not registered: the AUTHENTICATION check "
                            + "(Authentication Credential Check) failed: The tenant rejected the API key (HTTP 401)");
                    assertThat(e.remediation()).contains("Verify the API key");
                });
        assertThat(runtime.status()).isEmpty();
    }

    @Test
    void testRunsTheChecksWithoutSaving() {
        var report = runtime.test(definition("eu", "wrong-key"));

        assertThat(report.results()).extracting(r -> r.status().name())
                .containsExactly("PASSED", "PASSED", "FAILED", "SKIPPED", "SKIPPED");
        assertThat(runtime.status()).isEmpty();
    }

    @Test
    void aRuntimeWithoutStoreAndSinkTestsConnectionsAndRefusesToRegisterOrRunSayingWhatIsMissing() {
        try (ConnectorRuntime checker = ConnectorRuntime.builder().clock(clock).build()) {
            assertThat(checker.test(definition("eu", KEY)).allPassed()).isTrue();

            assertThatThrownBy(() -> checker.register(definition("eu", KEY)))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                        assertThat(e.getMessage()).isEqualTo("This runtime cannot register instance 'eu': it was built "
                                + "without a state store and a record sink, so it only tests connections");
                        assertThat(e.remediation()).contains("Build the runtime with "
                                + "ConnectorRuntime.builder().stateStore(...).sink(...), e.g. FileStateStore.open(dir) and "
                                + "new JsonLinesSink(dir)");
                    });
            assertThatThrownBy(() -> checker.runNow("eu")).hasMessage("This runtime cannot run instance 'eu': it was "
                    + "built without a state store and a record sink, so it only tests connections");
            assertThat(checker.cancel("eu")).isFalse();
            assertThat(checker.stop()).isTrue();
        }
    }

    @Test
    void aRuntimeWithAStoreButNoSinkNamesTheSinkAsMissing() {
        try (ConnectorRuntime noSink = ConnectorRuntime.builder().stateStore(FileStateStore.open(dir.resolve("s2")))
                .clock(clock).build()) {
            assertThatThrownBy(noSink::status).hasMessage("This runtime cannot list its instances: it was built "
                    + "without a record sink, so it only tests connections");
        }
    }

    @Test
    void aNegativeDeltaWindowIsRefusedWithBothValues() {
        assertThatThrownBy(() -> ConnectorRuntime.builder().deltaWindow(Duration.ofMinutes(-5), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deltaWindow: overlap and settle must not be negative, got overlap PT-5M and settle PT1M "
                        + "(use Duration.ZERO for none)");
    }

    @Test
    void anInstancesMapsAreCompiledOnceAtRegistrationAndEveryRunUsesThem() {
        InstanceBindings bindings = new InstanceBindings(ConnectorRegistry.fromClassPath());
        InstanceBindings.Bound bound = bindings.bind(definition("eu", KEY), Map.of());
        bindings.put("eu", bound);

        assertThat(bound.maps()).containsOnlyKeys("assets");
        assertThat(bound.maps().get("assets")).singleElement()
                .satisfies(m -> assertThat(m.map().name()).isEqualTo("Fake Asset Map"));
        // what a run is given is the very list compiled at registration, not a new compilation
        assertThat(bindings.require("eu").maps().get("assets")).isSameAs(bound.maps().get("assets"));
    }

    @Test
    void invalidDefinitionsAreRefusedWithTheFieldNamed() {
        runtime.register(definition("eu", KEY));

        assertThatThrownBy(() -> runtime.register(definition("eu", KEY)))
                .hasMessage("An instance named 'eu' is already registered");
        var longDescription = new InstanceDefinition(FakeConnector.ID, "us", "x".repeat(181),
                Map.of("tenant", tenantName, "apiKey", KEY), Optional.empty());
        assertThatThrownBy(() -> runtime.register(longDescription))
                .hasMessage("The description of instance 'us' is 181 characters long; at most 180 are allowed");
        var noKey = new InstanceDefinition(FakeConnector.ID, "us", "", Map.of("tenant", tenantName),
                Optional.empty());
        assertThatThrownBy(() -> runtime.register(noKey))
                .hasMessage("Invalid configuration: apiKey: is required (apiKey)");
        var badName = new InstanceDefinition(FakeConnector.ID, "../etc", "", Map.of(), Optional.empty());
        assertThatThrownBy(() -> runtime.register(badName)).hasMessageStartingWith("Invalid instance name '../etc'");
    }

    @Test
    void updateReplacesTheConfigOnlyWhenTheNewOnePassesTheChecks() {
        runtime.register(definition("eu", KEY));

        assertThatThrownBy(() -> runtime.update(definition("eu", "new-key")))
                .hasMessageStartingWith("Instance 'eu' was not updated (the previous config stays in force): the "
                        + "AUTHENTICATION check");
        assertThat(runtime.runNow("eu").state()).isEqualTo(ConnectorState.PROCESSED);

        tenant.key = "new-key";
        runtime.update(definition("eu", "new-key"));
        assertThat(runtime.runNow("eu").state()).isEqualTo(ConnectorState.PROCESSED);
        assertThatThrownBy(() -> runtime.update(definition("us", KEY)))
                .hasMessage("No instance named 'us' is registered, so it cannot be updated");
    }

    @Test
    void aRunMapsEveryPageAndPublishesItAtomically() throws IOException {
        runtime.register(definition("eu", KEY));
        clock.advance(Duration.ofMinutes(1));

        RunSummary s = runtime.runNow("eu");

        assertThat(s.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(s.error()).isEmpty();
        assertThat(s.runId()).matches("20260525T163800Z-[0-9a-f]{4}");
        assertThat(s.streams()).containsOnlyKeys("assets");
        assertThat(s.streams().get("assets").read()).isEqualTo(250);
        assertThat(s.streams().get("assets").written()).isEqualTo(250);
        assertThat(s.streams().get("assets").pages()).isEqualTo(3);
        Path run = dir.resolve("out/eu").resolve(s.runId());
        assertThat(published("eu")).containsExactly(run);
        List<String> lines = Files.readAllLines(run.resolve("assets.jsonl"));
        assertThat(lines).hasSize(250);
        // the identity a downstream de-duplicates on: a full-only stream's version is a digest of the content
        assertThat(lines.get(0)).matches(java.util.regex.Pattern.quote("{\"externalAssetId\":\"asset-1\","
                + "\"hostName\":\"host-1\",\"operatingSystem\":{\"name\":\"windows\"},\"_meta\":{\"map\":\"Fake Asset Map\","
                + "\"model\":\"asset\",\"modelVersion\":\"1.1.0\",\"instance\":\"eu\",\"stream\":\"assets\","
                + "\"key\":[\"asset-1\"],\"version\":\"sha256:") + "[0-9a-f]{64}\"}}");
        assertThat(Files.readString(run.resolve("summary.json"))).contains("\"state\" : \"PROCESSED\"");
        assertThat(runtime.history("eu").transitions()).extracting(StateTransition::state).containsExactly(
                ConnectorState.REGISTERED, ConnectorState.PROCESSING, ConnectorState.PROCESSED);
        assertThat(runtime.history("eu").runs()).containsExactly(s);
        assertThat(runtime.status().get(0).state()).isEqualTo(ConnectorState.PROCESSED);
    }

    @Test
    void anInstancesTransformMapOverridesApplyToItsRunsAndSurviveARestart() throws IOException {
        Map<String, Object> overrides = Map.of("Fake Asset Map", Map.of("rows",
                List.of(Map.of("target", "operatingSystem.name", "remove", true))));
        Path keyFile = dir.resolve("key.txt");
        Files.writeString(keyFile, KEY);
        runtime.register(definition("eu", "file:" + keyFile), overrides);
        runtime.close();
        runtime = runtime(FileStateStore.open(dir.resolve("state")));

        RunSummary s = runtime.runNow("eu");

        assertThat(Files.readAllLines(dir.resolve("out/eu").resolve(s.runId()).resolve("assets.jsonl")).get(0))
                .startsWith("{\"externalAssetId\":\"asset-1\",\"hostName\":\"host-1\",\"_meta\"");
        Map<String, Object> bad = Map.of("Fake Asset Map", Map.of("rows",
                List.of(Map.of("source", "os", "target", "operatingSystem.colour"))));
        assertThatThrownBy(() -> runtime.update(definition("eu", KEY), bad))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION));
    }

    @Test
    void aStreamWithoutAMapPassesItsRecordsThroughAndEveryStreamGetsAFile() throws IOException {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("id", "e1");
        event.put("kind", "login");
        tenant.events.add(event);
        var def = definition("eu", KEY);
        Map<String, Object> config = new HashMap<>(def.config());
        config.put("dataToSync", "assets-and-events");
        runtime.register(new InstanceDefinition(FakeConnector.ID, "eu", "", config, Optional.empty()));

        RunSummary s = runtime.runNow("eu");

        assertThat(s.streams()).containsOnlyKeys("assets", "events");
        assertThat(Files.readAllLines(dir.resolve("out/eu").resolve(s.runId()).resolve("events.jsonl")))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .matches(java.util.regex.Pattern.quote("{\"id\":\"e1\",\"kind\":\"login\",\"_meta\":{\"instance\":\"eu\","
                        + "\"stream\":\"events\",\"key\":[\"e1\"],\"version\":\"sha256:") + "[0-9a-f]{64}\"}}");
    }

    private static Map<String, Object> event(String id, String at) {
        Map<String, Object> e = new java.util.LinkedHashMap<>();
        e.put("id", id);
        e.put("at", Instant.parse(at).toEpochMilli());
        return e;
    }

    @Test
    void theNextRunOfAnIncrementalStreamReadsItsFrozenWindowAndSkipsWhatTheOverlapRepeats() throws IOException {
        tenant.events.add(event("e1", "2026-05-25T16:00:00Z"));
        tenant.events.add(event("e2", "2026-05-25T16:35:30Z"));
        tenant.events.add(event("e3", "2026-05-25T16:36:30Z"));
        Map<String, Object> config = new HashMap<>(definition("eu", KEY).config());
        config.put("dataToSync", "assets-and-events");
        runtime.register(new InstanceDefinition(FakeConnector.ID, "eu", "", config, Optional.empty()));

        RunSummary full = runtime.runNow("eu");

        assertThat(full.streams().get("events").written()).isEqualTo(3);
        FileStateStore store = FileStateStore.open(dir.resolve("state"));
        assertThat(store.cursor("eu", "events").orElseThrow().values()).containsEntry("watermark",
                "2026-05-25T16:36:00Z");
        assertThat(store.cursor("eu", "assets")).isEmpty();

        tenant.events.add(event("e4", "2026-05-25T16:40:00Z"));
        clock.advance(Duration.ofMinutes(8));
        RunSummary delta = runtime.runNow("eu");

        assertThat(delta.streams().get("events").read()).isEqualTo(3);
        assertThat(delta.streams().get("events").written()).isEqualTo(1);
        assertThat(delta.counter("events.duplicates.skipped")).isEqualTo(2);
        assertThat(Files.readAllLines(dir.resolve("out/eu").resolve(delta.runId()).resolve("events.jsonl")))
                .containsExactly("{\"id\":\"e4\",\"at\":1779727200000,\"_meta\":{\"instance\":\"eu\",\"stream\":\"events\","
                        + "\"key\":[\"e4\"],\"version\":\"1779727200000\"}}");
        assertThat(delta.streams().get("assets").written()).isEqualTo(250);
        assertThat(store.cursor("eu", "events").orElseThrow().values()).containsEntry("watermark",
                "2026-05-25T16:44:00Z");

        tenant.failFromPage = 1;
        clock.advance(Duration.ofMinutes(8));
        assertThat(runtime.runNow("eu").state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(store.cursor("eu", "events").orElseThrow().values()).containsEntry("watermark",
                "2026-05-25T16:44:00Z");
    }

    @Test
    void aFailureMidRunPublishesNothingAndLeavesThePreviousRunUntouched() throws IOException {
        runtime.register(definition("eu", KEY));
        RunSummary good = runtime.runNow("eu");
        Path goodRun = dir.resolve("out/eu").resolve(good.runId());
        byte[] goodAssets = Files.readAllBytes(goodRun.resolve("assets.jsonl"));
        tenant.failFromPage = 2;
        clock.advance(Duration.ofMinutes(5));

        RunSummary failed = runtime.runNow("eu");

        assertThat(failed.state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(failed.error()).hasValueSatisfying(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(e.message()).isEqualTo("The tenant answered HTTP 500 on page 2 after 5 retries");
            assertThat(e.remediation()).contains("Try again later");
        });
        assertThat(failed.streams().get("assets").pages()).isEqualTo(1);
        assertThat(published("eu")).containsExactly(goodRun);
        assertThat(Files.readAllBytes(goodRun.resolve("assets.jsonl"))).isEqualTo(goodAssets);
        assertThat(runtime.status().get(0).state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(runtime.history("eu").transitions()).last().satisfies(t -> {
            assertThat(t.state()).isEqualTo(ConnectorState.ERRORED);
            assertThat(t.runId()).contains(failed.runId());
            assertThat(t.detail()).isEqualTo("TRANSIENT: The tenant answered HTTP 500 on page 2 after 5 retries");
        });
    }

    @Test
    void aRejectedRecordIsCountedWithItsReasonAndDoesNotFailTheRun() throws IOException {
        for (int i = 0; i < 7; i++) {
            tenant.assets.add(Map.of("id", "broken-" + i));
        }
        runtime.register(definition("eu", KEY));

        RunSummary s = runtime.runNow("eu");

        assertThat(s.state()).isEqualTo(ConnectorState.PROCESSED);
        var assets = s.streams().get("assets");
        assertThat(assets.read()).isEqualTo(257);
        assertThat(assets.written()).isEqualTo(250);
        assertThat(assets.rejected()).isEqualTo(7);
        assertThat(assets.rejectionExamples()).hasSize(SyncRun.REJECTION_EXAMPLES)
                .allMatch(r -> r.startsWith("Fake Asset Map: ") && r.contains("hostname"));
        assertThat(Files.readAllLines(dir.resolve("out/eu").resolve(s.runId()).resolve("assets.jsonl")))
                .hasSize(250);
    }

    @Test
    void cancelStopsTheRunAbortsTheSinkAndRecordsCancelled() throws IOException {
        runtime.register(definition("eu", KEY));
        tenant.beforePage = page -> {
            if (page == 2) {
                assertThat(runtime.cancel("eu")).isTrue();
            }
        };

        RunSummary s = runtime.runNow("eu");

        assertThat(s.state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(s.error()).hasValueSatisfying(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
            assertThat(e.message()).isEqualTo("The run of instance 'eu' was cancelled by the operator (cancel) after "
                    + "2 pages; nothing of it was published");
        });
        assertThat(published("eu")).isEmpty();
        assertThat(runtime.cancel("eu")).isFalse();
    }

    @Test
    void aSecondRunOfTheSameInstanceIsRefusedWhileOneIsInProgress() {
        runtime.register(definition("eu", KEY));
        AtomicReference<Throwable> second = new AtomicReference<>();
        tenant.beforePage = page -> {
            if (page == 1) {
                try {
                    runtime.runNow("eu");
                } catch (RuntimeException e) {
                    second.set(e);
                }
            }
        };

        RunSummary first = runtime.runNow("eu");

        assertThat(first.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(second.get()).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(e.getMessage()).isEqualTo("Instance 'eu' already has a run in progress (run " + first.runId()
                    + ", started 2026-05-25T16:37:00Z); a second run never overlaps it");
        });
        assertThat(runtime.history("eu").runs()).hasSize(1);
    }

    @Test
    void aRunWaitingForABusyWorkerIsScheduledAndRunsWhenTheWorkerFrees() throws Exception {
        runtime.close();
        runtime = ConnectorRuntime.builder().sink(new JsonLinesSink(dir.resolve("out")))
                .stateStore(FileStateStore.open(dir.resolve("state"))).clock(clock).workers(1).build();
        runtime.register(definition("a", KEY));
        runtime.register(definition("b", KEY));
        AtomicReference<java.util.concurrent.CompletableFuture<RunSummary>> second = new AtomicReference<>();
        tenant.beforePage = page -> {
            if (second.get() == null) {
                second.set(runtime.submit("b", Set.of(), false, p -> { }));
                assertThat(runtime.status()).filteredOn(st -> st.name().equals("b")).singleElement()
                        .satisfies(st -> assertThat(st.state()).isEqualTo(ConnectorState.SCHEDULED));
            }
        };

        RunSummary first = runtime.runNow("a");
        RunSummary queued = second.get().get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(first.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(queued.state()).isEqualTo(ConnectorState.PROCESSED);
        assertThat(runtime.history("b").transitions()).extracting(StateTransition::state).containsExactly(
                ConnectorState.REGISTERED, ConnectorState.SCHEDULED, ConnectorState.PROCESSING,
                ConnectorState.PROCESSED);
        assertThat(runtime.history("b").transitions().get(1).detail()).isEqualTo("waiting for processing resources");
    }

    @Test
    void removeRefusesARunningInstanceAndOtherwiseForgetsIt() {
        runtime.register(definition("eu", KEY));
        AtomicReference<Throwable> refused = new AtomicReference<>();
        tenant.beforePage = page -> {
            try {
                runtime.remove("eu");
            } catch (RuntimeException e) {
                refused.set(e);
            }
        };
        runtime.runNow("eu");
        assertThat(refused.get()).hasMessageStartingWith("Instance 'eu' cannot be removed while run ");

        tenant.beforePage = page -> { };
        runtime.remove("eu");

        assertThat(runtime.status()).isEmpty();
        assertThatThrownBy(() -> runtime.history("eu")).hasMessageStartingWith("No instance named 'eu' is registered");
        assertThatThrownBy(() -> runtime.runNow("eu")).hasMessageStartingWith("No instance named 'eu' is registered");
    }

    @Test
    void noPageCheckpointIsWrittenSinceARunRestartsFromItsCommittedCursors() {
        List<String> saved = new ArrayList<>();
        FileStateStore files = FileStateStore.open(dir.resolve("state2"));
        StateStore recording = new RecordingStore(files, saved);
        runtime.close();
        runtime = runtime(recording);
        runtime.register(definition("eu", KEY));

        runtime.runNow("eu");

        assertThat(saved).isEmpty();
        assertThat(files.runs("eu")).singleElement().extracting(RunSummary::state).isEqualTo(ConnectorState.PROCESSED);
    }

    @Test
    void aSourceRepeatingItsCheckpointFailsTheRunInsteadOfLooping() {
        tenant.stuck = true;
        runtime.register(definition("eu", KEY));

        RunSummary s = runtime.runNow("eu");

        assertThat(s.error()).hasValueSatisfying(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
            assertThat(e.message()).isEqualTo("Stream 'assets' (partition all) of instance 'eu' returned the "
                    + "checkpoint {from=0} a second time on page 2; reading stopped so the run does not loop forever");
        });
    }

    @Test
    void aSourcePagingFarPastItsOwnCountFailsTheRunNamingTheBound() {
        tenant.endless = true;
        runtime.register(definition("eu", KEY));

        RunSummary s = runtime.runNow("eu");

        assertThat(s.error()).hasValueSatisfying(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
            assertThat(e.message()).isEqualTo("Stream 'assets' (partition all) of instance 'eu' passed the bound on "
                    + "the source's total_count: it read 17 pages although the source reports 250 records in pages "
                    + "of up to 100 (the bound is twice the pages the count needs plus 10)");
        });
        assertThat(s.streams().get("assets").pages()).isEqualTo(17);
    }

    @Test
    void aSourceCountingMoreThanThePageBoundCanReadFailsOnItsSecondPage() {
        runtime.close();
        runtime = ConnectorRuntime.builder().sink(new JsonLinesSink(dir.resolve("out")))
                .stateStore(FileStateStore.open(dir.resolve("state3"))).clock(clock).maxPagesPerStream(2).build();
        runtime.register(definition("eu", KEY));

        RunSummary s = runtime.runNow("eu");

        assertThat(s.error()).hasValueSatisfying(e -> assertThat(e.message())
                .isEqualTo("Stream 'assets' (partition all) of instance 'eu' cannot be read within the bound "
                        + "maxPagesPerStream of 2 pages: the source reports 250 records, 3 pages of up to 100"));
        assertThat(s.streams().get("assets").pages()).isEqualTo(2);
    }

    @Test
    void afterARestartAnInstanceWithAnInlineSecretMustBeRegisteredAgain() throws IOException {
        Path keyFile = dir.resolve("key.txt");
        Files.writeString(keyFile, KEY + "\n");
        runtime.register(definition("inline", KEY));
        runtime.register(definition("by-file", "file:" + keyFile));
        runtime.close();

        runtime = runtime(FileStateStore.open(dir.resolve("state")));

        assertThat(runtime.runNow("by-file").state()).isEqualTo(ConnectorState.PROCESSED);
        assertThatThrownBy(() -> runtime.runNow("inline"))
                .hasMessage("Instance 'inline' cannot run: its secret apiKey was given inline and is never stored;"
                        + " update the instance with it again (no connection check runs, the vendor need not be up),"
                        + " or give it as env:NAME or file:PATH so a restart keeps it");
        assertThat(runtime.status()).filteredOn(s -> s.name().equals("inline")).singleElement()
                .satisfies(s -> assertThat(s.problem()).isPresent());
        runtime.update(definition("inline", KEY));
        assertThat(runtime.runNow("inline").state()).isEqualTo(ConnectorState.PROCESSED);
    }

    @Test
    void anInstanceLeftProcessingByACrashIsMarkedErroredOnRestart() {
        FileStateStore store = FileStateStore.open(dir.resolve("state"));
        runtime.register(definition("eu", KEY));
        store.saveInstance(store.instance("eu").orElseThrow().withState(ConnectorState.PROCESSING));
        runtime.close();

        runtime = runtime(store);

        assertThat(runtime.status().get(0).state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(runtime.history("eu").transitions()).last().extracting(StateTransition::detail)
                .isEqualTo("the runtime stopped while the instance was PROCESSING; that run published nothing");
    }

    @Test
    void noSecretReachesTheOutputTheStateOrTheLogs() throws IOException {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            runtime.register(definition("eu", KEY));
            runtime.runNow("eu");
            tenant.failFromPage = 2;
            runtime.runNow("eu");
            assertThatThrownBy(() -> runtime.update(definition("eu", KEY + "-other")));
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("eu: fetched 250 assets").doesNotContain(KEY);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(KEY);
            }
        }
        assertThat(dir.resolve("state/instances/eu.json")).content().doesNotContain("apiKey");
    }

    /** Delegates to a real store and notes each checkpoint saved. */
    private static final class RecordingStore implements StateStore {
        private final StateStore d;
        private final List<String> saved;

        RecordingStore(StateStore delegate, List<String> saved) {
            this.d = delegate;
            this.saved = saved;
        }

        @Override
        public void saveCheckpoint(String instance, String stream, String partition, Checkpoint checkpoint) {
            saved.add(stream + "/" + partition + " " + checkpoint.values());
            d.saveCheckpoint(instance, stream, partition, checkpoint);
        }

        @Override
        public void saveInstance(InstanceRecord instance) {
            d.saveInstance(instance);
        }

        @Override
        public Optional<InstanceRecord> instance(String name) {
            return d.instance(name);
        }

        @Override
        public List<InstanceRecord> instances() {
            return d.instances();
        }

        @Override
        public void removeInstance(String name) {
            d.removeInstance(name);
        }

        @Override
        public void appendTransition(String instance, StateTransition transition) {
            d.appendTransition(instance, transition);
        }

        @Override
        public List<StateTransition> transitions(String instance) {
            return d.transitions(instance);
        }

        @Override
        public void saveRun(RunSummary summary) {
            d.saveRun(summary);
        }

        @Override
        public List<RunSummary> runs(String instance) {
            return d.runs(instance);
        }

        @Override
        public Optional<Checkpoint> checkpoint(String instance, String stream, String partition) {
            return d.checkpoint(instance, stream, partition);
        }

        @Override
        public void clearCheckpoints(String instance) {
            d.clearCheckpoints(instance);
        }

        @Override
        public Optional<Checkpoint> cursor(String instance, String stream) {
            return d.cursor(instance, stream);
        }

        @Override
        public void saveCursor(String instance, String stream, Checkpoint cursor) {
            d.saveCursor(instance, stream, cursor);
        }
    }
}
