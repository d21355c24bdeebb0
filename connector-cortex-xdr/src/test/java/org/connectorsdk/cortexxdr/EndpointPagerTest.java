package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.Partition;
import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;

class EndpointPagerTest {
    private static final String URL = "https://api-test.xdr.us.paloaltonetworks.com";

    private static List<Map<String, Object>> readAll(FakeTenant tenant, CortexXdrSettings settings) {
        EndpointPager pager = new EndpointPager(CortexXdrClient.open(settings, tenant));
        List<Map<String, Object>> all = new ArrayList<>();
        PageRequest request = PageRequest.first(CortexXdrConnector.ASSETS);
        for (int i = 0; i < 10_000; i++) {
            Page page = pager.read(request);
            all.addAll(page.records());
            if (page.done()) {
                return all;
            }
            request = request.next(page);
        }
        throw new AssertionError("paging did not stop");
    }

    private static Set<Object> ids(List<Map<String, Object>> records) {
        Set<Object> ids = new HashSet<>();
        records.forEach(r -> ids.add(r.get("endpoint_id")));
        return ids;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 99, 100, 101, 250, 10_000})
    void readsExactlyEveryEndpointOnce(int n) {
        FakeTenant tenant = new FakeTenant(n);
        List<Map<String, Object>> all = readAll(tenant, TestConfigs.settings(URL));
        assertThat(all).hasSize(n);
        assertThat(ids(all)).isEqualTo(new HashSet<Object>(tenant.ids));
        // batch-size steps; a full last page is confirmed by one more (empty) request, since a
        // total_count lower than the truth must not end the stream early
        assertThat(tenant.requests).hasSize(n / 100 + 1);
    }

    @Test
    void stopsOnAShortPageWhenTotalCountIsAbsent() {
        FakeTenant tenant = new FakeTenant(250);
        tenant.sendTotalCount = false;
        List<Map<String, Object>> all = readAll(tenant, TestConfigs.settings(URL));
        assertThat(ids(all)).hasSize(250);
        assertThat(tenant.requests).hasSize(3);
        assertThat(tenant.requests.get(2).toString())
                .isEqualTo("{\"request_data\":{\"search_from\":200,\"search_to\":300,"
                        + "\"sort\":{\"field\":\"endpoint_id\",\"keyword\":\"ASC\"}}}");
    }

    @Test
    void stopsOnAnEmptyPageWhenTotalCountIsAbsentAndTheTenantIsAWholeNumberOfPages() {
        FakeTenant tenant = new FakeTenant(200);
        tenant.sendTotalCount = false;
        assertThat(ids(readAll(tenant, TestConfigs.settings(URL)))).hasSize(200);
        assertThat(tenant.requests).hasSize(3);
    }

    @Test
    void aServerReturningFewerThanAskedIsPagedOnUntilTotalCount() {
        FakeTenant tenant = new FakeTenant(230);
        tenant.pageCap = 40;
        List<Map<String, Object>> all = readAll(tenant, TestConfigs.settings(URL));
        assertThat(ids(all)).isEqualTo(new HashSet<Object>(tenant.ids));
        assertThat(tenant.requests).extracting(r -> r.path("request_data").path("search_from").asInt())
                .containsExactly(0, 40, 80, 120, 160, 200);
    }

    @Test
    void aTotalCountThatIsTooLowDoesNotCutTheReadShort() {
        FakeTenant tenant = new FakeTenant(250);
        tenant.totalCountDelta = -60;
        assertThat(ids(readAll(tenant, TestConfigs.settings(URL)))).isEqualTo(new HashSet<Object>(tenant.ids));
    }

    @Test
    void aTotalCountThatIsTooHighEndsOnTheEmptyPage() {
        FakeTenant tenant = new FakeTenant(250);
        tenant.totalCountDelta = 500;
        assertThat(ids(readAll(tenant, TestConfigs.settings(URL)))).hasSize(250);
        // the short page could be a server returning fewer than asked: one more request settles it
        assertThat(tenant.requests).hasSize(4);
    }

    @Test
    void usesTheConfiguredBatchSize() {
        FakeTenant tenant = new FakeTenant(25);
        List<Map<String, Object>> all = readAll(tenant, TestConfigs.settings(URL, "batchSize", 10));
        assertThat(ids(all)).hasSize(25);
        assertThat(tenant.requests).extracting(r -> r.path("request_data").path("search_to").asInt())
                .containsExactly(10, 20, 30);
    }

    @Test
    void aTenantGrowingBy30EndpointsMidRunGivesNoDuplicateAndLosesNoOriginalEndpoint() {
        FakeTenant tenant = new FakeTenant(250);
        Set<String> original = new HashSet<>(tenant.ids);
        tenant.beforeRequest = n -> {
            if (n == 2) {
                for (int i = 0; i < 30; i++) {
                    tenant.ids.add(FakeTenant.id(1_000 + i));
                }
            }
        };
        List<Map<String, Object>> all = readAll(tenant, TestConfigs.settings(URL));
        assertThat(all).hasSize(ids(all).size());
        assertThat(ids(all)).containsAll(original);
        assertThat(tenant.counters.getOrDefault("assets.duplicates", 0L)).isPositive();
    }

    @Test
    void aTenantShrinkingInFrontOfThePositionLosesNoRemainingEndpoint() {
        FakeTenant tenant = new FakeTenant(300);
        List<String> sorted = new ArrayList<>(tenant.ids);
        tenant.beforeRequest = n -> {
            if (n == 2) {
                // 40 endpoints already read disappear: the unread ones move 40 places forward
                sorted.subList(10, 50).forEach(tenant.ids::remove);
            }
        };
        List<Map<String, Object>> all = readAll(tenant, TestConfigs.settings(URL));
        assertThat(all).hasSize(ids(all).size());
        assertThat(ids(all)).containsAll(sorted.subList(100, 300));
    }

    @Test
    void aRepeatedPageStopsWithAnErrorInsteadOfLooping() {
        FakeTenant tenant = new FakeTenant(500);
        tenant.ignoreOffsets = true;
        assertThatThrownBy(() -> readAll(tenant, TestConfigs.settings(URL)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
                    assertThat(e.getMessage()).startsWith("Cortex XDR returned a repeated page for get_endpoint:"
                            + " search_from 100 gave the same 100 endpoints as the page before");
                    assertThat(e.remediation()).isPresent();
                });
        assertThat(tenant.requests).hasSize(2);
    }

    @Test
    void runningFarPastTotalCountStops() {
        FakeTenant tenant = new FakeTenant(1_500) {
            @Override
            public Response send(Request request) {
                Response r = super.send(request);
                // claims 150 endpoints but keeps serving full pages
                return new Response(200, r.headers(), utf8(r.body()).replace("\"total_count\":1500",
                        "\"total_count\":150").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        };
        // done is reported at search_from >= total_count, so a reader that ignores done is what
        // the guard protects against: drive it on regardless
        EndpointPager pager = new EndpointPager(CortexXdrClient.open(TestConfigs.settings(URL), tenant));
        PageRequest request = PageRequest.first(CortexXdrConnector.ASSETS);
        Page page = pager.read(request);
        assertThat(page.totalCount()).hasValue(150);
        assertThatThrownBy(() -> {
            PageRequest r = request;
            Page p = page;
            for (int i = 0; i < 20; i++) {
                r = r.next(p);
                p = pager.read(r);
            }
        }).isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                .isEqualTo("Cortex XDR kept returning endpoints past its total_count 150: search_from 1200 is more"
                        + " than 10 batches beyond it; stopping"));
    }

    @Test
    void deduplicatesByHashWhenTheTenantBreaksTheSortOrder() {
        FakeTenant tenant = new FakeTenant(0) {
            @Override
            public Response send(Request request) {
                requests.add(null);
                String body = requests.size() == 1
                        ? "{\"reply\":{\"total_count\":4,\"endpoints\":[{\"endpoint_id\":\"b\"},{\"endpoint_id\":\"a\"}]}}"
                        : requests.size() == 2
                        ? "{\"reply\":{\"total_count\":4,\"endpoints\":[{\"endpoint_id\":\"a\"},{\"endpoint_id\":\"c\"}]}}"
                        : "{\"reply\":{\"total_count\":4,\"endpoints\":[]}}";
                return new Response(200, Map.of(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        };
        List<Map<String, Object>> all = readAll(tenant, TestConfigs.settings(URL, "batchSize", 2));
        assertThat(all).extracting(r -> r.get("endpoint_id")).containsExactly("b", "a", "c");
    }

    @Test
    void anUnorderedTenantIsDeduplicatedOverTheLatestPagesInMemoryThatDoesNotGrowWithTheRun() {
        int pages = 200;
        FakeTenant tenant = new FakeTenant(0) {
            @Override
            public Response send(Request request) {
                int from;
                try {
                    from = new com.fasterxml.jackson.databind.ObjectMapper().readTree(request.body())
                            .path("request_data").path("search_from").asInt();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                // each page after the first: 95 new ids in descending order, then 5 of the page before
                // (the tenant grew in front of the position)
                int k = from / 100;
                StringBuilder endpoints = new StringBuilder();
                if (k < pages) {
                    for (int i = fresh(k) - 1; i >= 0; i--) {
                        endpoints.append(endpoints.length() == 0 ? "" : ",").append("{\"endpoint_id\":\"")
                                .append(String.format("%08d", firstFresh(k) + i)).append("\"}");
                    }
                    for (int i = 0; k > 0 && i < 5; i++) {
                        endpoints.append(",{\"endpoint_id\":\"").append(String.format("%08d", firstFresh(k - 1) + i))
                                .append("\"}");
                    }
                }
                String body = "{\"reply\":{\"total_count\":" + pages * 100 + ",\"endpoints\":[" + endpoints + "]}}";
                return new Response(200, Map.of(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        };
        EndpointPager pager = new EndpointPager(CortexXdrClient.open(TestConfigs.settings(URL), tenant));
        List<Object> read = new ArrayList<>();
        int mostRemembered = 0;
        PageRequest request = PageRequest.first(CortexXdrConnector.ASSETS);
        for (Page page = pager.read(request); ; page = pager.read(request)) {
            page.records().forEach(r -> read.add(r.get("endpoint_id")));
            mostRemembered = Math.max(mostRemembered, pager.rememberedIds());
            if (page.done()) {
                break;
            }
            request = request.next(page);
        }

        assertThat(read).hasSize(firstFresh(pages)).doesNotHaveDuplicates();
        assertThat(mostRemembered).isEqualTo(EndpointPager.RECENT_PAGES * 100);
    }

    private static int fresh(int page) {
        return page == 0 ? 100 : 95;
    }

    private static int firstFresh(int page) {
        return page == 0 ? 0 : 100 + (page - 1) * 95;
    }

    @Test
    void sendsTheConfiguredFiltersAndTheIncrementalWindow() {
        FakeTenant tenant = new FakeTenant(3);
        CortexXdrSettings settings = TestConfigs.settings(URL, "platformFilter", List.of("windows", "linux"),
                "statusFilter", List.of("connected"), "groupFilter", " Servers , Finance laptops,",
                "lastSeenAfter", "2026-05-01T00:00:00Z", "lastSeenBefore", "2026-06-01T00:00:00+02:00");
        EndpointPager pager = new EndpointPager(CortexXdrClient.open(settings, tenant));
        TimeWindow window = new TimeWindow(Instant.parse("2026-05-10T00:00:00Z"), Instant.parse("2026-07-01T00:00:00Z"));
        pager.read(new PageRequest(CortexXdrConnector.ASSETS, Partition.WHOLE, Checkpoint.START,
                SyncMode.INCREMENTAL, Optional.of(window)));
        assertThat(tenant.requests.get(0).path("request_data").path("filters").toString()).isEqualTo("["
                + "{\"field\":\"platform\",\"operator\":\"in\",\"value\":[\"windows\",\"linux\"]},"
                + "{\"field\":\"endpoint_status\",\"operator\":\"in\",\"value\":[\"connected\"]},"
                + "{\"field\":\"group_name\",\"operator\":\"in\",\"value\":[\"Servers\",\"Finance laptops\"]},"
                + "{\"field\":\"last_seen\",\"operator\":\"gte\",\"value\":" + window.from().toEpochMilli() + "},"
                + "{\"field\":\"last_seen\",\"operator\":\"lte\",\"value\":"
                + Instant.parse("2026-05-31T22:00:00Z").toEpochMilli() + "}]");
    }

    @Test
    void resumesFromACheckpointWithoutRepeatingRecords() {
        FakeTenant tenant = new FakeTenant(150);
        EndpointPager pager = new EndpointPager(CortexXdrClient.open(TestConfigs.settings(URL), tenant));
        Page first = pager.read(PageRequest.first(CortexXdrConnector.ASSETS));
        EndpointPager resumed = new EndpointPager(CortexXdrClient.open(TestConfigs.settings(URL), tenant));
        Page second = resumed.read(PageRequest.first(CortexXdrConnector.ASSETS).next(first));
        assertThat(second.done()).isTrue();
        assertThat(ids(first.records())).doesNotContainAnyElementsOf(ids(second.records()));
        assertThat(first.records().size() + second.records().size()).isEqualTo(150);
    }
}
