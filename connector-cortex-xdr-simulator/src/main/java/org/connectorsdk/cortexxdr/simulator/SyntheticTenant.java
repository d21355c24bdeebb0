package org.connectorsdk.cortexxdr.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints of the simulated tenant, computed from (seed, index) alone: nothing is stored,
 * so a tenant of a million endpoints costs no memory. The same seed and index always give the
 * same endpoint, field for field.
 *
 * <p>Endpoint ids are 32 lowercase hex characters: 8 for the index, then 24 from a hash, so
 * sorting by {@code endpoint_id} is index order.
 */
final class SyntheticTenant {

    /** "Now" for the synthetic tenant: 2026-11-01T00:00:00Z. Every generated time is before it. */
    static final long REFERENCE_TIME_MS = 1_793_491_200_000L;

    static final long HOUR_MS = 3_600_000L;
    static final long DAY_MS = 24 * HOUR_MS;
    /** Bounds of every first/last seen time, for the sort's bucket selection. */
    static final long OLDEST_MS = REFERENCE_TIME_MS - 4 * 365 * DAY_MS;

    enum Os {
        WINDOWS("AGENT_OS_WINDOWS", "windows"),
        LINUX("AGENT_OS_LINUX", "linux"),
        MAC("AGENT_OS_MAC", "macos");

        final String osType;
        final String platform;

        Os(String osType, String platform) {
            this.osType = osType;
            this.platform = platform;
        }
    }

    enum Status {
        CONNECTED, DISCONNECTED, LOST, UNINSTALLED;

        String filterValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What filters and sorts read; cheap to compute for every index of a large tenant. */
    record Facts(int index, Os os, boolean server, Status status, long firstSeen, long lastSeen,
            List<String> groups, List<String> ips, String name) {
        Facts withLastSeen(long at) {
            return new Facts(index, os, server, status, firstSeen, at, groups, ips, name);
        }
    }

    /** {@code last_seen} of endpoints seen again since they were generated, by index. */
    private final Map<Integer, Long> seenAgain = new ConcurrentHashMap<>();

    /** The endpoint at {@code index} was seen at {@code at} epoch ms: its {@code last_seen} moves there. */
    void seen(int index, long at) {
        seenAgain.merge(index, at, Math::max);
    }

    private static final String[] GROUPS = {"Servers", "Workstations", "Finance", "Engineering", "DMZ",
        "Domain Controllers", "Sales", "Human Resources"};
    private static final String[] FIRST_NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace",
        "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor",
        "walter", "yasmin"};
    private static final String[] SERVER_ROLES = {"APP", "DB", "FS", "DC", "WEB", "SQL", "EXCH", "PRINT"};
    private static final String[] LINUX_ROLES = {"web", "api", "db", "cache", "queue", "build", "k8s-node",
        "bastion"};
    private static final String[] WINDOWS_WS = {"Windows 10 Enterprise", "Windows 10 Pro", "Windows 11 Enterprise",
        "Windows 11 Pro"};
    private static final String[] WINDOWS_WS_VERSIONS = {"10.0.19045", "10.0.19044", "10.0.22631", "10.0.22621"};
    private static final String[] WINDOWS_SRV = {"Windows Server 2016 Standard", "Windows Server 2019 Datacenter",
        "Windows Server 2022 Standard", "Windows Server 2012 R2 Standard"};
    private static final String[] WINDOWS_SRV_VERSIONS = {"10.0.14393", "10.0.17763", "10.0.20348", "6.3.9600"};
    private static final String[] LINUX_OS = {"Ubuntu 22.04.4 LTS", "Ubuntu 20.04.6 LTS",
        "Red Hat Enterprise Linux 8.9", "Red Hat Enterprise Linux 9.3", "Amazon Linux 2", "Debian GNU/Linux 12",
        "CentOS Linux 7.9.2009"};
    private static final String[] LINUX_KERNELS = {"5.15.0-105-generic", "5.4.0-182-generic",
        "4.18.0-513.24.1.el8_9.x86_64", "5.14.0-362.24.1.el9_3.x86_64", "5.10.215-203.850.amzn2.x86_64",
        "6.1.0-21-amd64", "3.10.0-1160.119.1.el7.x86_64"};
    private static final String[] MAC_OS = {"macOS 13.6 Ventura", "macOS 14.5 Sonoma", "macOS 15.1 Sequoia"};
    private static final String[] MAC_VERSIONS = {"13.6.7", "14.5.0", "15.1.0"};
    private static final String[] AGENT_VERSIONS = {"7.9.0.18674", "8.1.0.50187", "8.2.1.12095", "8.4.0.90621",
        "8.5.0.125392"};
    private static final String[] CLOUDS = {"AWS", "Azure", "GCP"};
    private static final String[] SERVER_TAGS = {"prod", "staging", "pci", "critical", "internet-facing"};
    private static final String[] ENDPOINT_TAGS = {"vip", "byod", "remote", "kiosk", "lab"};
    private static final String HEX = "0123456789abcdef";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final long seed;

    SyntheticTenant(long seed) {
        this.seed = seed;
    }

    long seed() {
        return seed;
    }

    /** SplitMix64's finaliser: a good 64-bit mix, the same on every JVM. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long hash(long index, long salt) {
        return mix(mix(seed ^ (salt * 0x9E3779B97F4A7C15L)) + index * 0xD1B54A32D192ED03L);
    }

    String endpointId(int index) {
        StringBuilder id = new StringBuilder(32);
        appendHex(id, index & 0xFFFFFFFFL, 8);
        appendHex(id, hash(index, 1), 16);
        appendHex(id, hash(index, 2) >>> 32, 8);
        return id.toString();
    }

    /** The index encoded in an endpoint id this tenant could have made, or -1. */
    int indexOf(String endpointId) {
        if (endpointId == null || endpointId.length() != 32) {
            return -1;
        }
        try {
            long index = Long.parseLong(endpointId.substring(0, 8), 16);
            if (index > Integer.MAX_VALUE || !endpointId(Math.toIntExact(index)).equals(endpointId)) {
                return -1;
            }
            return (int) index;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void appendHex(StringBuilder out, long value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX.charAt((int) ((value >>> shift) & 0xF)));
        }
    }

    private SplittableRandom random(int index) {
        return new SplittableRandom(hash(index, 3));
    }

    Facts facts(int index) {
        return facts(index, random(index));
    }

    private Facts seenAgain(Facts f) {
        Long at = seenAgain.get(f.index());
        return at == null || at <= f.lastSeen() ? f : f.withLastSeen(at);
    }

    /** Draws the facts; the full record continues with the same generator, so both agree. */
    private Facts facts(int index, SplittableRandom r) {
        double osDraw = r.nextDouble();
        Os os = osDraw < 0.60 ? Os.WINDOWS : osDraw < 0.85 ? Os.LINUX : Os.MAC;
        double serverDraw = r.nextDouble();
        boolean server = switch (os) {
            case WINDOWS -> serverDraw < 0.25;
            case LINUX -> serverDraw < 0.80;
            case MAC -> false;
        };
        double statusDraw = r.nextDouble();
        Status status = statusDraw < 0.70 ? Status.CONNECTED
                : statusDraw < 0.90 ? Status.DISCONNECTED
                : statusDraw < 0.98 ? Status.LOST : Status.UNINSTALLED;
        long firstSeen = REFERENCE_TIME_MS - DAY_MS - (long) (r.nextDouble() * 3 * 365 * DAY_MS);
        double ago = r.nextDouble();
        long lastSeen = switch (status) {
            case CONNECTED -> REFERENCE_TIME_MS - (long) (ago * 6 * HOUR_MS);
            case DISCONNECTED -> REFERENCE_TIME_MS - 6 * HOUR_MS - (long) (ago * 14 * DAY_MS);
            case LOST -> REFERENCE_TIME_MS - 30 * DAY_MS - (long) (ago * 180 * DAY_MS);
            case UNINSTALLED -> REFERENCE_TIME_MS - 7 * DAY_MS - (long) (ago * 300 * DAY_MS);
        };
        lastSeen = Math.max(lastSeen, firstSeen + (long) (ago * HOUR_MS));
        double groupDraw = r.nextDouble();
        List<String> groups;
        if (groupDraw < 0.30) {
            groups = null;
        } else if (groupDraw < 0.85) {
            groups = List.of(GROUPS[r.nextInt(GROUPS.length)]);
        } else {
            String a = GROUPS[r.nextInt(GROUPS.length)];
            String b = GROUPS[r.nextInt(GROUPS.length)];
            groups = a.equals(b) ? List.of(a) : List.of(a, b);
        }
        int interfaces = r.nextDouble() < 0.8 ? 1 : 2;
        List<String> ips = new ArrayList<>(interfaces);
        for (int i = 0; i < interfaces; i++) {
            ips.add(privateIpv4(r));
        }
        String name = switch (os) {
            case WINDOWS -> server
                    ? "SRV-" + SERVER_ROLES[r.nextInt(SERVER_ROLES.length)] + "-" + String.format(Locale.ROOT, "%05d", index)
                    : "DESKTOP-" + randomText(r, ALNUM, 7);
            case LINUX -> server
                    ? LINUX_ROLES[r.nextInt(LINUX_ROLES.length)] + "-prod-" + String.format(Locale.ROOT, "%05d", index)
                    : "ip-" + ips.get(0).replace('.', '-');
            case MAC -> capitalize(FIRST_NAMES[r.nextInt(FIRST_NAMES.length)]) + "s-MacBook-Pro-"
                    + randomText(r, HEX, 4);
        };
        return seenAgain(new Facts(index, os, server, status, firstSeen, lastSeen, groups, List.copyOf(ips), name));
    }

    /** The full record as {@code get_endpoint} returns it, fields in a fixed order. */
    Map<String, Object> endpoint(int index) {
        SplittableRandom r = random(index);
        Facts f = facts(index, r);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("endpoint_id", endpointId(index));
        e.put("endpoint_name", f.name());
        e.put("endpoint_type", f.server() ? "AGENT_TYPE_SERVER" : "AGENT_TYPE_WORKSTATION");
        e.put("endpoint_status", f.status().name());
        e.put("os_type", f.os().osType);
        int osPick;
        String operatingSystem;
        String osVersion;
        String packageName;
        switch (f.os()) {
            case WINDOWS -> {
                osPick = r.nextInt(4);
                operatingSystem = f.server() ? WINDOWS_SRV[osPick] : WINDOWS_WS[osPick];
                osVersion = f.server() ? WINDOWS_SRV_VERSIONS[osPick] : WINDOWS_WS_VERSIONS[osPick];
                packageName = f.server() ? "Windows Servers" : "Windows Workstations";
            }
            case LINUX -> {
                osPick = r.nextInt(LINUX_OS.length);
                operatingSystem = LINUX_OS[osPick];
                osVersion = LINUX_KERNELS[osPick];
                packageName = "Linux Servers";
            }
            default -> {
                osPick = r.nextInt(MAC_OS.length);
                operatingSystem = MAC_OS[osPick];
                osVersion = MAC_VERSIONS[osPick];
                packageName = "MacOS";
            }
        }
        e.put("os_version", osVersion);
        e.put("ip", f.ips());
        List<String> ipv6 = new ArrayList<>();
        if (r.nextDouble() < 0.5) {
            ipv6.add("fe80::" + randomText(r, HEX, 4) + ":" + randomText(r, HEX, 4) + ":" + randomText(r, HEX, 4)
                    + ":" + randomText(r, HEX, 4));
        }
        e.put("ipv6", ipv6);
        String user = FIRST_NAMES[r.nextInt(FIRST_NAMES.length)];
        List<String> users = switch (f.os()) {
            case WINDOWS -> r.nextDouble() < 0.1 ? List.of() : List.of(user);
            case LINUX -> r.nextDouble() < 0.5 ? List.of("ec2-user") : List.of("root", user);
            case MAC -> List.of(user);
        };
        e.put("users", users);
        boolean domainJoined = f.os() == Os.WINDOWS && r.nextDouble() < 0.7;
        e.put("domain", domainJoined ? "corp.example.com" : "");
        e.put("alias", r.nextDouble() < 0.05 ? user + "-" + f.os().platform + "-" + (index % 100) : "");
        e.put("first_seen", f.firstSeen());
        e.put("last_seen", f.lastSeen());
        String agentVersion = AGENT_VERSIONS[r.nextInt(AGENT_VERSIONS.length)];
        e.put("content_version", (1200 + r.nextInt(400)) + "-" + (10000 + r.nextInt(90000)));
        e.put("installation_package", packageName + " " + agentVersion.substring(0, 3));
        e.put("active_directory", domainJoined ? List.of("CORP\\" + f.name()) : null);
        e.put("install_date", f.firstSeen() - (long) (r.nextDouble() * HOUR_MS));
        e.put("endpoint_version", agentVersion);
        double isolation = r.nextDouble();
        String isolated = isolation < 0.01 ? "AGENT_ISOLATED"
                : isolation < 0.015 ? "AGENT_PENDING_ISOLATION" : "AGENT_UNISOLATED";
        e.put("is_isolated", isolated);
        e.put("isolated_date", isolated.equals("AGENT_ISOLATED") ? f.lastSeen() - DAY_MS : null);
        e.put("group_name", f.groups());
        e.put("operating_system", operatingSystem);
        List<String> macs = new ArrayList<>();
        for (int i = 0; i < f.ips().size(); i++) {
            macs.add("00:50:56:" + randomText(r, HEX, 2) + ":" + randomText(r, HEX, 2) + ":"
                    + randomText(r, HEX, 2));
        }
        e.put("mac_address", macs);
        double protection = r.nextDouble();
        String operational = protection < 0.85 ? "PROTECTED"
                : protection < 0.95 ? "PARTIALLY_PROTECTED" : "UNPROTECTED";
        e.put("operational_status", operational);
        e.put("operational_status_description", switch (operational) {
            case "PARTIALLY_PROTECTED" -> "[{\"name\": \"Anti-Ransomware\", \"status\": \"Disabled\","
                    + " \"reason\": \"Module was turned off by the policy\"}]";
            case "UNPROTECTED" -> "[{\"name\": \"Agent\", \"status\": \"Stopped\","
                    + " \"reason\": \"The agent service is not running\"}]";
            default -> null;
        });
        e.put("scan_status", r.nextDouble() < 0.7 ? "SCAN_STATUS_NONE" : "SCAN_STATUS_SUCCESS");
        e.put("assigned_prevention_policy", f.server() ? (f.os() == Os.WINDOWS ? "Windows Servers" : "Linux Servers")
                : switch (f.os()) {
                    case WINDOWS -> "Windows Default";
                    case LINUX -> "Linux Default";
                    case MAC -> "macOS Default";
                });
        e.put("assigned_extensions_policy", f.os() == Os.MAC ? "macOS Default" : null);
        long contentRelease = REFERENCE_TIME_MS - (long) (r.nextDouble() * 30 * DAY_MS);
        e.put("content_release_timestamp", contentRelease);
        e.put("last_content_update_time", f.status() == Status.UNINSTALLED ? null
                : Math.max(contentRelease, Math.min(f.lastSeen(), contentRelease + DAY_MS)));
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("server_tags", pickSome(r, SERVER_TAGS, f.server() ? 0.6 : 0.1));
        tags.put("endpoint_tags", pickSome(r, ENDPOINT_TAGS, f.server() ? 0.05 : 0.3));
        e.put("tags", tags);
        List<String> allIps = new ArrayList<>(f.ips());
        double cloudDraw = r.nextDouble();
        boolean cloudHost = f.server() && cloudDraw < 0.6;
        String publicIp = cloudHost ? publicIpv4(r) : null;
        if (publicIp != null) {
            allIps.add(publicIp);
            e.put("public_ip", List.of(publicIp));
        }
        e.put("allIPs", allIps);
        if (cloudHost) {
            e.put("cloud_provider", CLOUDS[r.nextInt(CLOUDS.length)]);
        } else if (cloudDraw > 0.8) {
            e.put("cloud_provider", null);
        }
        return e;
    }

    private static List<String> pickSome(SplittableRandom r, String[] pool, double chance) {
        List<String> picked = new ArrayList<>();
        for (String value : pool) {
            if (r.nextDouble() < chance) {
                picked.add(value);
            }
        }
        return Collections.unmodifiableList(picked);
    }

    private static String privateIpv4(SplittableRandom r) {
        return switch (r.nextInt(3)) {
            case 0 -> "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
            case 1 -> "172." + (16 + r.nextInt(16)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
            default -> "192.168." + r.nextInt(256) + "." + (1 + r.nextInt(254));
        };
    }

    /** Documentation ranges (RFC 5737) stand in for public addresses. */
    private static String publicIpv4(SplittableRandom r) {
        String[] prefixes = {"192.0.2.", "198.51.100.", "203.0.113."};
        return prefixes[r.nextInt(prefixes.length)] + (1 + r.nextInt(254));
    }

    private static String randomText(SplittableRandom r, String alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet.charAt(r.nextInt(alphabet.length()));
        }
        return new String(out);
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
