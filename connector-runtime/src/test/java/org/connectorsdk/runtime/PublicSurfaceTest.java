package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The supported surface of the runtime, pinned: only the front doors in the supported packages
 * are public, so a new public type there is a decision made here, not an accident. Types that
 * are public only so a sibling package can use them live under {@code internal}, which promises
 * nothing.
 */
class PublicSurfaceTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final String INTERNAL = "org/connectorsdk/runtime/internal/";

    @Test
    void onlyTheFrontDoorsArePublicOutsideInternal() {
        List<String> publicTypes = mainSources().stream()
                .filter(f -> !SOURCES.relativize(f).toString().replace('\\', '/').startsWith(INTERNAL))
                .filter(PublicSurfaceTest::declaresPublicType)
                .map(f -> SOURCES.relativize(f).toString().replace('\\', '/').replace(".java", "")
                        .replace('/', '.'))
                .sorted().toList();

        assertThat(publicTypes).as("public types of the runtime's supported packages").containsExactlyInAnyOrder(
                // embedding and the CLI
                "org.connectorsdk.runtime.ConfigSchemas", "org.connectorsdk.runtime.ConnectorRegistry",
                "org.connectorsdk.runtime.ConnectorRuntime", "org.connectorsdk.runtime.ConnectorRuntimeBuilder",
                "org.connectorsdk.runtime.FileStateStore",
                "org.connectorsdk.runtime.InstanceFiles", "org.connectorsdk.runtime.JsonLinesSink",
                // the time seam: embedders, the testkit and the bench drive time through it
                "org.connectorsdk.runtime.time.Sleeper",
                // the transform engine, for the CLI's transform command and the testkit's map assertions
                "org.connectorsdk.runtime.transform.CompiledMap", "org.connectorsdk.runtime.transform.TargetModel",
                "org.connectorsdk.runtime.transform.TransformEngine",
                "org.connectorsdk.runtime.transform.TransformMapJson",
                "org.connectorsdk.runtime.transform.TransformOutcome");
    }

    @Test
    void everyPackageSaysWhatItOwns() {
        List<Path> packages = mainSources().stream().map(Path::getParent).distinct().toList();

        assertThat(packages).as("packages of the runtime").hasSizeGreaterThan(5)
                .allSatisfy(dir -> assertThat(dir.resolve("package-info.java")).as("package-info of " + dir).exists());
    }

    private static List<Path> mainSources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean declaresPublicType(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(l -> l.startsWith("public "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
