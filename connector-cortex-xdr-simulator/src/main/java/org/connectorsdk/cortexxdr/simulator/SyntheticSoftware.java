package org.connectorsdk.cortexxdr.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The <b>synthetic</b> installed applications of each endpoint, as the Host Insights host
 * inventory reports them: one row per (endpoint, application) with {@code endpoint_id},
 * {@code endpoint_name}, {@code application_name}, {@code vendor}, {@code version} and
 * {@code installation_date} (epoch milliseconds). Computed from (seed, index) on every call, so
 * a large tenant costs no memory; an endpoint's rows come sorted by application name.
 */
final class SyntheticSoftware {
    private record Application(String name, String vendor, String[] versions) {
    }

    private static final Application[] WINDOWS = {
        app("Google Chrome", "Google LLC", "126.0.6478.127", "127.0.6533.89", "128.0.6613.120"),
        app("Mozilla Firefox (x64 en-US)", "Mozilla", "127.0.2", "128.0.3", "129.0.1"),
        app("Microsoft Edge", "Microsoft Corporation", "126.0.2592.113", "127.0.2651.98"),
        app("Microsoft 365 Apps for enterprise - en-us", "Microsoft Corporation", "16.0.17726.20160",
                "16.0.17830.20166"),
        app("7-Zip 23.01 (x64)", "Igor Pavlov", "23.01"),
        app("Notepad++ (64-bit x64)", "Notepad++ Team", "8.6.7", "8.6.9"),
        app("Adobe Acrobat Reader", "Adobe", "24.002.20933", "24.002.21005"),
        app("Zoom Workplace (64-bit)", "Zoom Video Communications, Inc.", "6.0.12", "6.1.1"),
        app("Microsoft Visual C++ 2015-2022 Redistributable (x64)", "Microsoft Corporation", "14.38.33135",
                "14.40.33810"),
        app("Java 8 Update 411", "Oracle Corporation", "8.0.4110.9"),
        app("Cortex XDR", "Palo Alto Networks", "8.4.0.90621", "8.5.0.125392"),
        app("Python 3.12.4 (64-bit)", "Python Software Foundation", "3.12.4150.0"),
    };
    private static final Application[] LINUX = {
        app("openssl", "Ubuntu Developers", "3.0.2-0ubuntu1.15", "3.0.2-0ubuntu1.16"),
        app("openssh-server", "Ubuntu Developers", "1:8.9p1-3ubuntu0.10"),
        app("curl", "Ubuntu Developers", "7.81.0-1ubuntu1.16", "7.81.0-1ubuntu1.17"),
        app("nginx", "Ubuntu Developers", "1.18.0-6ubuntu14.4"),
        app("python3", "Ubuntu Developers", "3.10.6-1~22.04"),
        app("sudo", "Ubuntu Developers", "1.9.9-1ubuntu2.4"),
        app("docker-ce", "Docker", "5:26.1.4-1~ubuntu.22.04~jammy"),
        app("postgresql-14", "Ubuntu Developers", "14.12-0ubuntu0.22.04.1"),
        app("cortex-agent", "Palo Alto Networks", "8.4.0.90621"),
    };
    private static final Application[] MAC = {
        app("Google Chrome", "Google LLC", "127.0.6533.89"),
        app("Slack", "Slack Technologies, Inc.", "4.39.90"),
        app("zoom.us", "Zoom Video Communications, Inc.", "6.1.1"),
        app("Microsoft Word", "Microsoft Corporation", "16.86"),
        app("Visual Studio Code", "Microsoft Corporation", "1.91.1"),
        app("Cortex XDR", "Palo Alto Networks", "8.5.0.125392"),
    };

    private final SyntheticTenant tenant;

    SyntheticSoftware(SyntheticTenant tenant) {
        this.tenant = tenant;
    }

    private static Application app(String name, String vendor, String... versions) {
        return new Application(name, vendor, versions);
    }

    /** How many applications endpoint {@code index} has: at least two, at most its OS pool. */
    int count(int index) {
        Application[] pool = pool(index);
        return 2 + (int) ((tenant.hash(index, 41) >>> 1) % (pool.length - 1));
    }

    /** The rows of endpoint {@code index}, sorted by application name; unmodifiable. */
    List<Map<String, Object>> rows(int index) {
        SyntheticTenant.Facts facts = tenant.facts(index);
        Application[] pool = pool(index);
        int count = count(index);
        SplittableRandom r = new SplittableRandom(tenant.hash(index, 42));
        TreeMap<String, Map<String, Object>> picked = new TreeMap<>();
        while (picked.size() < count) {
            Application a = pool[r.nextInt(pool.length)];
            if (picked.containsKey(a.name())) {
                continue;
            }
            long installed = facts.firstSeen() + (long) (r.nextDouble()
                    * Math.max(SyntheticTenant.DAY_MS, SyntheticTenant.REFERENCE_TIME_MS - facts.firstSeen()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("endpoint_id", tenant.endpointId(index));
            row.put("endpoint_name", facts.name());
            row.put("application_name", a.name());
            row.put("vendor", a.vendor());
            row.put("version", a.versions()[r.nextInt(a.versions().length)]);
            row.put("installation_date", installed / 1000 * 1000);
            picked.put(a.name(), Collections.unmodifiableMap(row));
        }
        return List.copyOf(new ArrayList<>(picked.values()));
    }

    private Application[] pool(int index) {
        return switch (tenant.facts(index).os()) {
            case WINDOWS -> WINDOWS;
            case LINUX -> LINUX;
            case MAC -> MAC;
        };
    }
}
