package org.connectorsdk.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module and package layering, checked rather than hoped for: the api depends on the JDK
 * alone, a plugin never reaches into the runtime, no other module declares a runtime package,
 * and inside the runtime every arrow between packages is one its {@code package-info.java}
 * allows ("May use: ..."), with no cycle. Reads the reactor's source trees (tests run in the
 * module directory, so the siblings are one level up). A source check rather than ArchUnit: it
 * needs no new dependency, and the package-info that documents a package's arrows is the very
 * list the check enforces, so the two cannot drift.
 */
class LayeringTest {
    private static final Path ROOT = Path.of("..");
    /** An import, or a fully qualified name in code: the package it names. */
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)\\s*;");
    /** A runtime type named in code (imported or qualified): group 1 is its package. */
    private static final Pattern RUNTIME_TYPE = Pattern.compile(
            "\\b(org\\.connectorsdk\\.runtime(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern QUALIFIED = Pattern.compile("\\b(org\\.connectorsdk\\.(?:runtime|cli|testkit|cortexxdr)"
            + "|com\\.fasterxml|org\\.slf4j|picocli)\\.");

    @Test
    void apiImportsOnlyTheJdkAndItself() {
        List<String> violations = references("connector-api",
                name -> !(name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("org.connectorsdk.api.")));

        assertThat(violations).as("connector-api must depend on the JDK alone").isEmpty();
    }

    @Test
    void apiHasNoNonTestDependency() throws IOException {
        String pom = Files.readString(ROOT.resolve("connector-api/pom.xml"), UTF_8);
        Matcher dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(pom);
        while (dependency.find()) {
            assertThat(dependency.group(1)).as("connector-api dependency").contains("<scope>test</scope>");
        }
    }

    @Test
    void pluginNeverUsesTheRuntime() {
        List<String> violations = references("connector-cortex-xdr",
                name -> name.startsWith("org.connectorsdk.runtime.") || name.startsWith("org.connectorsdk.cli.")
                        || name.startsWith("org.connectorsdk.testkit."));

        assertThat(violations).as("a plugin codes against connector-api only").isEmpty();
    }

    @Test
    void runtimeKnowsNoPluginAndNoFrontEnd() {
        List<String> violations = references("connector-runtime",
                name -> name.startsWith("org.connectorsdk.cortexxdr.") || name.startsWith("org.connectorsdk.cli.")
                        || name.startsWith("org.connectorsdk.testkit."));

        assertThat(violations).as("the runtime finds plugins through ServiceLoader only").isEmpty();
    }

    @Test
    void noOtherModuleDeclaresARuntimePackage() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src"))).sorted().toList()) {
                if (module.getFileName().toString().equals("connector-runtime")) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(module.resolve("src"))) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        if (readLines(f).stream().anyMatch(l -> l.startsWith("package org.connectorsdk.runtime"))) {
                            found.add(ROOT.relativize(f).toString());
                        }
                    }
                }
            }
        }

        assertThat(found).as("files outside connector-runtime in a runtime package (use the runtime's public or "
                + "internal API from the module's own package)").isEmpty();
    }

    @Test
    void runtimePackagesUseOnlyWhatTheirPackageInfoAllows() {
        Map<String, Set<String>> arrows = runtimeArrows();
        List<String> violations = new ArrayList<>();
        arrows.forEach((from, tos) -> {
            Set<String> allowed = allowedArrows(from);
            for (String to : tos) {
                if (!allowed.contains(to)) {
                    violations.add(from + " -> " + to + " (its package-info allows " + allowed + ")");
                }
            }
        });

        assertThat(arrows).as("runtime packages found").hasSizeGreaterThan(5);
        assertThat(arrows.values().stream().mapToInt(Set::size).sum()).as("arrows found").isGreaterThan(5);
        assertThat(violations).as("arrows between runtime packages that their package-info does not allow").isEmpty();
    }

    @Test
    void runtimePackagesHaveNoCycle() {
        Map<String, Set<String>> arrows = runtimeArrows();
        List<String> cycles = new ArrayList<>();
        for (String start : arrows.keySet()) {
            findCycle(arrows, start, new ArrayList<>(List.of(start)), cycles);
        }

        assertThat(cycles).as("cycles between runtime packages").isEmpty();
    }

    private static void findCycle(Map<String, Set<String>> arrows, String at, List<String> path, List<String> cycles) {
        for (String next : arrows.getOrDefault(at, Set.of())) {
            if (next.equals(path.get(0))) {
                cycles.add(String.join(" -> ", path) + " -> " + next);
            } else if (!path.contains(next) && path.size() < arrows.size()) {
                path.add(next);
                findCycle(arrows, next, path, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    /** Each runtime package (main sources) and the other runtime packages its files name. */
    private static Map<String, Set<String>> runtimeArrows() {
        Map<String, Set<String>> arrows = new TreeMap<>();
        for (Path file : mainSources("connector-runtime")) {
            List<String> lines = readLines(file);
            String from = lines.stream().filter(l -> l.startsWith("package ")).findFirst()
                    .map(l -> l.substring("package ".length(), l.indexOf(';'))).orElseThrow();
            Set<String> to = arrows.computeIfAbsent(from, p -> new TreeSet<>());
            for (String line : lines) {
                String code = line.strip();
                if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")
                        || code.startsWith("package ")) {
                    continue;
                }
                Matcher name = RUNTIME_TYPE.matcher(code);
                while (name.find()) {
                    if (!name.group(1).equals(from)) {
                        to.add(name.group(1));
                    }
                }
            }
        }
        return arrows;
    }

    /** The runtime packages {@code pkg}'s package-info names after "May use:". */
    private static Set<String> allowedArrows(String pkg) {
        Path info = ROOT.resolve("connector-runtime/src/main/java").resolve(pkg.replace('.', '/'))
                .resolve("package-info.java");
        assertThat(info).as("package-info of " + pkg).exists();
        String text = String.join(" ", readLines(info));
        int at = text.indexOf("May use:");
        assertThat(at).as("the \"May use:\" line of " + info).isNotNegative();
        Set<String> allowed = new TreeSet<>();
        Matcher name = Pattern.compile("org\\.connectorsdk\\.runtime(?:\\.[a-z]\\w*)*").matcher(
                text.substring(at, text.indexOf("*/", at)));
        while (name.find()) {
            allowed.add(name.group());
        }
        return allowed;
    }

    @Test
    void theCheckSeesRealSources() {
        // guards the test itself: a wrong path would make every check above pass vacuously
        assertThat(mainSources("connector-api")).hasSizeGreaterThan(10);
        assertThat(mainSources("connector-runtime")).isNotEmpty();
        assertThat(references("connector-runtime", name -> name.startsWith("org.connectorsdk.api.")))
                .as("the runtime does import the api").isNotEmpty();
    }

    /** Every "file:line: name" in a module's main sources whose imported or qualified name is {@code bad}. */
    private static List<String> references(String module, Predicate<String> bad) {
        List<String> found = new ArrayList<>();
        for (Path file : mainSources(module)) {
            List<String> lines = readLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
                    continue;
                }
                Matcher importLine = IMPORT.matcher(line);
                List<String> names = new ArrayList<>();
                if (importLine.find()) {
                    names.add(importLine.group(1));
                } else if (!line.startsWith("package ")) {
                    Matcher qualified = QUALIFIED.matcher(line);
                    while (qualified.find()) {
                        names.add(qualified.group(1) + ".");
                    }
                }
                for (String name : names) {
                    if (bad.test(name)) {
                        found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + name);
                    }
                }
            }
        }
        return found;
    }

    private static List<Path> mainSources(String module) {
        Path dir = ROOT.resolve(module).resolve("src/main/java");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
