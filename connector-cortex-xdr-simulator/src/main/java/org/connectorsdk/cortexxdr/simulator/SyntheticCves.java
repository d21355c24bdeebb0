package org.connectorsdk.cortexxdr.simulator;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Synthetic vulnerability data: which CVEs each simulated endpoint has, in the shape of the
 * {@code va_cves} dataset. None of it is real: the ids look like CVE ids, every description says
 * it is synthetic. Deterministic per (seed, endpoint index); nothing is stored.
 *
 * <p>Distribution: about 18% of endpoints have no CVE, 70% have 1 to 12, 10% have 13 to 60 and 2%
 * have 100 to 400. CVEs come from a fixed pool of 24,000 ids skewed so that some are common across the
 * fleet; severities are about 12% CRITICAL, 30% HIGH, 43% MEDIUM, 15% LOW, with CVSS-style scores
 * in each band (LOW 0.1-3.9, MEDIUM 4.0-6.9, HIGH 7.0-8.9, CRITICAL 9.0-10.0).
 */
final class SyntheticCves {

    static final int POOL = 24_000;
    private static final int FIRST_YEAR = 2014;
    private static final int YEARS = 12;

    private static final String[] PRODUCTS = {"OpenSSL", "Apache HTTP Server", "the Windows SMB server",
        "Google Chrome", "Mozilla Firefox", "the Linux kernel", "glibc", "OpenSSH", "curl", "Microsoft Office",
        "Oracle Java SE", "zlib", "sudo", "Python", "Node.js", "the Windows print spooler", "macOS WebKit",
        "PHP", "nginx", "Samba"};
    private static final String[] WEAKNESSES = {"a heap-based buffer overflow", "a use-after-free",
        "an out-of-bounds read", "an integer overflow", "improper input validation", "a race condition",
        "a path traversal", "an improper certificate check", "a NULL pointer dereference",
        "a type confusion"};
    private static final String[] IMPACTS = {"remote code execution", "local privilege escalation",
        "denial of service", "information disclosure", "a security feature bypass", "memory corruption"};

    private final SyntheticTenant tenant;
    /** Built pool members, filled on first use: bounded by the pool size, not by the tenant. */
    private final AtomicReferenceArray<Map<String, Object>> built = new AtomicReferenceArray<>(POOL);

    SyntheticCves(SyntheticTenant tenant) {
        this.tenant = tenant;
    }

    /** Pool members of endpoints whose CVEs changed since they were generated, by index. */
    private final Map<Integer, int[]> changed = new ConcurrentHashMap<>();

    /** How many CVEs endpoint {@code index} has; cheap (no CVE is built). */
    int count(int index) {
        int[] members = changed.get(index);
        return members != null ? members.length : generatedCount(index);
    }

    private int generatedCount(int index) {
        long h = tenant.hash(index, 11);
        double u = (h >>> 11) * 0x1.0p-53;
        int spread = (int) ((tenant.hash(index, 12) >>> 1) % 1_000_000);
        if (u < 0.18) {
            return 0;
        } else if (u < 0.88) {
            return 1 + spread % 12;
        } else if (u < 0.98) {
            return 13 + spread % 48;
        }
        return 100 + spread % 301;
    }

    /** The CVEs of endpoint {@code index}, sorted by name ascending (plain string order). */
    List<Map<String, Object>> forEndpoint(int index) {
        int[] picked = poolMembers(index);
        List<Map<String, Object>> out = new ArrayList<>(picked.length);
        for (int j : picked) {
            out.add(cve(j));
        }
        return out;
    }

    /** Pool numbers of endpoint {@code index}'s CVEs, in CVE name order. */
    int[] poolMembers(int index) {
        int[] members = changed.get(index);
        return members != null ? members.clone() : generatedMembers(index);
    }

    /**
     * Endpoint {@code index} gains {@code howMany} CVEs it did not have (drawn from the pool by
     * the seed and {@code salt}); returns their names.
     */
    synchronized List<String> add(int index, int howMany, long salt) {
        TreeMap<String, Integer> members = byName(poolMembers(index));
        SplittableRandom r = new SplittableRandom(tenant.hash(index, salt));
        List<String> added = new ArrayList<>();
        while (added.size() < howMany) {
            int j = r.nextInt(POOL);
            if (members.putIfAbsent(name(j), j) == null) {
                added.add(name(j));
            }
        }
        changed.put(index, members.values().stream().mapToInt(Integer::intValue).toArray());
        return added;
    }

    /** Endpoint {@code index} loses its first {@code howMany} CVEs by name (remediated); returns their names. */
    synchronized List<String> remove(int index, int howMany) {
        TreeMap<String, Integer> members = byName(poolMembers(index));
        List<String> removed = new ArrayList<>();
        while (removed.size() < howMany && !members.isEmpty()) {
            removed.add(members.pollFirstEntry().getKey());
        }
        changed.put(index, members.values().stream().mapToInt(Integer::intValue).toArray());
        return removed;
    }

    private TreeMap<String, Integer> byName(int[] members) {
        TreeMap<String, Integer> out = new TreeMap<>();
        for (int j : members) {
            out.put(name(j), j);
        }
        return out;
    }

    private int[] generatedMembers(int index) {
        int count = generatedCount(index);
        if (count == 0) {
            return new int[0];
        }
        SplittableRandom r = new SplittableRandom(tenant.hash(index, 13));
        TreeMap<String, Integer> picked = new TreeMap<>();
        while (picked.size() < count) {
            double u = r.nextDouble();
            // u^2 favours low pool numbers: a few CVEs sit on many endpoints, as in real fleets
            int j = (int) (POOL * u * u);
            picked.put(name(j), j);
        }
        return picked.values().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Pool member {@code j}: unique name per j (year from j mod 12, number range from j / 12). */
    String name(int j) {
        int year = FIRST_YEAR + j % YEARS;
        long h = tenant.hash(j, 21);
        int number = 1000 + (j / YEARS) * 19 + (int) ((h >>> 1) % 19);
        return "CVE-" + year + "-" + number;
    }

    /** Pool member {@code j} as an unmodifiable map: name, severity, description, publication_date, severity_score. */
    Map<String, Object> cve(int j) {
        Map<String, Object> cve = built.get(j);
        if (cve == null) {
            cve = Collections.unmodifiableMap(build(j));
            built.compareAndSet(j, null, cve);
        }
        return cve;
    }

    private Map<String, Object> build(int j) {
        SplittableRandom r = new SplittableRandom(tenant.hash(j, 22));
        double s = r.nextDouble();
        String severity;
        int tenths;
        if (s < 0.12) {
            severity = "CRITICAL";
            tenths = 90 + r.nextInt(11);
        } else if (s < 0.42) {
            severity = "HIGH";
            tenths = 70 + r.nextInt(20);
        } else if (s < 0.85) {
            severity = "MEDIUM";
            tenths = 40 + r.nextInt(30);
        } else {
            severity = "LOW";
            tenths = 1 + r.nextInt(39);
        }
        int year = FIRST_YEAR + j % YEARS;
        long yearStart = LocalDate.of(year, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        long published = yearStart + (long) (r.nextDouble() * 364 * SyntheticTenant.DAY_MS);
        String product = PRODUCTS[r.nextInt(PRODUCTS.length)];
        String description = String.format(Locale.ROOT,
                "Synthetic vulnerability (simulator test data, not a real advisory): %s in %s %d.%d.%d allows %s.",
                WEAKNESSES[r.nextInt(WEAKNESSES.length)], product, 1 + r.nextInt(20), r.nextInt(10),
                r.nextInt(30), IMPACTS[r.nextInt(IMPACTS.length)]);
        Map<String, Object> cve = new LinkedHashMap<>();
        cve.put("name", name(j));
        cve.put("severity", severity);
        cve.put("description", description);
        cve.put("publication_date", published);
        cve.put("severity_score", tenths / 10.0);
        return cve;
    }
}
