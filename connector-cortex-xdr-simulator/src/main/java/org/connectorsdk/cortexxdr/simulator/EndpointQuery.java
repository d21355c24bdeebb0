package org.connectorsdk.cortexxdr.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * One {@code get_endpoint} request: offsets, sort and filters, answered by streaming over the
 * tenant's index range. Memory stays bounded by the page size whatever the tenant size: index
 * order needs no sort at all, and time sorts find their page with a fixed-size histogram pass and
 * a second pass that keeps only the candidates of the buckets holding the page.
 *
 * <p>Offsets: {@code search_to - search_from} above 100 is capped to 100 results (public clients
 * cap their page size at 100 and the vendor documents 100 as the maximum); a negative
 * {@code search_from} or {@code search_to < search_from} is a 400.
 */
final class EndpointQuery {

    static final int MAX_PAGE = 100;
    private static final int BUCKETS = 1 << 16;
    private static final Set<String> KNOWN_UNSIMULATED = Set.of("dist_name", "ip_list", "alias", "isolate",
            "public_ip_list", "username", "scan_status");

    private enum SortField { ENDPOINT_ID, FIRST_SEEN, LAST_SEEN }

    private final SyntheticTenant tenant;
    private final int searchFrom;
    private final int pageSize;
    private final SortField sortField;
    private final boolean ascending;
    private final List<Predicate<SyntheticTenant.Facts>> predicates = new ArrayList<>();
    private TreeSet<Integer> idListIndexes;

    record Page(long totalCount, List<Integer> indexes) {
    }

    private EndpointQuery(SyntheticTenant tenant, int searchFrom, int pageSize, SortField sortField,
            boolean ascending) {
        this.tenant = tenant;
        this.searchFrom = searchFrom;
        this.pageSize = pageSize;
        this.sortField = sortField;
        this.ascending = ascending;
    }

    static EndpointQuery parse(SyntheticTenant tenant, JsonNode requestData) {
        JsonNode data = requestData == null || requestData.isNull() ? null : requestData;
        long from = longOr(data, "search_from", 0);
        long to = longOr(data, "search_to", from + MAX_PAGE);
        if (from < 0 || to < from) {
            throw ApiError.badRequest("Invalid search range: search_from " + from + ", search_to " + to
                    + " (zero-based offsets, search_from <= search_to)");
        }
        int pageSize = (int) Math.min(MAX_PAGE, to - from);
        SortField field = SortField.ENDPOINT_ID;
        boolean ascending = true;
        JsonNode sort = data == null ? null : data.get("sort");
        if (sort != null && !sort.isNull()) {
            String name = text(sort.get("field"), "sort.field");
            field = switch (name.toLowerCase(Locale.ROOT)) {
                case "endpoint_id" -> SortField.ENDPOINT_ID;
                case "first_seen" -> SortField.FIRST_SEEN;
                case "last_seen" -> SortField.LAST_SEEN;
                default -> throw ApiError.badRequest("Unsupported sort field: " + name
                        + " (endpoint_id, first_seen, last_seen)");
            };
            JsonNode keyword = sort.get("keyword");
            String direction = keyword == null || keyword.isNull() ? "ASC" : keyword.asText();
            ascending = switch (direction.toUpperCase(Locale.ROOT)) {
                case "ASC" -> true;
                case "DESC" -> false;
                default -> throw ApiError.badRequest("Unsupported sort keyword: " + direction + " (ASC, DESC)");
            };
        }
        EndpointQuery query = new EndpointQuery(tenant, (int) Math.min(Integer.MAX_VALUE, from), pageSize,
                field, ascending);
        JsonNode filters = data == null ? null : data.get("filters");
        if (filters != null && !filters.isNull()) {
            if (!filters.isArray()) {
                throw ApiError.badRequest("filters must be a list of {field, operator, value}");
            }
            for (JsonNode filter : filters) {
                query.addFilter(filter);
            }
        }
        return query;
    }

    static long longOr(JsonNode data, String name, long fallback) {
        JsonNode node = data == null ? null : data.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToLong() && !(node.isTextual() && node.asText().matches("-?\\d{1,18}"))) {
            throw ApiError.badRequest(name + " must be an integer, got " + node);
        }
        return node.asLong();
    }

    static String text(JsonNode node, String what) {
        if (node == null || !node.isTextual()) {
            throw ApiError.badRequest(what + " must be a string, got " + node);
        }
        return node.asText();
    }

    private void addFilter(JsonNode filter) {
        String field = text(filter.get("field"), "filter field");
        String operator = text(filter.get("operator"), "filter operator").toLowerCase(Locale.ROOT);
        JsonNode value = filter.get("value");
        switch (field) {
            case "endpoint_id_list" -> {
                requireOperator(field, operator, "in");
                TreeSet<Integer> wanted = new TreeSet<>();
                for (String id : strings(field, value)) {
                    int index = tenant.indexOf(id.toLowerCase(Locale.ROOT));
                    if (index >= 0) {
                        wanted.add(index);
                    }
                }
                if (idListIndexes != null) {
                    wanted.retainAll(idListIndexes);
                }
                idListIndexes = wanted;
            }
            case "endpoint_status" -> {
                Set<String> wanted = lowerSet(field, operator, value);
                predicates.add(f -> wanted.contains(f.status().filterValue()));
            }
            case "platform" -> {
                Set<String> wanted = lowerSet(field, operator, value);
                predicates.add(f -> wanted.contains(f.os().platform));
            }
            case "group_name" -> {
                Set<String> wanted = lowerSet(field, operator, value);
                predicates.add(f -> f.groups() != null
                        && f.groups().stream().anyMatch(g -> wanted.contains(g.toLowerCase(Locale.ROOT))));
            }
            case "hostname" -> {
                Set<String> wanted = lowerSet(field, operator, value);
                predicates.add(f -> wanted.contains(f.name().toLowerCase(Locale.ROOT)));
            }
            case "first_seen" -> addTimeFilter(field, operator, value, SyntheticTenant.Facts::firstSeen);
            case "last_seen" -> addTimeFilter(field, operator, value, SyntheticTenant.Facts::lastSeen);
            default -> {
                if (KNOWN_UNSIMULATED.contains(field)) {
                    throw ApiError.badRequest("Filter field " + field + " is not supported by the simulator");
                }
                throw ApiError.badRequest("Unsupported filter field: " + field);
            }
        }
    }

    private void addTimeFilter(String field, String operator, JsonNode value,
            ToLongFunction<SyntheticTenant.Facts> time) {
        if (value == null || !value.canConvertToLong()) {
            throw ApiError.badRequest("Filter " + field + " needs an epoch-millisecond number, got " + value);
        }
        long bound = value.asLong();
        switch (operator) {
            case "gte" -> predicates.add(f -> time.applyAsLong(f) >= bound);
            case "lte" -> predicates.add(f -> time.applyAsLong(f) <= bound);
            case "eq" -> predicates.add(f -> time.applyAsLong(f) == bound);
            default -> throw ApiError.badRequest("Unsupported operator " + operator + " for filter " + field
                    + " (gte, lte, eq)");
        }
    }

    private static void requireOperator(String field, String operator, String expected) {
        if (!operator.equals(expected)) {
            throw ApiError.badRequest("Unsupported operator " + operator + " for filter " + field + " ("
                    + expected + ")");
        }
    }

    private static Set<String> lowerSet(String field, String operator, JsonNode value) {
        if (!operator.equals("in") && !operator.equals("eq")) {
            throw ApiError.badRequest("Unsupported operator " + operator + " for filter " + field + " (in, eq)");
        }
        Set<String> out = new TreeSet<>();
        for (String text : strings(field, value)) {
            out.add(text.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    static List<String> strings(String field, JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value != null && value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isValueNode() || item.isNull()) {
                    throw ApiError.badRequest("Filter " + field + " values must be strings, got " + item);
                }
                out.add(item.asText());
            }
        } else if (value != null && value.isValueNode() && !value.isNull()) {
            out.add(value.asText());
        } else {
            throw ApiError.badRequest("Filter " + field + " needs a value or a list of values, got " + value);
        }
        return out;
    }

    private boolean matches(SyntheticTenant.Facts facts) {
        for (Predicate<SyntheticTenant.Facts> p : predicates) {
            if (!p.test(facts)) {
                return false;
            }
        }
        return true;
    }

    /** Indexes to consider, in ascending order: the id list if one was given, else the live range. */
    private interface IndexSource {
        void forEach(boolean ascending, java.util.function.IntConsumer action);
    }

    private IndexSource source(int first, int end) {
        if (idListIndexes != null) {
            List<Integer> inRange = idListIndexes.subSet(first, true, end, false).stream().toList();
            return (asc, action) -> {
                for (int i = 0; i < inRange.size(); i++) {
                    action.accept(inRange.get(asc ? i : inRange.size() - 1 - i));
                }
            };
        }
        return (asc, action) -> {
            if (asc) {
                for (int i = first; i < end; i++) {
                    action.accept(i);
                }
            } else {
                for (int i = end - 1; i >= first; i--) {
                    action.accept(i);
                }
            }
        };
    }

    /** Runs the query over the live indexes {@code [first, end)}. */
    Page run(int first, int end) {
        if (sortField == SortField.ENDPOINT_ID) {
            return byIndex(first, end);
        }
        return byTime(first, end, sortField == SortField.FIRST_SEEN
                ? SyntheticTenant.Facts::firstSeen : SyntheticTenant.Facts::lastSeen);
    }

    private Page byIndex(int first, int end) {
        if (predicates.isEmpty() && idListIndexes == null) {
            long total = (long) end - first;
            List<Integer> page = new ArrayList<>();
            for (long rank = searchFrom; rank < Math.min(total, (long) searchFrom + pageSize); rank++) {
                page.add((int) (ascending ? first + rank : end - 1 - rank));
            }
            return new Page(total, page);
        }
        long[] rank = {0};
        List<Integer> page = new ArrayList<>();
        source(first, end).forEach(ascending, index -> {
            if (matches(tenant.facts(index))) {
                if (rank[0] >= searchFrom && page.size() < pageSize) {
                    page.add(index);
                }
                rank[0]++;
            }
        });
        return new Page(rank[0], page);
    }

    private static int bucket(long time) {
        long span = SyntheticTenant.REFERENCE_TIME_MS - SyntheticTenant.OLDEST_MS + 1;
        long clamped = Math.max(0, Math.min(span - 1, time - SyntheticTenant.OLDEST_MS));
        return (int) (clamped * BUCKETS / span);
    }

    private Page byTime(int first, int end, ToLongFunction<SyntheticTenant.Facts> key) {
        int[] histogram = new int[BUCKETS];
        long[] total = {0};
        IndexSource source = source(first, end);
        source.forEach(true, index -> {
            SyntheticTenant.Facts facts = tenant.facts(index);
            if (matches(facts)) {
                histogram[bucket(key.applyAsLong(facts))]++;
                total[0]++;
            }
        });
        long lastRank = Math.min(total[0], (long) searchFrom + pageSize) - 1;
        if (searchFrom > lastRank) {
            return new Page(total[0], List.of());
        }
        // Walk buckets in sort order to find which ones hold ranks searchFrom..lastRank.
        long before = 0;
        int lowBucket = -1;
        int highBucket = -1;
        long rankAtLow = 0;
        long seen = 0;
        for (int step = 0; step < BUCKETS; step++) {
            int b = ascending ? step : BUCKETS - 1 - step;
            long next = seen + histogram[b];
            if (lowBucket < 0 && next > searchFrom) {
                lowBucket = b;
                rankAtLow = seen;
            }
            if (next > lastRank) {
                highBucket = b;
                break;
            }
            seen = next;
        }
        before = rankAtLow;
        int lo = Math.min(lowBucket, highBucket);
        int hi = Math.max(lowBucket, highBucket);
        List<long[]> candidates = new ArrayList<>();
        source.forEach(true, index -> {
            SyntheticTenant.Facts facts = tenant.facts(index);
            long k = key.applyAsLong(facts);
            int b = bucket(k);
            if (b >= lo && b <= hi && matches(facts)) {
                candidates.add(new long[] {k, index});
            }
        });
        Comparator<long[]> byKey = Comparator.comparingLong(c -> c[0]);
        Comparator<long[]> order = (ascending ? byKey : byKey.reversed()).thenComparingLong(c -> c[1]);
        candidates.sort(order);
        List<Integer> page = new ArrayList<>();
        for (int i = (int) (searchFrom - before); i < candidates.size() && page.size() < pageSize; i++) {
            page.add((int) candidates.get(i)[1]);
        }
        return new Page(total[0], page);
    }

    /** For the reply: the records of a page, in page order. */
    static List<Map<String, Object>> records(SyntheticTenant tenant, Page page) {
        List<Map<String, Object>> out = new ArrayList<>(page.indexes().size());
        for (int index : page.indexes()) {
            out.add(tenant.endpoint(index));
        }
        return out;
    }
}
