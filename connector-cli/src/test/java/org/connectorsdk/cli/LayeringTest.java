package org.connectorsdk.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module layering, checked rather than hoped for: the api depends on the JDK alone, and a
 * plugin never reaches into the runtime. Reads the reactor's source trees (tests run in the
 * module directory, so the siblings are one level up).
 */
class LayeringTest {
    private static final Path ROOT = Path.of("..");
    /** An import, or a fully qualified name in code: the package it names. */
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)\\s*;");
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
