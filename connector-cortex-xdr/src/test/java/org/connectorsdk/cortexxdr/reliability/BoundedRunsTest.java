package org.connectorsdk.cortexxdr.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.ErrorInfo;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.ConnectorRuntimeBuilder;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.testkit.MutableClock;

/**
 * Issue 13, item 8: a hostile HTTPS tenant that serves fresh endpoints on every page, for ever,
 * while it reports a lying {@code total_count} (or none). Every run ends {@code ERRORED} with a
 * message naming the bound it hit, publishes nothing, and does so after a bounded number of
 * requests; time is the runtime's fake clock, never waited for.
 */
class BoundedRunsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "bounded-runs-key-5f4e3d2c1b0a";

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.at("2026-11-25T00:00:00Z");
    private ReplyServer tenant;
    private ConnectorRuntime runtime;
    private final List<Long> searchFroms = new ArrayList<>();

    @BeforeEach
    void start() {
        tenant = new ReplyServer();
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        tenant.close();
    }

    @Test
    void aTrillionReportedEndpointsEndTheRunOnItsSecondPage() throws IOException {
        endlessPages(OptionalLong.of(1_000_000_000_000L), Duration.ZERO);

        RunSummary run = run(ConnectorRuntime.builder());

        assertErrored(run, ErrorKind.BAD_RESPONSE, "Stream 'assets' (partition all) of instance 'hostile' cannot be "
                + "read within the bound maxPagesPerStream of 100000 pages: the source reports 1000000000000 records, "
                + "10000000000 pages of up to 100");
        assertThat(run.streams().get("assets").pages()).isEqualTo(2);
    }

    @Test
    void pagesFarPastTheReportedCountEndTheRunNamingTheCount() throws IOException {
        endlessPages(OptionalLong.of(150), Duration.ZERO);

        RunSummary run = run(ConnectorRuntime.builder());

        assertErrored(run, ErrorKind.BAD_RESPONSE, "Cortex XDR kept returning endpoints past its total_count 150: "
                + "search_from 1200 is more than 10 batches beyond it; stopping");
        assertThat(run.streams().get("assets").pages()).isEqualTo(12);
    }

    @Test
    void aTenantReportingNoCountIsStoppedByThePageBound() throws IOException {
        endlessPages(OptionalLong.empty(), Duration.ZERO);

        RunSummary run = run(ConnectorRuntime.builder().maxPagesPerStream(25));

        assertErrored(run, ErrorKind.BAD_RESPONSE, "Stream 'assets' of instance 'hostile' hit the bound "
                + "maxPagesPerStream of 25 pages (2500 records) before it ended; reading stopped");
        // the page being read ahead when the bound hit is the only one past it
        assertThat(searchFroms).hasSizeLessThanOrEqualTo(26);
    }

    @Test
    void aTenantReportingNoCountIsStoppedByTheDurationBoundOnTheRuntimesClock() throws IOException {
        // each page takes a minute of the runtime's clock: 31 pages pass 30 minutes
        endlessPages(OptionalLong.empty(), Duration.ofMinutes(1));

        RunSummary run = run(ConnectorRuntime.builder().maxStreamDuration(Duration.ofMinutes(30)));

        assertThat(run.error()).hasValueSatisfying(e -> assertThat(e.message()).startsWith("Stream 'assets' of "
                + "instance 'hostile' hit the bound maxStreamDuration of PT30M: it was still reading after PT3"));
        assertErrored(run, ErrorKind.BAD_RESPONSE, run.error().get().message());
        assertThat(run.error().get().remediation()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("If the source is that slow or that large, raise the runtime's maxStreamDuration"));
        assertThat(run.streams().get("assets").pages()).isBetween(30L, 32L);
    }

    /**
     * Serves every {@code get_endpoint} (and every check) a full page of endpoints never served
     * before, in {@code endpoint_id} order, with {@code total} as {@code total_count}; each reply
     * moves the runtime's clock by {@code each}.
     */
    private void endlessPages(OptionalLong total, Duration each) {
        UnaryOperator<byte[]> page = request -> {
            JsonNode data = readTree(request).path("request_data");
            long from = data.path("search_from").asLong(0);
            long to = data.path("search_to").asLong(from + 100);
            synchronized (searchFroms) {
                searchFroms.add(from);
            }
            clock.advance(each);
            List<Map<String, Object>> endpoints = new ArrayList<>();
            for (long n = from; n < to; n++) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("endpoint_id", String.format("%032d", n));
                e.put("endpoint_name", "host-" + n);
                e.put("endpoint_type", "AGENT_TYPE_SERVER");
                e.put("os_type", "AGENT_OS_LINUX");
                e.put("ip", List.of("10.0.0.1"));
                e.put("last_seen", 1_700_000_000_000L);
                endpoints.add(e);
            }
            Map<String, Object> reply = new LinkedHashMap<>();
            total.ifPresent(t -> reply.put("total_count", t));
            reply.put("result_count", endpoints.size());
            reply.put("endpoints", endpoints);
            try {
                return JSON.writeValueAsBytes(Map.of("reply", reply));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
        tenant.respond(page);
    }

    private static JsonNode readTree(byte[] request) {
        try {
            return JSON.readTree(request.length == 0 ? "{}".getBytes(UTF_8) : request);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private RunSummary run(ConnectorRuntimeBuilder builder) {
        runtime = builder.sink(new JsonLinesSink(dir.resolve("out"))).stateStore(FileStateStore.open(dir.resolve(
                "state"))).clock(clock).sleeper(clock).workers(1).build();
        Map<String, Object> config = Configs.raw(tenant.baseUrl(), KEY);
        config.remove("name");
        runtime.register(new InstanceDefinition("cortex-xdr", "hostile", "", config, Optional.empty()));
        searchFroms.clear();
        return runtime.runNow("hostile");
    }

    private void assertErrored(RunSummary run, ErrorKind kind, String message) throws IOException {
        assertThat(run.state()).isEqualTo(ConnectorState.ERRORED);
        assertThat(run.error()).map(ErrorInfo::kind).contains(kind);
        assertThat(run.error()).map(ErrorInfo::message).contains(message);
        assertThat(run.error().flatMap(ErrorInfo::remediation)).isPresent();
        Path published = dir.resolve("out").resolve("hostile");
        if (Files.exists(published)) {
            try (Stream<Path> runs = Files.list(published)) {
                assertThat(runs.filter(p -> !p.getFileName().toString().startsWith("."))).as("nothing published")
                        .isEmpty();
            }
        }
    }
}
