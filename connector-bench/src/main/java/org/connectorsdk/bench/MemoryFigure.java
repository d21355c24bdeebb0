package org.connectorsdk.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Figure 4: a sync with findings in a child JVM limited to {@code -Xmx256m}, at a small and a
 * large tenant; the large one must complete, and its peak live heap stay within 1.2 times the
 * small one's (issue 12: what a run keeps must not depend on how many pages it reads). The simulator runs in this JVM, so the child's heap holds the runtime alone.
 */
final class MemoryFigure {
    static final String HEAP = "-Xmx256m";
    static final double TARGET = 1.2;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private MemoryFigure() {
    }

    static Figure run(int small, int large, Path work) throws Exception {
        Map<String, Object> s = child(small, work.resolve("memory-" + small));
        Map<String, Object> l = child(large, work.resolve("memory-" + large));
        long smallPeak = ((Number) s.get("peakLiveHeapBytes")).longValue();
        long largePeak = ((Number) l.get("peakLiveHeapBytes")).longValue();
        double ratio = (double) largePeak / smallPeak;
        boolean completed = "PROCESSED".equals(l.get("state")) && ((Number) l.get("written")).longValue() == large
                && "PROCESSED".equals(s.get("state"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("heap", HEAP);
        d.put("small", s);
        d.put("large", l);
        return new Figure("memory", String.format("sync with findings under %s: %,d endpoints (%,d CVE rows) in %.0f s",
                HEAP, large, ((Number) l.get("vulnerabilityRows")).longValue(), ((Number) l.get("seconds")).doubleValue()),
                String.format("%s, peak live heap %.1f MB", l.get("state"), largePeak / 1e6),
                String.format("%,d endpoints: %.1f MB", small, smallPeak / 1e6), ratio,
                "completes, <= " + TARGET, completed && ratio <= TARGET, d);
    }

    private static Map<String, Object> child(int endpoints, Path work) throws Exception {
        Files.createDirectories(work);
        try (Tenant tenant = Tenant.start(endpoints, 0)) {
            Path ca = work.resolve("ca.pem");
            Files.writeString(ca, tenant.caPem());
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add(HEAP);
            command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(MemoryChild.class.getName());
            command.add(tenant.baseUrl());
            command.add(ca.toString());
            command.add(work.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String result = null;
            StringBuilder log = new StringBuilder();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("RESULT ")) {
                        result = line.substring("RESULT ".length());
                    } else if (log.length() < 20_000) {
                        log.append(line).append('\n');
                    }
                }
            }
            if (!process.waitFor(1, TimeUnit.HOURS)) {
                process.destroyForcibly();
            }
            if (result == null) {
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("state", "CRASHED (exit " + process.exitValue() + ")");
                failed.put("written", 0);
                failed.put("vulnerabilityRows", 0);
                failed.put("seconds", 0.0);
                failed.put("peakLiveHeapBytes", 1);
                failed.put("log", log.toString());
                return failed;
            }
            Map<String, Object> parsed = new ObjectMapper().readValue(result, MAP);
            parsed.put("endpoints", endpoints);
            return parsed;
        } finally {
            Tenant.deleteTree(work);
        }
    }
}
