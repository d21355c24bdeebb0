package org.connectorsdk.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.connectorsdk.api.Capability;
import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpStatusErrors;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.InstanceDefinition;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.runtime.internal.store.StateJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Delivery when the local clock and the vendor's disagree, end to end through HTTP: a tenant
 * served by WireMock stamps its alerts and its replies' {@code Date} on its own clock, ten minutes
 * off the runtime's fake clock, and keeps adding alerts between delta runs (overlap 5 minutes,
 * settle 1 minute).
 */
class VendorClockDeliveryTest {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final Duration SETTLE = Duration.ofMinutes(1);
    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    /** The runtime's clock; the vendor's runs {@link #vendorMinusLocal} from it. */
    private final MutableClock local = new MutableClock(Instant.parse("2026-05-25T16:37:00.250Z"));
    private Duration vendorMinusLocal = Duration.ZERO;
    private final Random random = new Random(14);
    /** The tenant's alerts as {@code {id, at}}, {@code at} in epoch milliseconds of the vendor's clock. */
    private final List<Map<String, Object>> alerts = new CopyOnWriteArrayList<>();
    private final Tenant tenant = new Tenant();
    private ConnectorRuntime runtime;

    @RegisterExtension
    final WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(tenant))
            .failOnUnmatchedRequests(true)
            .build();

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private Instant vendorNow() {
        return local.instant().plus(vendorMinusLocal);
    }

    @Test
    void aLocalClockTenMinutesAheadLosesNothingAndDeliversNothingTwice() throws IOException {
        vendorMinusLocal = TEN_MINUTES.negated();
        start();
        for (int run = 0; run < 10; run++) {
            arriveFor(Duration.ofMinutes(2));
            assertProcessed(runtime.runNow("tenant"));
            // held back to the vendor's time less the settle: never in the vendor's future
            assertThat(savedWatermark()).isBeforeOrEqualTo(vendorNow().minus(SETTLE).plusSeconds(1))
                    .isAfter(vendorNow().minus(SETTLE).minusSeconds(2));
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            arriveFor(Duration.ofMinutes(2));
            assertProcessed(runtime.runNow("tenant"));
        } finally {
            System.setErr(err);
        }
        catchUp();

        assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("held back")).toList())
                .singleElement().asString()
                .contains("INFO", "the local clock is 599 s ahead of the vendor's", "alerts by 599 s");
        assertThat(publishedVersions()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(versions());
    }

    @Test
    void aLocalClockTenMinutesBehindOnlyLagsAndLosesNothingAndDeliversNothingTwice() throws IOException {
        vendorMinusLocal = TEN_MINUTES;
        start();
        for (int run = 0; run < 10; run++) {
            arriveFor(Duration.ofMinutes(2));
            assertProcessed(runtime.runNow("tenant"));
            // the window ends by the slow local clock: it lags the vendor, which holds nothing back
            assertThat(savedWatermark()).isEqualTo(local.instant().minus(SETTLE));
        }
        catchUp();

        assertThat(publishedVersions()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(versions());
    }

    private void start() {
        server.stubFor(WireMock.get(urlPathEqualTo("/alerts")).willReturn(ok()));
        runtime = ConnectorRuntime.builder().registry(ConnectorRegistry.of(new DatedAlerts()))
                .sink(new JsonLinesSink(dir.resolve("out"))).stateStore(FileStateStore.open(dir.resolve("state")))
                .clock(local).sleeper(local).workers(1).build();
        arriveFor(Duration.ofMinutes(3));
        runtime.register(new InstanceDefinition(DatedAlerts.ID, "tenant", "", Map.of("baseUrl", server.baseUrl()),
                Optional.empty()));
        assertProcessed(runtime.runNow("tenant"));
    }

    /** Lets {@code span} pass on both clocks while alerts arrive, each stamped on the vendor's clock as it arrives. */
    private void arriveFor(Duration span) {
        Instant until = local.instant().plus(span);
        while (local.instant().isBefore(until)) {
            local.advance(Duration.ofMillis(5_000 + random.nextInt(20_000)));
            alerts.add(Map.of("id", "a" + alerts.size(), "at", vendorNow().toEpochMilli()));
        }
    }

    /** Runs once more after the clocks passed every alert by more than the window's settle and lag. */
    private void catchUp() {
        local.advance(Duration.ofMinutes(15));
        assertProcessed(runtime.runNow("tenant"));
        local.advance(Duration.ofMinutes(3));
        assertProcessed(runtime.runNow("tenant"));
    }

    private static void assertProcessed(RunSummary summary) {
        assertThat(summary.state()).as(summary.error().toString()).isEqualTo(ConnectorState.PROCESSED);
    }

    private Instant savedWatermark() {
        return Instant.parse((String) FileStateStore.open(dir.resolve("state")).cursor("tenant", "alerts").orElseThrow()
                .values().get("watermark"));
    }

    private List<String> versions() {
        return alerts.stream().map(a -> a.get("id") + "@" + a.get("at")).toList();
    }

    /** Every published alert version ("id@at"), across every published run. */
    private List<String> publishedVersions() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> runs = Files.list(dir.resolve("out/tenant"))) {
            for (Path run : runs.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                Path file = run.resolve("alerts.jsonl");
                for (String line : Files.exists(file) ? Files.readAllLines(file) : List.<String>of()) {
                    Map<String, Object> r = StateJson.map(StateJson.COMPACT.readValue(line, Object.class));
                    out.add(r.get("id") + "@" + r.get("at"));
                }
            }
        }
        return out;
    }

    /**
     * The tenant behind {@code GET /alerts?from=&to=} (epoch milliseconds): the alerts stamped in
     * {@code [from, to)} that exist by the vendor's clock, with the vendor's {@code Date}.
     */
    private final class Tenant implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            long from = Long.parseLong(event.getRequest().queryParameter("from").firstValue());
            long to = Long.parseLong(event.getRequest().queryParameter("to").firstValue());
            long now = vendorNow().toEpochMilli();
            List<Map<String, Object>> page = alerts.stream().filter(a -> {
                long at = (Long) a.get("at");
                return at >= from && at < to && at <= now;
            }).toList();
            try {
                return new ResponseDefinitionBuilder().withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Date", HTTP_DATE.format(vendorNow().atOffset(ZoneOffset.UTC)))
                        .withBody(StateJson.COMPACT.writeValueAsString(Map.of("alerts", page))).build();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String getName() {
            return "dated-tenant";
        }
    }

    /** A connector reading one time-tracked stream over HTTP, in one page per window. */
    static final class DatedAlerts implements Connector {
        static final String ID = "dated-alerts";

        @Override
        public ConnectorDescriptor descriptor() {
            return new ConnectorDescriptor(ID, "Dated Vendor", "Alerts", "Testing", "0.0.1", List.of("Alerts"),
                    "HTTP", "Unidirectional", Set.of(Capability.INCREMENTAL_SYNC, Capability.EVENTS));
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.of(ConfigField.string("name").required().build(),
                    ConfigField.string("baseUrl").required().build());
        }

        @Override
        public List<ConnectionCheck> connectionChecks() {
            return List.of(ConnectionCheck.of(CheckKind.DATA_FETCH, "Read the alerts of an empty window",
                    (config, context) -> new Alerts(config, context).read(new TimeWindow(Instant.EPOCH, Instant.EPOCH))));
        }

        @Override
        public List<StreamSpec> streams() {
            return List.of(new StreamSpec("alerts", "Alerts", List.of("id"), Optional.of("at"),
                    Set.of(SyncMode.FULL, SyncMode.INCREMENTAL), Optional.empty()));
        }

        @Override
        public StreamReader open(ConnectorConfig config, ConnectorContext context) {
            Alerts alerts = new Alerts(config, context);
            return request -> Page.last(alerts.read(request.window().orElseThrow()), Checkpoint.START);
        }
    }

    /** The vendor's alerts API. */
    private static final class Alerts {
        private final HttpTransport http;
        private final URI uri;

        Alerts(ConnectorConfig config, ConnectorContext context) {
            this.http = context.http(HttpSettings.builder(DatedAlerts.ID).build());
            this.uri = URI.create(config.string("baseUrl") + "/alerts");
        }

        List<Map<String, Object>> read(TimeWindow window) {
            return http.getJson(HttpTransport.Request.get(uri).query("from", window.from().toEpochMilli())
                    .query("to", window.to().toEpochMilli()).build(), HttpStatusErrors.of("Dated Vendor"))
                    .objects("alerts");
        }
    }
}
