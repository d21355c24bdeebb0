package org.connectorsdk.cortexxdr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.connectorsdk.api.Checkpoint;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.SyncMode;
import org.connectorsdk.api.TimeWindow;

/**
 * Reads endpoints as page steps: {@code get_endpoint} with {@code search_from}/{@code search_to}
 * in batch-size steps, sorted by {@code endpoint_id} ascending.
 *
 * <p><b>De-duplication in O(1) memory.</b> Because pages are sorted by {@code endpoint_id}, every
 * new endpoint has an id greater than the last one taken; the checkpoint keeps that last id and a
 * record whose id is not greater is a duplicate (an endpoint that moved to a later offset
 * because the tenant grew in front of our position). Should the tenant ever return a page that
 * is not in that order (its sort and ours disagree), the skip rule would drop records, so the
 * pager then logs a warning and switches for the rest of the run to the id hashes of the last
 * {@value #RECENT_PAGES} pages. It does not keep every id it has read: that would grow with the
 * tenant (8 bytes an endpoint), and offset paging over a listing that is not in a stable order
 * can skip endpoints as well as repeat them, so no amount of memory makes such a read exact. A
 * repeat from the last pages (growth in front of the position shifts by a few endpoints) is
 * skipped; an older one is delivered again with the same identity ({@code _meta} key), which a
 * keyed sink overwrites.
 *
 * <p><b>A tenant that changes during the run.</b> Growth in front of the position shifts
 * endpoints we have read to later offsets: they come again and are skipped as above. Shrinking
 * in front of the position shifts unread endpoints to earlier offsets; it shows as a smaller
 * {@code total_count}, and the pager steps back by the difference, so nothing is missed (a tenant
 * whose replies lack {@code total_count} cannot show it; the next full run finds those).
 *
 * <p><b>Stopping.</b> The stream is done on an empty page, or on a short page where the count is
 * absent or reached (a short page before the count only means the server returned fewer than
 * asked; a full page reaching the count is not trusted to be the last, as the count may be low). Guards: a page with
 * the same ids as the previous one fails with {@link ErrorKind#BAD_RESPONSE} rather than
 * looping, and so does paging more than ten batches past {@code total_count}.
 */
final class EndpointPager {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointPager.class);

    static final String SEARCH_FROM = "searchFrom";
    static final String LAST_ID = "lastId";
    static final String PAGE_HASH = "pageHash";
    static final String TOTAL_COUNT = "totalCount";
    static final String UNORDERED = "unordered";

    /** How many batches past {@code total_count} are tolerated before giving up. */
    static final int OVERRUN_BATCHES = 10;

    /** How many of the latest pages' ids an unordered read remembers. */
    static final int RECENT_PAGES = 16;

    private final CortexXdrClient client;
    private final int batchSize;
    private final List<Map<String, Object>> configFilters;
    /** Only used after the tenant broke the sort order. */
    private RecentIds seen;

    EndpointPager(CortexXdrClient client) {
        this.client = client;
        this.batchSize = client.settings().batchSize();
        this.configFilters = filters(client.settings());
    }

    /** The API filters the config asks for (platform, status, group, last_seen range). */
    static List<Map<String, Object>> filters(CortexXdrSettings s) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!s.platforms().isEmpty()) {
            out.add(filter("platform", "in", s.platforms()));
        }
        if (!s.statuses().isEmpty()) {
            out.add(filter("endpoint_status", "in", s.statuses()));
        }
        if (!s.groups().isEmpty()) {
            out.add(filter("group_name", "in", s.groups()));
        }
        return out;
    }

    private static Map<String, Object> filter(String field, String operator, Object value) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("field", field);
        f.put("operator", operator);
        f.put("value", value);
        return f;
    }

    /**
     * The last_seen bounds in epoch ms: the config's range narrowed by an incremental window
     * {@code [from, to)} (the API's {@code lte} is inclusive, so the window's end less 1 ms).
     */
    private List<Map<String, Object>> filtersFor(PageRequest request) {
        List<Map<String, Object>> out = new ArrayList<>(configFilters);
        CortexXdrSettings s = client.settings();
        OptionalLong gte = s.lastSeenAfter().map(i -> OptionalLong.of(i.toEpochMilli())).orElse(OptionalLong.empty());
        OptionalLong lte = s.lastSeenBefore().map(i -> OptionalLong.of(i.toEpochMilli())).orElse(OptionalLong.empty());
        if (request.mode() == SyncMode.INCREMENTAL && request.window().isPresent()) {
            TimeWindow w = request.window().get();
            long from = w.from().toEpochMilli();
            long to = w.to().toEpochMilli() - 1;
            gte = OptionalLong.of(gte.isPresent() ? Math.max(gte.getAsLong(), from) : from);
            lte = OptionalLong.of(lte.isPresent() ? Math.min(lte.getAsLong(), to) : to);
        }
        if (gte.isPresent()) {
            out.add(filter("last_seen", "gte", gte.getAsLong()));
        }
        if (lte.isPresent()) {
            out.add(filter("last_seen", "lte", lte.getAsLong()));
        }
        return out;
    }

    Page read(PageRequest request) {
        Checkpoint cp = request.checkpoint();
        long searchFrom = cp.getLong(SEARCH_FROM, 0);
        String lastId = cp.get(LAST_ID).map(Object::toString).orElse(null);
        String previousHash = cp.get(PAGE_HASH).map(Object::toString).orElse(null);
        long knownTotal = cp.getLong(TOTAL_COUNT, -1);
        boolean unordered = Boolean.TRUE.equals(cp.get(UNORDERED).orElse(false));
        List<Map<String, Object>> filters = filtersFor(request);
        if (knownTotal >= 0 && searchFrom > knownTotal + (long) OVERRUN_BATCHES * batchSize) {
            // done is reported at total_count; this protects a driver that pages on regardless
            throw new ConnectorException(ErrorKind.BAD_RESPONSE,
                    "Cortex XDR kept returning endpoints past its total_count " + knownTotal + ": search_from "
                            + searchFrom + " is more than " + OVERRUN_BATCHES + " batches beyond it; stopping",
                    Remediation.BAD_RESPONSE);
        }

        CortexXdrClient.EndpointPage page = client.getEndpoints(searchFrom, searchFrom + batchSize, filters);
        long total = page.totalCount().orElse(-1);
        boolean steppedBack = false;
        if (lastId != null && knownTotal >= 0 && total >= 0 && total < knownTotal && searchFrom > 0) {
            // Endpoints were removed while we paged; those in front of us moved to earlier offsets.
            long back = Math.min(searchFrom, knownTotal - total);
            LOG.debug("cortex-xdr: total_count fell from {} to {}; stepping back {} records", knownTotal, total, back);
            searchFrom -= back;
            page = client.getEndpoints(searchFrom, searchFrom + batchSize, filters);
            total = page.totalCount().orElse(total);
            steppedBack = true;
        }
        List<Map<String, Object>> endpoints = page.endpoints();
        String hash = idsHash(endpoints);
        if (!steppedBack && !endpoints.isEmpty() && hash.equals(previousHash)) {
            throw new ConnectorException(ErrorKind.BAD_RESPONSE,
                    "Cortex XDR returned a repeated page for get_endpoint: search_from " + searchFrom
                            + " gave the same " + endpoints.size() + " endpoints as the page before (first id "
                            + id(endpoints.get(0)) + "); stopping instead of looping",
                    "The tenant ignores search_from/search_to paging; contact Palo Alto Networks support, and"
                            + " check that the Base URL points at the tenant's API host, not at a proxy or cache");
        }
        if (!unordered && !ascending(endpoints)) {
            LOG.warn("cortex-xdr: get_endpoint returned endpoints out of endpoint_id order at search_from {};"
                    + " de-duplicating by id hash for the rest of this run", searchFrom);
            unordered = true;
        }
        List<Map<String, Object>> fresh = new ArrayList<>(endpoints.size());
        String newLast = lastId;
        for (Map<String, Object> e : endpoints) {
            String id = id(e);
            boolean isNew;
            if (unordered) {
                if (seen == null) {
                    seen = new RecentIds(RECENT_PAGES * batchSize);
                }
                isNew = seen.add(hash64(id));
            } else {
                isNew = newLast == null || id.compareTo(newLast) > 0;
            }
            if (isNew) {
                fresh.add(e);
            }
            if (newLast == null || id.compareTo(newLast) > 0) {
                newLast = id;
            }
        }
        int skipped = endpoints.size() - fresh.size();
        if (skipped > 0) {
            client.context().metrics().count("assets.duplicates", skipped);
        }
        long next = searchFrom + endpoints.size();
        boolean done = isLastPage(endpoints.size(), next, total);
        Checkpoint nextCp = new Checkpoint(Map.of());
        nextCp = nextCp.with(SEARCH_FROM, next);
        if (newLast != null) {
            nextCp = nextCp.with(LAST_ID, newLast);
        }
        nextCp = nextCp.with(PAGE_HASH, hash);
        if (total >= 0) {
            nextCp = nextCp.with(TOTAL_COUNT, total);
        }
        if (unordered) {
            nextCp = nextCp.with(UNORDERED, true);
        }
        return new Page(fresh, nextCp, done, total >= 0 ? OptionalLong.of(total) : OptionalLong.empty());
    }

    /**
     * Whether a page of {@code size} records ending at offset {@code next} is the last. An empty
     * page always is; otherwise only a short page can be, and only once it reaches
     * {@code total_count} where the count is known: a short page before the count only means the
     * server returned fewer than asked. A full page never ends the stream, even one reaching the
     * count exactly: a count lower than the truth would otherwise drop the rest without a word,
     * so a count that is a multiple of the batch size costs one more (empty) request instead.
     * Paging past a low count is bounded by the overrun guard.
     */
    private boolean isLastPage(int size, long next, long total) {
        if (size == 0) {
            return true;
        }
        boolean shortPage = size < batchSize;
        return shortPage && (total < 0 || next >= total);
    }

    private static String id(Map<String, Object> endpoint) {
        return String.valueOf(endpoint.get("endpoint_id"));
    }

    private static boolean ascending(List<Map<String, Object>> endpoints) {
        for (int i = 1; i < endpoints.size(); i++) {
            if (id(endpoints.get(i)).compareTo(id(endpoints.get(i - 1))) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A compact fingerprint of a page's ids, for the repeated-page guard. */
    private static String idsHash(List<Map<String, Object>> endpoints) {
        long h = 0xcbf29ce484222325L;
        for (Map<String, Object> e : endpoints) {
            h = h * 31 + hash64(id(e));
        }
        return endpoints.size() + ":" + Long.toHexString(h);
    }

    /** FNV-1a, 64 bits: collisions among a million ids are vanishingly unlikely (about 3e-8). */
    static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** How many ids an unordered read remembers now; at most {@value #RECENT_PAGES} batches. */
    int rememberedIds() {
        return seen == null ? 0 : seen.size();
    }

    /** The 64-bit hashes of the latest {@code capacity} ids, the oldest forgotten first. */
    static final class RecentIds {
        private final int capacity;
        private final ArrayDeque<Long> order;
        private final Set<Long> present;

        RecentIds(int capacity) {
            this.capacity = capacity;
            this.order = new ArrayDeque<>(capacity);
            this.present = new HashSet<>(capacity * 2);
        }

        /** Remembers {@code id}; false when it is remembered already. */
        boolean add(long id) {
            if (!present.add(id)) {
                return false;
            }
            order.addLast(id);
            if (order.size() > capacity) {
                present.remove(order.removeFirst());
            }
            return true;
        }

        int size() {
            return order.size();
        }
    }
}
