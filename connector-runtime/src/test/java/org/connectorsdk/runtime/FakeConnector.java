package org.connectorsdk.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import org.connectorsdk.api.Capability;
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
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.runtime.internal.http.Cancellation;

import com.google.auto.service.AutoService;

/**
 * A real connector over in-memory tenants, found through ServiceLoader like any plugin. Tests
 * put a {@link Tenant} under a name and point an instance's {@code tenant} field at it.
 */
@AutoService(Connector.class)
public final class FakeConnector implements Connector {
    static final String ID = "fake";
    static final Map<String, Tenant> TENANTS = new ConcurrentHashMap<>();

    /** One fake vendor tenant: its records, key, and scripted misbehaviour. */
    static final class Tenant {
        final List<Map<String, Object>> assets = new ArrayList<>();
        final List<Map<String, Object>> events = new ArrayList<>();
        volatile String key;
        int pageSize = 100;
        /** 1-based page of "assets" from which reads fail with TRANSIENT; 0 for never. */
        int failFromPage;
        /** Returns the same checkpoint forever. */
        boolean stuck;
        /** Never says done: pages (empty past the last record) with a fresh checkpoint forever. */
        boolean endless;
        /** Called with the 1-based page number before each assets page is served. */
        IntConsumer beforePage = p -> { };
        /** The checkpoint of every events page requested, in order. */
        final List<Checkpoint> eventRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Called with the count of events pages requested so far (this one included) before one is served. */
        IntConsumer beforeEventsPage = n -> { };
        /**
         * The 1-based assets page at which the first run to reach it holds (counting down
         * {@link #holding}) until {@link #release} is counted down or the run is cancelled; 0 for never.
         */
        volatile int holdAtPage;
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Tenant(String key) {
            this.key = key;
        }

        Tenant withAssets(int n) {
            for (int i = 1; i <= n; i++) {
                assets.add(Map.of("id", "asset-" + i, "hostname", "host-" + i, "os", i % 2 == 0 ? "linux" : "windows"));
            }
            return this;
        }
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(ID, "Fake Vendor", "Fake Product", "Testing", "0.0.1",
                List.of("Host assets"), "In memory", "Unidirectional", Set.of(Capability.INCREMENTAL_SYNC));
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of(
                ConfigField.string("name").required().build(),
                ConfigField.string("description").maxLength(180).build(),
                ConfigField.string("tenant").required().build(),
                ConfigField.secret("apiKey").required().build(),
                ConfigField.enumeration("dataToSync", "assets", "assets-and-events").defaultValue("assets").build());
    }

    @Override
    public List<ConnectionCheck> connectionChecks() {
        List<ConnectionCheck> checks = new ArrayList<>();
        for (CheckKind kind : CheckKind.values()) {
            checks.add(new ConnectionCheck() {
                @Override
                public CheckKind kind() {
                    return kind;
                }

                @Override
                public CheckResult run(ConnectorConfig config, ConnectorContext context) {
                    Tenant t = TENANTS.get(config.string("tenant"));
                    if (kind == CheckKind.NETWORK_REACHABILITY && t == null) {
                        return CheckResult.failed(kind, "Tenant '" + config.string("tenant") + "' does not exist",
                                "Check the tenant name");
                    }
                    if (kind == CheckKind.AUTHENTICATION && !t.key.equals(config.secret("apiKey").reveal())) {
                        return CheckResult.failed(kind, "The tenant rejected the API key (HTTP 401)",
                                "Verify the API key");
                    }
                    return CheckResult.passed(kind, kind.title() + " ok");
                }
            });
        }
        return checks;
    }

    @Override
    public List<StreamSpec> streams() {
        // events page in (at, id) order from the last one read: a stable position to resume from
        return List.of(StreamSpec.full("assets", "Hosts", "id"), new StreamSpec("events", "Events", List.of("id"),
                Optional.of("at"), Set.of(SyncMode.FULL, SyncMode.INCREMENTAL), Optional.empty()).asResumable());
    }

    @Override
    public List<StreamSpec> selectedStreams(ConnectorConfig config) {
        return config.string("dataToSync").equals("assets") ? streams().subList(0, 1) : streams();
    }

    @Override
    public List<TransformMap> transformMaps() {
        return List.of(TransformMap.named("Fake Asset Map").from("assets").to("asset")
                .required("id", "externalAssetId")
                .required("hostname", "hostName")
                .optional("os", "operatingSystem.name")
                .build());
    }

    private static void hold(Tenant t, ConnectorContext context) {
        ((Cancellation) context.cancellation()).onCancel(t.release::countDown);
        t.holding.countDown();
        try {
            if (!t.release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the held page");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
        Tenant t = TENANTS.get(config.string("tenant"));
        if (!t.key.equals(config.secret("apiKey").reveal())) {
            throw new ConnectorException(ErrorKind.AUTHENTICATION, "The tenant rejected the API key (HTTP 401)",
                    "Verify the API key");
        }
        return new StreamReader() {
            @Override
            public Page read(PageRequest request) {
                if (request.stream().name().equals("events")) {
                    return events(t, request);
                }
                List<Map<String, Object>> all = request.stream().name().equals("assets") ? t.assets : t.events;
                if (request.mode() == SyncMode.INCREMENTAL) {
                    all = all.stream().filter(r -> r.get("at") instanceof Long at
                            && request.window().get().contains(Instant.ofEpochMilli(at))).toList();
                }
                long from = request.checkpoint().getLong("from", 0);
                int pageNo = (int) (from / t.pageSize) + 1;
                if (request.stream().name().equals("assets")) {
                    t.beforePage.accept(pageNo);
                    if (pageNo == t.holdAtPage && t.release.getCount() > 0) {
                        hold(t, context);
                    }
                    if (t.failFromPage > 0 && pageNo >= t.failFromPage) {
                        throw new ConnectorException(ErrorKind.TRANSIENT, "The tenant answered HTTP 500 on page "
                                + pageNo + " after 5 retries", "Try again later");
                    }
                }
                int to = (int) Math.min(all.size(), from + t.pageSize);
                List<Map<String, Object>> records = all.subList((int) Math.min(from, all.size()), to);
                Checkpoint next = t.stuck ? request.checkpoint().with("from", from)
                        : Checkpoint.of("from", t.endless ? from + t.pageSize : to);
                boolean done = !t.stuck && !t.endless && to >= all.size();
                return new Page(records, next, done, OptionalLong.of(all.size()));
            }
        };
    }

    /** Keyset paging: the events after the checkpoint's (at, id), in that order. */
    private static Page events(Tenant t, PageRequest request) {
        t.eventRequests.add(request.checkpoint());
        t.beforeEventsPage.accept(t.eventRequests.size());
        Comparator<Map<String, Object>> order = Comparator.comparingLong((Map<String, Object> e) -> e.get("at") instanceof Number n ? n.longValue() : 0L)
                .thenComparing(e -> String.valueOf(e.get("id")));
        List<Map<String, Object>> after = t.events.stream()
                .filter(e -> request.mode() == SyncMode.FULL
                        || request.window().get().contains(Instant.ofEpochMilli(((Number) e.get("at")).longValue())))
                .filter(e -> request.checkpoint().isStart() || order.compare(e, request.checkpoint().values()) > 0)
                .sorted(order).toList();
        List<Map<String, Object>> records = after.subList(0, Math.min(after.size(), t.pageSize));
        if (records.size() == after.size()) {
            return Page.last(records, Checkpoint.START);
        }
        Map<String, Object> last = records.get(records.size() - 1);
        Checkpoint next = t.stuck ? request.checkpoint() : new Checkpoint(Map.of("at", last.get("at"), "id",
                last.get("id")));
        return Page.next(records, next);
    }
}
